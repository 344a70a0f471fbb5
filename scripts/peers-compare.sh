#!/bin/sh
# peers-compare.sh SERIES_LOG REFERENCE_LOG: compare the mm-peers suite
# (upstream's mm selftests, scripts/build-mm-peers.sh) of two console logs.
# Each program's TAP results, framed by init's "cma-run: begin/end NAME"
# lines, are keyed by program, test number and the "# [RUN]" or "# [INFO]"
# line before them.  Both kernels must pass the same tests and skip the same
# tests (expected failures, XFAIL, must match too), and neither may fail one
# (not ok, XPASS) or leave a program hung, crashed or exiting non-zero.
# Prints "mm peers: N passed and M skipped on both" and exits 0, or prints
# every difference and failure and exits 1.
set -u
. "$(dirname "$0")/lib.sh"
export LC_ALL=C		# join and sort must agree on the order

compare_logs_setup "$@"

# results LOG: "key<TAB>status<TAB>what the line said", sorted; status is
# pass, skip, xfail or fail, and one "(program)" key per program: ended
# (exit 0 or 4, KSFT_SKIP) or fail (hung, crashed, other exit status).
results() {
	tr -d '\r' <"$1" | awk '
	BEGIN { OFS = "\t"; prog = "" }
	/^cma-run: begin / {
		prog = ($3 ~ /^mm-/) ? $3 : ""
		ctx = ""
		if (prog != "")
			end[prog] = "never finished"
		next
	}
	/^cma-run: end / {
		if (prog != "")
			end[prog] = ($4 ~ /^exit=(0|4)$/) ? "" : $4 " " $5 " " $6
		prog = ""
		next
	}
	prog == "" { next }
	/^# \[(RUN|INFO)\] / { ctx = substr($0, 3); next }
	/^1\.\.0 # SKIP/ { print prog " #0", "skip", $0; next }
	/^(not )?ok [0-9]+/ {
		n = ($1 == "not") ? $3 : $2
		text = $0
		sub(/^(not )?ok [0-9]+ ?/, "", text)
		if ($1 == "not" || text ~ /(^|[ \t])# XPASS/) status = "fail"
		else if (text ~ /(^|[ \t])# SKIP/) status = "skip"
		else if (text ~ /(^|[ \t])# XFAIL/) status = "xfail"
		else status = "pass"
		print prog " #" n (ctx != "" ? " " ctx : ""), status, text
	}
	END {
		for (p in end)
			print p " (program)", (end[p] == "") ? "ended" : "fail", end[p]
	}' | sort -t "	" -k1,1
}
results "$1" >"$work/s"
results "$2" >"$work/r"
[ -s "$work/s" ] || die "$1: no mm-peers results (did the mm-peers suite run?)"
[ -s "$work/r" ] || die "$2: no mm-peers results (did the mm-peers suite run?)"

# Every test of either log, side by side: key, series, reference.
join -t "	" -a 1 -a 2 -e MISSING -o 0,1.2,2.2,1.3,2.3 "$work/s" "$work/r" >"$work/joined"
awk -F '\t' '$2 != $3 || $2 == "fail"' "$work/joined" >"$work/diff"

if [ ! -s "$work/diff" ]; then
	awk -F '\t' '
	$2 == "pass" { p++ } $2 == "skip" { s++ } $2 == "xfail" { x++ }
	END {
		printf "mm peers: %d passed and %d skipped on both", p, s
		if (x)
			printf " (%d expected failures on both)", x
		printf "\n"
	}' "$work/joined"
	exit 0
fi

echo "mm peers: $(wc -l <"$work/diff") of $(wc -l <"$work/joined") results differ or fail:"
awk -F '\t' '{
	print "  " $1
	print "    series:    " $2 (($4 != "MISSING" && $4 != "") ? " (" $4 ")" : "")
	print "    reference: " $3 (($5 != "MISSING" && $5 != "") ? " (" $5 ")" : "") }' "$work/diff"
exit 1
