#!/bin/sh
# check-arches.sh [TARGET...]: make check-arches, the rest of the tables
# booted (doc/design.md section 5): what make check does for a guest arch, on
#   riscv64     qemu-system-riscv64 -M virt, the generic table (270/271)
#   ppc64le     pSeries, little-endian kernel and user space (351/352)
#   s390x       qemu-system-s390x, s390's own numbers (340/341)
#   arm64-64k   the arm64 guest (AArch64 and AArch32) with 64 KiB pages
# (default: every arch with a record in scripts/arches/ that make check does
# not boot, then the extra targets the records name, arm64-64k; today all
# four).  Per target: base, reference and series kernels (no
# bisect build), ENOSYS on the base, smoke, selftests, fuzz-small,
# bench --quick and stress on the series, the same but stress on the
# reference, pincheck on both, and fuzz-compare of the two fuzz-small runs.
# The last line is "N passed, N failed".  Not part of make check (CI budget).
set -u
. "$(dirname "$0")/lib.sh"

# The targets: every arch with a record that make check does not boot, then
# the extra targets records name (arm64's arm64-64k).
targets=$extra_arches
for a in $all_arches; do
	arch_load "$a"
	for t in $arch_extra_targets; do
		targets="$targets ${t%%=*}"
	done
done
[ $# -gt 0 ] || set -- $targets
for t; do
	in_list "$t" $targets || die "unknown target '$t' (one of: $targets)"
done
[ -d "$tree/.git" ] || die "no build/linux: run 'make tree' first"

# target_load TARGET: arch_load the arch QEMU and the guest programs are
# for; t_frag is the target's extra config fragment (a build flavour), if
# any, and t_flavour the flavour's name.
target_load() {
	t_arch=$1 t_frag=
	for tl_arch in $all_arches; do
		arch_load "$tl_arch"
		for tl_target in $arch_extra_targets; do
			[ "${tl_target%%=*}" != "$1" ] || t_arch=$tl_arch t_frag=$top/${tl_target#*=}
		done
	done
	arch_load "$t_arch"
	# shellcheck disable=SC2086
	t_flavour=$(kernel_flavour "$t_arch" $t_frag)
}

# The steps, in order (run_checks numbers them).
checks() {
	for t; do
		target_load "$t"
		arch=$t_arch frag=$t_frag fl=$t_flavour
		for v in base reference series; do
			# shellcheck disable=SC2086
			check "build $fl $v kernel" "build-$fl-$v" "$top/scripts/build-kernel.sh" "$arch" "$v" $frag
		done
		cpio=$build/initramfs-$arch.cpio
		check "build $arch initramfs (guest programs and selftests, every ABI)" "initramfs-$arch-$t" \
			"$top/scripts/mkinitramfs.sh" "$arch" "$cpio"
		guest_step "$fl base kernel: ENOSYS ($arch_abis)" "$arch" "$fl-base" \
			"$(kernel_image "$fl" base)" "$cpio" enosys 1200
		guest_step "$fl series kernel: smoke, selftests, fuzz, bench --quick, stress, pins" "$arch" \
			"$fl-series" "$(kernel_image "$fl" series)" "$cpio" smoke,selftests,fuzz-small,bench-quick,stress 1800
		guest_step "$fl reference kernel: smoke, selftests, fuzz, bench --quick, pins" "$arch" \
			"$fl-reference" "$(kernel_image "$fl" reference)" "$cpio" smoke,selftests,fuzz-small,bench-quick,pincheck 1800
		check "$fl fuzz-small: series and reference agree on every call" "fuzz-compare-$fl" \
			env FUZZ_SERIES_IMAGE="$(kernel_image "$fl" series)" \
			FUZZ_REFERENCE_IMAGE="$(kernel_image "$fl" reference)" \
			FUZZ_CPIO="$cpio" "$top/scripts/fuzz-compare.sh" "$logs/run-$fl-series.log" \
			"$logs/run-$fl-reference.log"
	done
}

run_checks "make check-arches ($*)" failures-arches.txt checks "$@"
