#!/bin/sh
# check-log.sh CONSOLE_LOG: judge one guest run.  Prints one line per failed
# check and, last, "passed N failed N skipped N".  A run fails on any kernel
# report (BUG, WARNING, Oops, Call Trace, KASAN, lockdep, panic, ...), on a
# program that hung, crashed or exited non-zero, on a program whose TAP
# output has no totals, and on a guest that never reached its end.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 CONSOLE_LOG" >&2; exit 2; }
[ -f "$1" ] || { echo "check-log: $1: no such log" >&2; exit 2; }

tr -d '\r' <"$1" | awk '
BEGIN { pass = 0; fail = 0; skip = 0; prog = ""; done = 0 }
/BUG:|WARNING:|Oops|Call Trace|KASAN: |UBSAN|kmemleak: .*(suspected memory leak|[Dd]isabled|Memory pool empty|Cannot|Failed)|unreferenced object 0x|general protection fault|Unable to handle kernel|Kernel panic|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|INFO: task .* blocked|soft lockup|hard LOCKUP|rcu_sched self-detected|BUG -|Bad page/ {
	print "kernel report: " $0; fail++; next
}
/^cma-run: begin / { prog = $3; totals = 0; next }
/^cma-run: end / {
	if ($4 !~ /^exit=(0|4)$/) { print prog ": " $4 " " $5 " " $6; fail++ }
	else if (!totals) { print prog ": no TAP totals"; fail++ }
	prog = ""; next
}
/^cma-run: error/ { print $0; fail++; next }
/^cma-run: done/ { done = 1; next }
prog != "" && /^not ok [0-9]+ / { print prog ": " $0 }
prog != "" && /^# Totals: / {
	for (i = 3; i <= NF; i++) {
		split($i, kv, ":")
		if (kv[1] == "pass" || kv[1] == "xfail") pass += kv[2]
		else if (kv[1] == "fail" || kv[1] == "error" || kv[1] == "xpass") fail += kv[2]
		else if (kv[1] == "skip") skip += kv[2]
	}
	totals = 1
}
END {
	if (prog != "") { print prog ": never finished"; fail++ }
	if (!done) { print "guest did not reach the end of its suites"; fail++ }
	printf "passed %d failed %d skipped %d\n", pass, fail, skip
}'
