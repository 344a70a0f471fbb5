#!/bin/sh
# check-arches.sh [TARGET...]: make check-arches, the rest of the tables
# booted (doc/design.md section 5): what make check does for a guest arch, on
#   riscv64     qemu-system-riscv64 -M virt, the generic table (270/271)
#   ppc64le     pSeries, little-endian kernel and user space (351/352)
#   s390x       qemu-system-s390x, s390's own numbers (340/341)
#   arm64-64k   the arm64 guest (AArch64 and AArch32) with 64 KiB pages
# (default: all four).  Per target: base, reference and series kernels (no
# bisect build), ENOSYS on the base, smoke, selftests, fuzz-small,
# bench --quick and stress on the series, the same but stress on the
# reference, pincheck on both, and fuzz-compare of the two fuzz-small runs.
# The last line is "N passed, N failed".  Not part of make check (CI budget).
set -u
. "$(dirname "$0")/lib.sh"

targets="$extra_arches arm64-64k"
[ $# -gt 0 ] || set -- $targets
for t; do
	case " $targets " in
	*" $t "*) ;;
	*) die "unknown target '$t' (one of: $targets)" ;;
	esac
done
[ -d "$tree/.git" ] || die "no build/linux: run 'make tree' first"

passed=0 failed=0 STEP=0
STEPS=$((9 * $#))
mkdir -p "$logs"
exec 3>"$logs/failures-arches.txt"

# target_arch TARGET: the arch QEMU and the guest programs are for;
# target_frag TARGET: its extra config fragment (a build flavour), if any.
target_arch() { case "$1" in arm64-64k) echo arm64 ;; *) echo "$1" ;; esac; }
target_frag() { case "$1" in arm64-64k) echo "$top/configs/pages-64k.config" ;; esac; }
# The flavour's name, as build-kernel.sh forms it from the fragment.
target_flavour() {
	f=$(target_frag "$1")
	if [ -n "$f" ]; then n=${f##*/}; echo "$(target_arch "$1")-${n%.config}"; else echo "$1"; fi
}

t_start=$(date +%s)
echo "Cross Memory Attach: make check-arches ($*) on $(uname -m), $(nproc) CPUs"
for t; do
	arch=$(target_arch "$t") frag=$(target_frag "$t") fl=$(target_flavour "$t")
	for v in base reference series; do
		# shellcheck disable=SC2086
		check "build $fl $v kernel" "build-$fl-$v" "$top/scripts/build-kernel.sh" "$arch" "$v" $frag
	done
	cpio=$build/initramfs-$arch.cpio
	check "build $arch initramfs (guest programs and selftests, every ABI)" "initramfs-$arch-$t" \
		"$top/scripts/mkinitramfs.sh" "$arch" "$cpio"
	k=$build/kernels/$fl
	arch_load "$arch"
	abis=$arch_abis
	STEP=$((STEP + 1))
	guest_step "$fl base kernel: ENOSYS ($abis)" "$arch" "$fl-base" "$k-base/image" "$cpio" enosys 1200
	STEP=$((STEP + 1))
	guest_step "$fl series kernel: smoke, selftests, fuzz, bench --quick, stress, pins" "$arch" \
		"$fl-series" "$k-series/image" "$cpio" smoke,selftests,fuzz-small,bench-quick,stress 1800
	STEP=$((STEP + 1))
	guest_step "$fl reference kernel: smoke, selftests, fuzz, bench --quick, pins" "$arch" \
		"$fl-reference" "$k-reference/image" "$cpio" smoke,selftests,fuzz-small,bench-quick,pincheck 1800
	check "$fl fuzz-small: series and reference agree on every call" "fuzz-compare-$fl" \
		env FUZZ_SERIES_IMAGE="$k-series/image" FUZZ_REFERENCE_IMAGE="$k-reference/image" \
		FUZZ_CPIO="$cpio" "$top/scripts/fuzz-compare.sh" "$logs/run-$fl-series.log" \
		"$logs/run-$fl-reference.log"
done

exec 3>&-
echo "total $(($(date +%s) - t_start)) s; failures listed in out/logs/failures-arches.txt"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
