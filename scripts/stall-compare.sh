#!/bin/sh
# stall-compare.sh SERIES_LOG REFERENCE_LOG: compare the stall-case lines
# (guest/stall.c) of two console logs, case by case (ABI, seed, case).
# Prints "no difference in N cases (...)" and exits 0, or prints every case
# that differs, or that one log lacks, with both lines and exits 1.
#
# One difference is not the kernels': whether a THP case's region got a huge
# page (thp=0 on one side, thp=1 on the other) depends on how fragmented
# the guest's memory is.  Such a case is skipped, and counted as skipped.
# ksm= and numa= say whether KSM could merge and pages could move to another
# node; neither ever changes a byte, so they are not compared: a debug
# kernel with KSM agrees with a reference without it on everything else.
set -u
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

compare_logs_setup "$@"

# cases LOG: "abi seed case<TAB>the rest of the line", sorted
cases() {
	keyed_lines "$1" 's/^stall-case abi=\([^ ]*\) seed=\([^ ]*\) case=\([^ ]*\) \(.*\)$/\1 \2 \3\t\4/p' |
		sed 's/ ksm=[^ ]*//g; s/ numa=[^ ]*//g'
}
cases "$1" >"$work/s"
cases "$2" >"$work/r"
[ -s "$work/s" ] || die "$1: no stall-case lines (did the stall suite run?)"
[ -s "$work/r" ] || die "$2: no stall-case lines (did the stall suite run?)"

# Every case of either log, side by side; a case only one log has differs.
side_by_side "$work/s" "$work/r" >"$work/joined"
awk -F '\t' -v skip="$work/skip" -v diff="$work/diff" '
function thp(line) {
	return match(line, / thp=[^ ]*/) ? substr(line, RSTART, RLENGTH) : ""
}
$2 == $3 { next }
$2 != "MISSING" && $3 != "MISSING" && thp($2) != thp($3) { print >skip; next }
{ print >diff }' "$work/joined"

total=$(wc -l <"$work/joined")
skipped=0
[ -f "$work/skip" ] && skipped=$(wc -l <"$work/skip")
if [ ! -f "$work/diff" ]; then
	awk -F '\t' -v skipped="$skipped" '
	{ split($1, k, " "); abis[k[1]] = 1; seeds[k[2]] = 1 }
	END {
		for (a in abis) al = al " " a
		for (s in seeds) sl = sl " " s
		printf "no difference in %d cases (ABI%s; seeds%s)", NR - skipped, al, sl
		if (skipped)
			printf "; %d skipped: THP on one kernel only", skipped
		printf "\n"
	}' "$work/joined"
	exit 0
fi

echo "DIFFERENCE in $(wc -l <"$work/diff") case(s) of $total ($skipped skipped: THP on one kernel only):"
sort -t ' ' -k1,1 -k2,2n -k3,3n "$work/diff" | head -n 50 | awk -F '\t' '{
	split($1, k, " ")
	print "  case " k[3] " of seed " k[2] " (abi " k[1] "): stall --seed " k[2] " --first " k[3] " --cases 1 --verbose"
	print "    series:    " $2
	print "    reference: " $3 }'
more=$(($(wc -l <"$work/diff") - 50))
[ "$more" -le 0 ] || echo "  ... and $more more"
exit 1
