#!/bin/sh
# check.sh: what `make check` proves (README, doc/design.md section 5).  One
# progress line per step, full logs in out/logs/, and last the line
# "N passed, N failed".  Exit status is non-zero on any failure.
set -u
. "$(dirname "$0")/lib.sh"

passed=0 failed=0 STEP=0
nk=$(echo $kernel_arches | wc -w) ng=$(echo $guest_arches | wc -w)
STEPS=$((5 + 3 * ng + nk + 1 + nk + 1 + ng + 7 * ng + 1 + 4))
results=$top/out/results
rm -rf "$results"
mkdir -p "$results" "$logs"
exec 3>"$logs/failures.txt"

# guest ARCH VARIANT SUITES LABEL: boot a kernel, count what its tests say.
guest() {
	STEP=$((STEP + 1))
	guest_step "$4" "$1" "$1-$2" "$build/kernels/$1-$2/image" "$build/initramfs-$1.cpio" "$3" 1200
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

# Every patch is built on its own for x86-64 and ppc64 (kernel_arches),
# ending at the series; the other guest arches build the three kernels only,
# the series last, so that its object tree is the one verify-arm64 reads.
for arch in $guest_arches; do
	check "build $arch base kernel" "build-$arch-base" "$top/scripts/build-kernel.sh" "$arch" base
	case " $kernel_arches " in
	*" $arch "*) variants="series reference"
		check "build $arch at every patch of the series (bisectable)" "bisect-$arch" \
			"$top/scripts/bisect-build.sh" "$arch" ;;
	*) variants="reference series" ;;
	esac
	for v in $variants; do
		check "build $arch $v kernel" "build-$arch-$v" "$top/scripts/build-kernel.sh" "$arch" "$v"
	done
done
check "arm64 tables: 270/271 AArch64, 376/377 AArch32" verify-arm64 "$top/scripts/verify-arm64-tables.sh"

for arch in $kernel_arches; do
	check "sparse (C=2) and W=1 on the series' C files, $arch" "lint-$arch" "$top/scripts/lint-series.sh" "$arch"
done
check "documentation: htmldocs and the man page build without warnings" docs "$top/scripts/check-docs.sh"
for arch in $guest_arches; do
	check "build $arch initramfs (guest programs and selftests, every ABI)" "initramfs-$arch" \
		"$top/scripts/mkinitramfs.sh" "$arch" "$build/initramfs-$arch.cpio"
done

# Both kernels run the same fuzz-small calls (seeds 1-3, 1000 per seed and
# ABI) and the same stall-small cases (calls parked mid-transfer while the
# target changes); fuzz-compare.sh and stall-compare.sh then require
# identical results.  Stress (bounded,
# 30 s per ABI) runs on the series; pincheck after everything on both.
# Upstream's own mm selftests that pin pages (cow, gup_test, gup_longterm,
# ...) run as peers on x86-64: the same passes and skips on both kernels.
for arch in $guest_arches; do
	guest "$arch" base enosys "$arch base kernel: ENOSYS on every ABI"
	peers= peers_label=
	[ "$arch" != x86_64 ] || peers=,mm-peers peers_label=", mm peers"
	case "$arch" in
	x86_64|ppc64) guest "$arch" series smoke,selftests,fuzz-small,stall-small,bench-quick,demo,stress$peers \
		"$arch series kernel: smoke, selftests, fuzz, stall, bench --quick, demo, stress$peers_label, pins" ;;
	*) guest "$arch" series smoke,selftests,fuzz-small,stall-small,bench-quick,stress \
		"$arch series kernel: smoke, selftests, fuzz, stall, bench --quick, stress, pins" ;;
	esac
	guest "$arch" reference smoke,selftests,fuzz-small,stall-small,bench-quick,pincheck$peers \
		"$arch reference kernel: smoke, selftests, fuzz, stall, bench --quick$peers_label, pins"
	[ "$arch" != x86_64 ] ||
		check "$arch mm peers: the same upstream mm tests pass and skip on both kernels" "peers-compare-$arch" \
			"$top/scripts/peers-compare.sh" "$logs/run-$arch-series.log" "$logs/run-$arch-reference.log"
	check "$arch fuzz-small: series and reference agree on every call" "fuzz-compare-$arch" \
		"$top/scripts/fuzz-compare.sh" "$logs/run-$arch-series.log" "$logs/run-$arch-reference.log"
	check "$arch stall-small: series and reference agree on every parked call" "stall-compare-$arch" \
		"$top/scripts/stall-compare.sh" "$logs/run-$arch-series.log" "$logs/run-$arch-reference.log"
	check "$arch flag tests ran on the series (none skipped)" "flags-$arch-series" \
		"$top/scripts/check-flags.sh" "$logs/run-$arch-series.log" series
	check "$arch flag tests skipped by the probe on the reference" "flags-$arch-reference" \
		"$top/scripts/check-flags.sh" "$logs/run-$arch-reference.log" reference
done

# The users' view: Open MPI's vader/CMA path in a Debian guest on the
# x86-64 kernels (guest/mpi/run.sh judges data, strace counts, fallback).
check "MPI image: Debian bookworm, Open MPI, strace (kept in build/mpi)" mpi-rootfs \
	"$top/scripts/mpi-rootfs.sh"
for v in series reference base; do
	suite=mpi what="data right, every large message one process_vm_readv"
	[ "$v" != base ] || suite=mpi-base what="data right, Open MPI's ENOSYS fallback seen"
	STEP=$((STEP + 1))
	guest_step "x86_64 $v kernel: Open MPI ping-pong, Bcast, Alltoall: $what" x86_64 \
		"mpi-x86_64-$v" "$build/kernels/x86_64-$v/image" "$build/mpi/initramfs.cpio" "$suite" 900
done

exec 3>&-
echo "total $(($(date +%s) - t_start)) s; failures listed in out/logs/failures.txt"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
