#!/bin/sh
# fuzz.sh ARCH CALLS [SEEDS]: differential fuzzing of the series against the
# reference kernel.  Boots both kernels of ARCH with the same guest/fuzz.c
# run (CALLS calls in all: half on the native ABI, the rest shared by the
# compat ABIs; spread over SEEDS, a comma separated list, default 1) and
# compares their digests with fuzz-compare.sh.  Exits non-zero on any
# difference, any kernel report or failed program, or a run that timed out.
# Logs: out/logs/run-fuzz-ARCH-{series,reference}.log, fuzz-compare-ARCH.log.
#   FUZZ_TIMEOUT   seconds per boot (default: from CALLS, generous for TCG)
#   FUZZ_SERIES_IMAGE  boot this image instead of the series kernel (e.g. a
#                  kernel with an injected bug); nothing is built then
set -u
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] && [ $# -le 3 ] || die "usage: $0 ARCH CALLS [SEEDS]  (ARCH: $all_arches; SEEDS: 1,2,...)"
arch=$1 calls=$2 seeds=${3:-1}
arch_load "$arch"
abis=$arch_abis
case "$calls" in
''|*[!0-9]*) die "CALLS must be a number, not '$calls'" ;;
esac
[ "$calls" -gt 0 ] || die "CALLS must be positive"
case "$seeds" in
''|*[!0-9,]*|,*|*,|*,,*) die "SEEDS must be numbers separated by commas, not '$seeds'" ;;
esac
nseeds=$(echo "$seeds" | tr ',' '\n' | wc -l)
[ -z "${FUZZ_SERIES_IMAGE:-}" ] || [ -f "$FUZZ_SERIES_IMAGE" ] ||
	die "FUZZ_SERIES_IMAGE=$FUZZ_SERIES_IMAGE: no such image"

# Calls per seed for each ABI: the native ABI (first) gets half, at least as
# many as any compat ABI; rounded up so the total is at least CALLS.
set -- $abis
ncompat=$(($# - 1))
native=$(((calls + 1) / 2)) compat=0
[ "$ncompat" -gt 0 ] || native=$calls	# an arch with one user ABI
[ "$ncompat" -eq 0 ] || compat=$(((calls - native + ncompat - 1) / ncompat))
per_seed() { echo $((($1 + nseeds - 1) / nseeds)); }
append="cmafuzz_seeds=$seeds cmafuzz_calls_$1=$(per_seed $native)"
shift
for abi in "$@"; do
	append="$append cmafuzz_calls_$abi=$(per_seed $compat)"
done
# TCG runs a few hundred calls a second at worst (ppc32 under ppc64)
timeout=${FUZZ_TIMEOUT:-$((600 + calls / 50))}

STEPS=5
snap=$build/fuzz-kernels
cpio=$build/initramfs-fuzz-$arch.cpio
mkdir -p "$snap" "$logs"

# Copies of the kernels: a rebuild next door must not change the series
# between its run, the reference run and a replay.
snapshot() {
	for v in series reference; do
		if [ $v = series ] && [ -n "${FUZZ_SERIES_IMAGE:-}" ]; then
			src=$FUZZ_SERIES_IMAGE
		else
			"$top/scripts/build-kernel.sh" "$arch" $v || return 1
			src=$(kernel_image "$arch" $v)
		fi
		mkdir -p "$snap/$arch-$v"
		cp "$src" "$snap/$arch-$v/image.tmp" &&
			mv "$snap/$arch-$v/image.tmp" "$snap/$arch-$v/image" || return 1
		echo "$arch-$v: $src"
	done
}

f_t0=$(date +%s)
echo "fuzz $arch: $calls calls over ABIs $abis, seeds $seeds ($append)"
STEP=1
step "kernels: $arch series and reference" "fuzz-kernels-$arch" snapshot || exit 1
STEP=2
step "initramfs with the fuzz program, every ABI" "fuzz-initramfs-$arch" \
	env CMA_STAGE="$build/fuzz-stage" "$top/scripts/mkinitramfs.sh" "$arch" "$cpio" || exit 1
# Both boots are judged as make check judges a guest run (guest_step).
passed=0 failed=0
exec 3>"$logs/failures-fuzz-$arch.txt"
export CMA_APPEND="$append"
for v in series reference; do
	STEP=$((STEP + 1))
	guest_step "boot $arch $v kernel, fuzz" "$arch" "fuzz-$arch-$v" \
		"$snap/$arch-$v/image" "$cpio" fuzz "$timeout"
	tr -d '\r' <"$logs/run-fuzz-$arch-$v.log" | sed -n "s/^\(# fuzz .*\)/    $v: \1/p"
done
unset CMA_APPEND
exec 3>&-
# Not step(): the comparison's whole output is the result.
printf '[5/%s] compare the digests (on a difference, replay its block) ... ' "$STEPS"
FUZZ_SERIES_IMAGE=$snap/$arch-series/image FUZZ_REFERENCE_IMAGE=$snap/$arch-reference/image \
	FUZZ_CPIO=$cpio "$top/scripts/fuzz-compare.sh" \
	"$logs/run-fuzz-$arch-series.log" "$logs/run-fuzz-$arch-reference.log" \
	>"$logs/fuzz-compare-$arch.log" 2>&1
c_ok=$?
[ $c_ok -eq 0 ] && echo ok || echo "FAILED, log: out/logs/fuzz-compare-$arch.log"
sed 's/^/    /' "$logs/fuzz-compare-$arch.log"
echo "fuzz $arch: total $(($(date +%s) - f_t0)) s"
[ "$failed" -eq 0 ] && [ $c_ok -eq 0 ]
