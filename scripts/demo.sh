#!/bin/sh
# demo.sh: what `make` does: build the series into an x86-64 kernel, boot
# it, and show one process reading and writing another's memory.
set -u
. "$(dirname "$0")/lib.sh"

STEPS=5
STEP=1 step "install missing packages" deps "$top/scripts/deps.sh" || exit 1
STEP=2 step "make tree (base + patches/)" tree "$top/scripts/tree.sh" || exit 1
STEP=3 step "build x86_64 series kernel" build-x86_64-series \
	"$top/scripts/build-kernel.sh" x86_64 series || exit 1
STEP=4 step "build x86_64 initramfs" initramfs-x86_64 \
	"$top/scripts/mkinitramfs.sh" x86_64 "$build/initramfs-x86_64.cpio" || exit 1
log=$logs/run-demo.log
STEP=5 step "boot it under QEMU and run the demonstration" run-demo \
	"$top/scripts/run-guest.sh" x86_64 "$(kernel_image x86_64 series)" \
	"$build/initramfs-x86_64.cpio" demo "$log" 300 || exit 1
echo
echo "Linux $(cat "$build/VERSION") + $(git -C "$tree" rev-list --count base..HEAD) patches, x86-64 guest:"
tr -d '\r' <"$log" | sed -n '/^cma-run: begin demo/,/^cma-run: end demo/p' |
	grep -v '^cma-run:\|^\[ *[0-9]\|^TAP version\|^1\.\.\|^# '
# Speed is not timed in this guest (TCG emulates the kernel's copy far more
# slowly than user-space memcpy): say what make bench measured instead.
if [ -f "$top/doc/bench/headline.txt" ]; then
	echo
	echo "Speed, from the last 'make bench' (doc/bench/report.md; not timed here, where"
	echo "QEMU emulates the kernel's copy far more slowly than it runs on hardware):"
	sed 's/^/  /' "$top/doc/bench/headline.txt"
fi
verdict=$("$top/scripts/check-log.sh" "$log" | tail -n 1)
tr -d '\r' <"$log" | grep -q '^cma-run: end demo exit=0' ||
	{ echo "the demonstration failed: see ${log#"$top"/}"; exit 1; }
case "$verdict" in
*"failed 0"*) echo; echo "kernel log clean. Next: make check (all tests)." ;;
*) echo "kernel log not clean: see ${log#"$top"/}"; "$top/scripts/check-log.sh" "$log"; exit 1 ;;
esac
