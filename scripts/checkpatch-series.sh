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
	"total: 0 errors, 0 warnings, 0 checks,"*) ;;
	*) echo "$out" | grep -A3 '^\(ERROR\|WARNING\|CHECK\)' | head -n 30; bad=$((bad + 1)) ;;
	esac
done <"$top/patches/series"
[ "$bad" -eq 0 ] || die "$bad patches are not checkpatch --strict clean"
