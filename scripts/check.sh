#!/bin/sh
# check.sh: what `make check` proves (README, design.md section 5).  One
# progress line per step, full logs in out/logs/, and last the line
# "N passed, N failed".  Exit status is non-zero on any failure.
set -u
. "$(dirname "$0")/lib.sh"

passed=0 failed=0
STEP=0
STEPS=$((5 + 10 + 3 + 2 + 6))
results=$top/out/results
rm -rf "$results"
mkdir -p "$results" "$logs"
exec 3>"$logs/failures.txt"

# check LABEL LOG CMD...: one harness check, counted as one test.
check() {
	STEP=$((STEP + 1))
	if step "$@"; then
		passed=$((passed + 1))
		return 0
	fi
	echo "$1" >&3
	failed=$((failed + 1))
	return 1
}

# guest ARCH VARIANT SUITES LABEL: boot a kernel, count what its tests say.
guest() {
	arch=$1 variant=$2 suites=$3 label=$4
	STEP=$((STEP + 1))
	name=$arch-$variant
	printf '[%s/%s] %s ... ' "$STEP" "$STEPS" "$label"
	image=$build/kernels/$name/image cpio=$build/initramfs-$arch.cpio
	if [ ! -f "$image" ] || [ ! -f "$cpio" ]; then
		echo "FAILED (no kernel or initramfs)"
		echo "$label: not run" >&3
		failed=$((failed + 1))
		return
	fi
	t0=$(date +%s)
	"$top/scripts/run-guest.sh" "$arch" "$image" "$cpio" "$suites" "$logs/run-$name.log" 1200
	rc=$?
	"$top/scripts/check-log.sh" "$logs/run-$name.log" >"$results/$name" 2>&1
	[ $rc -eq 0 ] || echo "qemu exit status $rc (124: timeout)" >>"$results/$name"
	set -- $(tail -n 1 "$results/$name")
	p=${2:-0} f=${4:-1} s=${6:-0}
	[ $rc -eq 0 ] || f=$((f + 1))
	[ "$p" -gt 0 ] || f=$((f + 1))	# a run that passed nothing proved nothing
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -eq 0 ]; then
		echo "ok ($(($(date +%s) - t0)) s, $p passed, $s skipped)"
	else
		echo "FAILED ($(($(date +%s) - t0)) s, $p passed, $f failed), log: out/logs/run-$name.log"
		sed '$d' "$results/$name" | head -n 20 | sed 's/^/    /'
		sed '$d' "$results/$name" | sed "s/^/$name: /" >&3
	fi
}

t_start=$(date +%s)
echo "Cross Memory Attach: make check on $(uname -m), $(nproc) CPUs"
check "make tree (base and series from patches/)" tree "$top/scripts/tree.sh" ||
	{ echo "0 passed, 1 failed"; exit 1; }
echo "    base: $(cat "$build/VERSION"), series: $(git -C "$tree" rev-list --count base..HEAD) patches"
check "pre-CMA base has no process_vm syscall left" verify-base "$top/scripts/verify-base.sh"
check "series applies to a freshly stripped base" verify-series "$top/scripts/verify-series.sh"
check "harness catches what it claims (check-log, strip-cma)" selftest-harness "$top/scripts/selftest-harness.sh"
check "checkpatch --strict on every patch" checkpatch "$top/scripts/checkpatch-series.sh"

for arch in $kernel_arches; do
	check "build $arch base kernel" "build-$arch-base" "$top/scripts/build-kernel.sh" "$arch" base
	check "build $arch at every patch of the series (bisectable)" "bisect-$arch" \
		"$top/scripts/bisect-build.sh" "$arch"
	check "build $arch series kernel" "build-$arch-series" "$top/scripts/build-kernel.sh" "$arch" series
	check "build $arch reference kernel" "build-$arch-reference" "$top/scripts/build-kernel.sh" "$arch" reference
done
check "cross-build arm64 series kernel" build-arm64-series "$top/scripts/build-kernel.sh" arm64 series
check "arm64 tables: 270/271 AArch64, 376/377 AArch32" verify-arm64 "$top/scripts/verify-arm64-tables.sh"

for arch in $kernel_arches; do
	check "sparse (C=2) and W=1 on the series' C files, $arch" "lint-$arch" "$top/scripts/lint-series.sh" "$arch"
done
check "documentation: htmldocs and the man page build without warnings" docs "$top/scripts/check-docs.sh"
for arch in $kernel_arches; do
	check "build $arch initramfs (guest programs and selftests, every ABI)" "initramfs-$arch" \
		"$top/scripts/mkinitramfs.sh" "$arch" "$build/initramfs-$arch.cpio"
done

for arch in $kernel_arches; do
	guest "$arch" base enosys "$arch base kernel: ENOSYS on every ABI"
	guest "$arch" series smoke,selftests,bench-quick,demo \
		"$arch series kernel: smoke, selftests, bench --quick, demo, every ABI"
	guest "$arch" reference smoke,selftests,bench-quick \
		"$arch reference kernel: smoke, selftests, bench --quick, every ABI"
done

exec 3>&-
echo "total $(($(date +%s) - t_start)) s; failures listed in out/logs/failures.txt"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
