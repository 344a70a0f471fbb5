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
for arch; do
	case " $all_arches " in
	*" $arch "*) ;;
	*) die "unknown arch '$arch' (one of: $all_arches)" ;;
	esac
done

passed=0 failed=0
mkdir -p "$logs"
exec 3>"$logs/failures-stress.txt"
for arch; do
	step "$arch initramfs with stress and pincheck" "stress-initramfs-$arch" \
		env CMA_STAGE="$build/stress-stage" "$top/scripts/mkinitramfs.sh" \
		"$arch" "$build/initramfs-stress-$arch.cpio" || exit 1
	for v in $variants; do
		case "$v" in
		base | series | reference)
			step "build $arch $v kernel" "build-$arch-$v" \
				"$top/scripts/build-kernel.sh" "$arch" "$v" || exit 1 ;;
		esac
		[ -f "$build/kernels/$arch-$v/image" ] ||
			die "build/kernels/$arch-$v/image: no such kernel"
		guest_step "$arch $v kernel: $suite, every ABI" "$arch" "stress-$arch-$v" \
			"$build/kernels/$arch-$v/image" "$build/initramfs-stress-$arch.cpio" \
			"$suite" "$limit"
		tr -d '\r' <"$logs/run-stress-$arch-$v.log" |
			sed -n 's/^# \([0-9]* calls in\|pins after\)/    \1/p'
	done
done
exec 3>&-
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] || die "$failed failed; see out/logs/failures-stress.txt"
