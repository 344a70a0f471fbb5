#!/bin/sh
# run-guest.sh ARCH IMAGE INITRAMFS SUITES CONSOLE_LOG [TIMEOUT_S]
# Boot IMAGE under QEMU TCG with our initramfs; init runs SUITES (comma
# separated names of /suites files) and powers off.  The console goes to
# CONSOLE_LOG; judging it is check-log.sh's job.  Exit status: QEMU's, or
# 124 on timeout.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -ge 5 ] || die "usage: $0 ARCH IMAGE INITRAMFS SUITES CONSOLE_LOG [TIMEOUT_S]"
arch=$1 image=$2 initrd=$3 suites=$4 log=$5 limit=${6:-900}
[ -f "$image" ] || die "$image: no kernel image (build it first)"
[ -f "$initrd" ] || die "$initrd: no initramfs"

# hugepages: a few reserved huge pages for the hugetlbfs tests.
# no_timer_check (x86): on a loaded host TCG can miss the IO-APIC timer
# check's window and the kernel then panics at boot.  CMA_CPU: the x86-64
# CPU model (default max; make bench's cost model is max,-erms,-fsrm).
append="panic=-1 hugepages=8 cmasuite=$suites ${CMA_APPEND:-}"
case "$arch" in
x86_64)
	set -- qemu-system-x86_64 -M q35 -cpu "${CMA_CPU:-max}" -m 2G -smp "${CMA_SMP:-2}" \
		-append "console=ttyS0 no_timer_check $append" ;;
ppc64|ppc64le)
	set -- qemu-system-ppc64 -M pseries -cpu power9 -m 2G -smp "${CMA_SMP:-2}" \
		-append "console=hvc0 $append" ;;
# -cpu max runs AArch32 at EL0 (the arm32 ABI) under TCG.
arm64)
	set -- qemu-system-aarch64 -M virt -cpu max -m 2G -smp "${CMA_SMP:-2}" \
		-append "console=ttyAMA0 $append" ;;
riscv64)
	set -- qemu-system-riscv64 -M virt -m 2G -smp "${CMA_SMP:-2}" \
		-append "console=ttyS0 $append" ;;
s390x)
	set -- qemu-system-s390x -M s390-ccw-virtio -m 2G -smp "${CMA_SMP:-2}" \
		-append "console=ttysclp0 $append" ;;
*) die "unknown arch '$arch' (one of: $all_arches)" ;;
esac
command -v "$1" >/dev/null || die "$1 not found: run 'make deps'"
mkdir -p "$(dirname "$log")"
# QEMU's own messages go to a side file so they are not read as the kernel's.
timeout --foreground -k 10 "$limit" "$@" ${CMA_QEMU_EXTRA:-} -nographic -no-reboot \
	-kernel "$image" -initrd "$initrd" </dev/null >"$log" 2>"$log.qemu"
