#!/bin/sh
# check-mpi.sh [VARIANT|COMMIT...]: Open MPI moves its messages through our
# syscalls.  Boots the x86-64 kernels (default: series reference base) with
# the Debian image of mpi-rootfs.sh; series and reference must pass the
# suite "mpi" (every byte right, strace sees exactly the schedule's
# process_vm_readv calls, no failure, no fallback), base the suite
# "mpi-base" (every byte right through Open MPI's ENOSYS fallback, no
# successful call).  The runs are make check's (guest_step); console logs:
# out/logs/run-mpi-x86_64-VARIANT.log.
set -u
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

# The steps, in order (run_checks numbers them).
checks() {
	step "MPI image (Debian bookworm + Open MPI)" mpi-rootfs "$top/scripts/mpi-rootfs.sh" ||
		stop_checks
	for v; do
		suite=mpi
		[ "$v" != base ] || suite=mpi-base
		step "build x86_64 $v kernel" "build-x86_64-$v" \
			"$top/scripts/build-kernel.sh" x86_64 "$v" || continue
		guest_step "MPI on $v (suite $suite)" x86_64 "mpi-x86_64-$v" \
			"$(kernel_image x86_64 "$v")" "$build/mpi/initramfs.cpio" "$suite" 900
		tr -d '\r' <"$logs/run-mpi-x86_64-$v.log" | sed -n 's/^# strace /    /p'
	done
}

run_checks "make check-mpi" failures-mpi.txt checks "$@"
