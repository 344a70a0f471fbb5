#!/bin/sh
# checkpatch-series.sh: scripts/checkpatch.pl --strict on every patch of
# patches/series; any error, or any warning or check that neither the
# patch's commit message nor the cover letter explains, fails.
set -eu
. "$(dirname "$0")/lib.sh"

[ -d "$tree/.git" ] || die "no build/linux: run 'make tree' first"
# Debian's python3 has ply and git for spdxcheck.py, whatever else is on PATH.
PATH=/usr/bin:$PATH
cd "$tree"	# checkpatch must run from the top of a kernel tree
# The cover letter's paragraphs, one a line, blanks squeezed: a tool's
# remark on the series belongs there, not in a commit message.
cover=$(awk 'BEGIN { RS = "" } { gsub(/[ \t\n]+/, " "); print }' "$top/doc/cover-letter.txt")
bad=0
n=0
while read -r p; do
	case "$p" in ''|'#'*) continue ;; esac
	n=$((n + 1))
	out=$(./scripts/checkpatch.pl --strict "$top/patches/$p" 2>&1) || true
	total=$(echo "$out" | grep '^total:' || echo "total: no result")
	echo "$p: $total"
	case "$total" in
	"total: 0 errors, 0 warnings, 0 checks,"*) continue ;;
	"total: 0 errors,"*) ;;
	*) echo "$out" | grep -A3 '^ERROR' | head -n 30; bad=$((bad + 1)); continue ;;
	esac
	# A remaining warning or check passes only if the commit message names
	# it (its first three words) where it says why it stays, or a paragraph
	# of the cover letter names it and this patch's number ("on patches 8,
	# 9 and 12: why").
	msg=$(sed '/^---$/q' "$top/patches/$p")
	kinds=$(echo "$out" | sed -n 's/^\(WARNING\|CHECK\): \([^ ]* [^ ]* [^ ]*\).*/\2/p' | sort -u)
	echo "$kinds" | while read -r k; do
		if echo "$msg" | grep -qiF "$k"; then
			echo "  justified in the commit message: $k"
		elif printf '%s\n' "$cover" | grep -iF "$k" |
			grep -oE 'on patch(es)? [0-9]+((,| and|, and) [0-9]+)*' |
			grep -oE '[0-9]+' | grep -qx "$n"; then
			echo "  justified in the cover letter: $k"
		else
			echo "  justified neither in the commit message nor in the cover letter (patch $n): $k"
			exit 1
		fi
	done || bad=$((bad + 1))
done <"$top/patches/series"
[ "$bad" -eq 0 ] || die "$bad patches are not checkpatch --strict clean"
