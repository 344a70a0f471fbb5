#!/bin/sh
# check-flags.sh CONSOLE_LOG series|reference: the flag tests ran where the
# flags exist and skipped by the probe where they do not.  A test that probes
# for its flag passes by skipping on a kernel without it, so a series kernel
# that lost a flag would still look green in check-log.sh's totals: this
# check tells the two apart.  On the series every process_vm_flags and
# process_vm_reduce test, every fuzz flags-equivalence test and stress's
# pidfd recycler must run (no skip at all); on the reference every one of
# them but unknown_bits_einval (which holds on every kernel) must skip, and
# for the probe's reason.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: $0 CONSOLE_LOG series|reference"
log=$1 kind=$2
[ -f "$log" ] || die "$log: no such log"
case "$kind" in series|reference) ;; *) die "unknown kernel kind '$kind' (series or reference)" ;; esac

tr -d '\r' <"$log" | awk -v kind="$kind" '
function abi_of(p) { sub(/^.*-/, "", p); return p }
/^cma-run: begin / { prog = $3; next }
/^cma-run: end / { prog = ""; next }
prog !~ /^(process_vm_flags|process_vm_reduce|fuzz-small|stress)-/ { next }
/^ok [0-9]+ / || /^not ok [0-9]+ / {
	abi = abi_of(prog); abis[abi] = 1
	name = $0; sub(/^(not )?ok [0-9]+ /, "", name)
	is_skip = name ~ / # SKIP / || name ~ /^# SKIP /
	by_probe = name ~ /the probe returned EINVAL/
	if (prog ~ /^fuzz-small-/ && name !~ /_flags/) next
	if (prog ~ /^stress-/ && name !~ /pidfd/) next
	if (prog ~ /^process_vm_flags-/ && name ~ /^(global\.)?unknown_bits_einval/) next
	if (kind == "series") {
		if (is_skip) { print prog ": skipped on the series: " name; bad++ }
		else ran[abi]++
	} else {
		if (!is_skip) { print prog ": ran on a kernel without flags: " name; bad++ }
		else if (!by_probe) { print prog ": skipped, not by the probe: " name; bad++ }
		else skipped[abi]++
	}
}
END {
	for (abi in abis) {
		if (kind == "series") {
			printf "%s: %d flag tests ran\n", abi, ran[abi]
			if (!ran[abi]) bad++
		} else {
			printf "%s: %d flag tests skipped by the probe\n", abi, skipped[abi]
			if (!skipped[abi]) bad++
		}
		n++
	}
	if (!n) { print "no flag test results in the log"; bad++ }
	exit bad ? 1 : 0
}'
