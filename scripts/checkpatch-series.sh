#!/bin/sh
# checkpatch-series.sh: scripts/checkpatch.pl --strict on every patch of
# patches/series; any error, warning or check fails.
set -eu
. "$(dirname "$0")/lib.sh"

[ -d "$tree/.git" ] || die "no build/linux: run 'make tree' first"
# Debian's python3 has ply and git for spdxcheck.py, whatever else is on PATH.
PATH=/usr/bin:$PATH
cd "$tree"	# checkpatch must run from the top of a kernel tree
bad=0
while read -r p; do
	case "$p" in ''|'#'*) continue ;; esac
	out=$(./scripts/checkpatch.pl --strict "$top/patches/$p" 2>&1) || true
	total=$(echo "$out" | grep '^total:' || echo "total: no result")
	echo "$p: $total"
	case "$total" in
	"total: 0 errors, 0 warnings, 0 checks,"*) continue ;;
	"total: 0 errors,"*) ;;
	*) echo "$out" | grep -A3 '^ERROR' | head -n 30; bad=$((bad + 1)); continue ;;
	esac
	# A remaining warning or check passes only if the commit message names
	# it (its first three words) where it says why it stays.
	msg=$(sed '/^---$/q' "$top/patches/$p")
	kinds=$(echo "$out" | sed -n 's/^\(WARNING\|CHECK\): \([^ ]* [^ ]* [^ ]*\).*/\2/p' | sort -u)
	echo "$kinds" | while read -r k; do
		echo "$msg" | grep -qiF "$k" || { echo "  not justified in the commit message: $k"; exit 1; }
		echo "  justified in the commit message: $k"
	done || bad=$((bad + 1))
done <"$top/patches/series"
[ "$bad" -eq 0 ] || die "$bad patches are not checkpatch --strict clean"
