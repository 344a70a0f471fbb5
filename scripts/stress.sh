#!/bin/sh
# stress.sh [ARCH...]: the stress suite (guest/stress.c on every ABI, then
# pincheck) on the series and reference kernels of each ARCH (default: all
# guest arches).  CMA_STRESS_SUITE=stress-long runs the long setting;
# CMA_STRESS_VARIANTS picks the kernels (any build/kernels/ARCH-NAME, e.g.
# "debug-series").  The runs are make check's (guest_step); console logs:
# out/logs/run-stress-ARCH-VARIANT.log.
set -u
. "$(dirname "$0")/lib.sh"

suite=${CMA_STRESS_SUITE:-stress}
variants=${CMA_STRESS_VARIANTS:-series reference}
case "$suite" in
stress) limit=1200 ;;
stress-long) limit=3600 ;;
*) die "unknown suite '$suite' (stress or stress-long)" ;;
esac
[ $# -gt 0 ] || set -- $guest_arches
# Kernels other than base, series and reference are not built here: they
# must be there before anything runs.
for arch; do
	arch_load "$arch"
	for v in $variants; do
		case "$v" in
		base | series | reference) ;;
		*) image=$(kernel_image "$arch" "$v")
			[ -f "$image" ] || die "${image#"$top"/}: no such kernel" ;;
		esac
	done
done

# The steps, in order (run_checks numbers them).
checks() {
	for arch; do
		step "$arch initramfs with stress and pincheck" "stress-initramfs-$arch" \
			env CMA_STAGE="$build/stress-stage" "$top/scripts/mkinitramfs.sh" \
			"$arch" "$build/initramfs-stress-$arch.cpio" || stop_checks
		for v in $variants; do
			case "$v" in
			base | series | reference)
				step "build $arch $v kernel" "build-$arch-$v" \
					"$top/scripts/build-kernel.sh" "$arch" "$v" || stop_checks ;;
			esac
			guest_step "$arch $v kernel: $suite, every ABI" "$arch" "stress-$arch-$v" \
				"$(kernel_image "$arch" "$v")" "$build/initramfs-stress-$arch.cpio" \
				"$suite" "$limit"
			tr -d '\r' <"$logs/run-stress-$arch-$v.log" |
				sed -n 's/^# \([0-9]* calls in\|pins after\)/    \1/p'
		done
	done
}

run_checks "make stress" failures-stress.txt checks "$@"
