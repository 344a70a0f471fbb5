#!/bin/sh
# check.sh: what `make check` proves (README, doc/design.md section 5).  One
# progress line per step, full logs in out/logs/, and last the line
# "N passed, N failed".  Exit status is non-zero on any failure.
set -u
. "$(dirname "$0")/lib.sh"

# What make check runs on some guest arches only (CI's time budget): the
# demo on these series kernels; upstream's mm selftests that pin pages as
# peers (the same passes and skips on series and reference) on these.
demo_arches="x86_64 ppc64"
peers_arches="x86_64"

results=$top/out/results
rm -rf "$results"
mkdir -p "$results"

# guest ARCH VARIANT SUITES LABEL: boot a kernel, count what its tests say.
guest() {
	guest_step "$4" "$1" "$1-$2" "$(kernel_image "$1" "$2")" "$build/initramfs-$1.cpio" "$3" 1200
}

# The steps, in order (run_checks numbers them).
checks() {
	check "make tree (base and series from patches/)" tree "$top/scripts/tree.sh" || stop_checks
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
		if in_list "$arch" $kernel_arches; then
			variants="series reference"
			check "build $arch at every patch of the series (bisectable)" "bisect-$arch" \
				"$top/scripts/bisect-build.sh" "$arch"
		else
			variants="reference series"
		fi
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
		demo= demo_label= peers= peers_label=
		! in_list "$arch" $demo_arches || demo=,demo demo_label=", demo"
		! in_list "$arch" $peers_arches || peers=,mm-peers peers_label=", mm peers"
		guest "$arch" series smoke,selftests,fuzz-small,stall-small,bench-quick$demo,stress$peers \
			"$arch series kernel: smoke, selftests, fuzz, stall, bench --quick$demo_label, stress$peers_label, pins"
		guest "$arch" reference smoke,selftests,fuzz-small,stall-small,bench-quick,pincheck$peers \
			"$arch reference kernel: smoke, selftests, fuzz, stall, bench --quick$peers_label, pins"
		[ -z "$peers" ] ||
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
		guest_step "x86_64 $v kernel: Open MPI ping-pong, Bcast, Alltoall: $what" x86_64 \
			"mpi-x86_64-$v" "$(kernel_image x86_64 "$v")" "$build/mpi/initramfs.cpio" "$suite" 900
	done
}

run_checks "make check" failures.txt checks
