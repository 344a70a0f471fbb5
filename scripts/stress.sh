#!/bin/sh
# stress.sh [ARCH...]: the stress suite (guest/stress.c on every ABI, then
# pincheck) on the series and reference kernels of each ARCH (default: all
# guest arches).  CMA_STRESS_SUITE=stress-long runs the long setting;
# CMA_STRESS_VARIANTS picks the kernels (any build/kernels/ARCH-NAME, e.g.
# "debug-series").  Console logs: out/logs/stress-ARCH-VARIANT.log.
set -eu
. "$(dirname "$0")/lib.sh"

suite=${CMA_STRESS_SUITE:-stress}
variants=${CMA_STRESS_VARIANTS:-series reference}
case "$suite" in
stress) limit=1200 ;;
stress-long) limit=3600 ;;
*) die "unknown suite '$suite' (stress or stress-long)" ;;
esac
[ $# -gt 0 ] || set -- $kernel_arches
for arch; do
	case " $kernel_arches " in
	*" $arch "*) ;;
	*) die "unknown arch '$arch' (one of: $kernel_arches)" ;;
	esac
done

# run_stress ARCH VARIANT: boot the suite, show what ran, judge the console
run_stress() {
	log=$logs/stress-$1-$2.log
	rc=0
	"$top/scripts/run-guest.sh" "$1" "$build/kernels/$1-$2/image" \
		"$build/initramfs-stress-$1.cpio" "$suite" "$log" "$limit" || rc=$?
	tr -d '\r' <"$log" | grep -E '^# (stress |[0-9]+ calls in|pins after)' || true
	verdict=$("$top/scripts/check-log.sh" "$log") || true
	echo "$verdict"
	[ $rc -eq 0 ] || { echo "qemu exit status $rc (124: timeout)"; return 1; }
	case "$verdict" in
	*"failed 0 "*) ;;
	*) return 1 ;;
	esac
}

failed=0
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
		step "$arch $v kernel: $suite, every ABI" "stress-$arch-$v-verdict" \
			run_stress "$arch" "$v" || failed=$((failed + 1))
		grep '^# [0-9]* calls in' "$logs/stress-$arch-$v-verdict.log" | sed 's/^# /    /'
	done
done
[ $failed -eq 0 ] || die "$failed stress run(s) failed; see out/logs/stress-*.log"
