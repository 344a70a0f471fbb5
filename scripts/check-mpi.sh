#!/bin/sh
# check-mpi.sh [VARIANT|COMMIT...]: Open MPI moves its messages through our
# syscalls.  Boots the x86-64 kernels (default: series reference base) with
# the Debian image of mpi-rootfs.sh; series and reference must pass the
# suite "mpi" (every byte right, strace sees exactly the schedule's
# process_vm_readv calls, no failure, no fallback), base the suite
# "mpi-base" (every byte right through Open MPI's ENOSYS fallback, no
# successful call).  Console logs: out/logs/mpi-VARIANT.log.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || set -- series reference base
# A commit id of build/linux (build-kernel.sh builds it) runs the suite mpi
# too: that is how an injected bug is shown to be caught.
for v in "$@"; do
	case "$v" in
	base | series | reference) ;;
	*) echo "$v" | grep -Eqx '[0-9a-f]{40}' ||
		die "unknown kernel '$v' (series, reference, base or a full commit id)" ;;
	esac
done

step "MPI image (Debian bookworm + Open MPI)" mpi-rootfs "$top/scripts/mpi-rootfs.sh" ||
	exit 1
cpio=$build/mpi/initramfs.cpio

failed=0
for v in "$@"; do
	suite=mpi
	[ "$v" != base ] || suite=mpi-base
	console=$logs/mpi-$v.log	# not "log": step() sets that
	if ! step "kernel x86_64 $v" "mpi-kernel-$v" "$top/scripts/build-kernel.sh" x86_64 "$v"; then
		failed=$((failed + 1))
		continue
	fi
	printf 'MPI on %s (suite %s) ... ' "$v" "$suite"
	t0=$(date +%s)
	"$top/scripts/run-guest.sh" x86_64 "$build/kernels/x86_64-$v/image" "$cpio" \
		"$suite" "$console" 600 || true
	verdict=$("$top/scripts/check-log.sh" "$console" 2>&1 | tail -n 1)
	# "pingpong R/W/F collective R/W/F": successful readv, writev; failed
	counts=$(sed -n 's/\r$//; s/^# strace \([a-z]*\): process_vm_readv ok \([0-9]*\).*writev ok \([0-9]*\), failed \([0-9]*\).*/\1 \2\/\3\/\4/p' "$console" | tr '\n' ' ')
	# check-log.sh's verdict, and the strace counts of both programs
	if echo "$verdict" | grep -q '^passed [1-9][0-9]* failed 0 ' &&
	   [ "$(echo "$counts" | wc -w)" -eq 4 ]; then
		echo "ok ($(($(date +%s) - t0)) s; readv/writev/failed: ${counts:-none})"
	else
		echo "FAILED ($(($(date +%s) - t0)) s; $verdict), log: ${console#"$top"/}"
		"$top/scripts/check-log.sh" "$console" 2>&1 | sed 's/^/    /' | tail -n 15
		failed=$((failed + 1))
	fi
done
[ $failed -eq 0 ] || die "$failed of $# MPI runs failed"
