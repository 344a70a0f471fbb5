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
arch_load "$arch"
cpu=${CMA_CPU:-$arch_cpu}
set -- "$arch_qemu" -M "$arch_machine" ${cpu:+-cpu "$cpu"} -m 2G -smp "${CMA_SMP:-2}" \
	-append "console=$arch_console${arch_cmdline:+ $arch_cmdline} $append"
command -v "$1" >/dev/null || die "$1 not found: run 'make deps'"
mkdir -p "$(dirname "$log")"
# QEMU's own messages go to a side file so they are not read as the kernel's.
timeout --foreground -k 10 "$limit" "$@" ${CMA_QEMU_EXTRA:-} -nographic -no-reboot \
	-kernel "$image" -initrd "$initrd" </dev/null >"$log" 2>"$log.qemu"
