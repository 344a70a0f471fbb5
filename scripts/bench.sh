#!/bin/sh
# bench.sh: what `make bench` does (doc/design.md section 6).  Runs guest/bench.c
# natively on this host (its own kernel has upstream CMA: the check that
# the cost model's proportions are sane), then boots the x86-64 series
# ("ours") and reference kernels with it under QEMU TCG.  The two kernels
# are built from Debian's own amd64 configuration (configs/debian.config
# says what is trimmed) and boot with two NUMA nodes; CMA_BENCH_CONFIG=tiny
# gives the tinyconfig kernels of make check instead (one node).  The
# first headline pass also runs upstream's gup_test benchmark (suite
# gup-bench), a GUP caller that is not ours.  Clocks:
#   icount       the headline cost model: -cpu max,-erms,-fsrm, where the
#                kernel's copy_user is rep movsq (one count per 8 bytes), under
#                -icount shift=0,sleep=off (a guest ns is one guest
#                instruction; a run gives the same figures every time: run
#                twice to show it)
#   icount-erms  the same under -cpu max, where the kernel copies with rep
#                movsb (one count per byte: the copy swamps the rest)
#   wall         plain TCG wall clock on the headline CPU model
# scripts/bench-report.py then writes out/bench/: results.csv, report.md
# (ratios first; every figure split into a null syscall, the copy and CMA's
# own overhead), headline.txt and plots.  Console logs go to
# out/logs/bench-CLOCK-KERNEL-RUN.log.  The kernels are booted from copies in
# build/bench-kernels, so that a rebuild next door (make check) cannot
# change a kernel between two runs that are compared.
#   scripts/bench.sh            the whole thing
#   scripts/bench.sh --report   only rewrite out/bench from the logs of the
#                               last run
#   CMA_BENCH_NOBUILD=1         use the kernel images in build/kernels as
#                               they are (no build-kernel.sh)
#   CMA_BENCH_ICOUNT_RUNS=N     passes of the headline model (default 2; 1
#                               skips the determinism check)
#   CMA_BENCH_SIZES=8,4K,1M     a shorter run while working on the benchmark
#   CMA_BENCH_MANY=64K          (bench --sizes and --many-sizes, everywhere)
#   CMA_BENCH_CLOCKS="..."      a subset of: native icount icount-erms wall
#   CMA_BENCH_SERIES=REV        "ours" is build/linux's REV (a branch or
#                               commit) instead of the series (HEAD)
#   CMA_BENCH_CONFIG=tiny       tinyconfig kernels (default: debian)
set -u
. "$(dirname "$0")/lib.sh"

out=$top/out/bench
cpio=$build/initramfs-bench-x86_64.cpio
stage=$build/bench-stage
snap=$build/bench-kernels
kernels="series reference"
bench_config=${CMA_BENCH_CONFIG:-debian}
case "$bench_config" in
# Two nodes of 1 GiB, each a socket of two vCPUs: what a distribution
# kernel meets on a two-socket machine (NUMA balancing, per-node lists; a
# socket spanning two nodes makes the scheduler WARN).  nokaslr: the same
# layout in every run, so that -icount runs compare exactly.
debian) frag=$top/configs/debian.config append_config=nokaslr smp_topology=,sockets=2,cores=2,threads=1
	numa_args="-object memory-backend-ram,id=m0,size=1G -object memory-backend-ram,id=m1,size=1G
		-numa node,nodeid=0,cpus=0-1,memdev=m0 -numa node,nodeid=1,cpus=2-3,memdev=m1" ;;
tiny) frag= append_config= numa_args= smp_topology= ;;
*) die "CMA_BENCH_CONFIG=$bench_config: give debian (the default) or tiny" ;;
esac
flavour=$(kernel_flavour x86_64 $frag)
# built_as KERNEL: the build-kernel.sh variant (or revision) of a kernel
built_as() {
	if [ "$1" = series ]; then echo "${CMA_BENCH_SERIES:-series}"; else echo "$1"; fi
}
icount_runs=${CMA_BENCH_ICOUNT_RUNS:-2}
clocks=${CMA_BENCH_CLOCKS:-native icount icount-erms wall}
for c in $clocks; do
	case "$c" in native | icount | icount-erms | wall) ;;
	*) die "CMA_BENCH_CLOCKS: unknown '$c' (any of: native icount icount-erms wall)" ;;
	esac
done
case "$icount_runs" in [1-9]) ;; *) die "CMA_BENCH_ICOUNT_RUNS=$icount_runs: give 1 to 9" ;; esac
# The headline CPU: QEMU's max without the two flags that make x86-64's
# copy_user_generic() use rep movsb (FSRM inline, ERMS in
# rep_movs_alternative), so it uses rep movsq; everything else (SMAP,
# PCID, ...) as in the second model, so the two differ only in the copy.
cpu_model="max,-erms,-fsrm"
cpu_erms="max"
# Deterministic guest: instruction-counted time, fixed randomness and RTC,
# no address space randomisation.  (bench itself grows the hugetlbfs pool
# to 64 MiB through /proc/sys/vm/nr_hugepages: run-guest.sh's hugepages=
# comes first on the command line and wins.)
icount_args="-icount shift=0,sleep=off -seed 1 -rtc base=2026-01-01T00:00:00,clock=vm"
append="norandmaps${append_config:+ $append_config}"
sizes="${CMA_BENCH_SIZES:+cmabench_sizes=$CMA_BENCH_SIZES}${CMA_BENCH_MANY:+ cmabench_many=$CMA_BENCH_MANY}"
smp=4

# boot KERNEL CLOCK RUN: one guest run of the bench suite, judged by
# check-log.sh like any test run.
boot() {
	b_log=$logs/bench-$2-$1-$3.log
	b_suites=bench
	[ "$2-$3" != icount-1 ] || b_suites=bench,gup-bench
	case "$2" in
	icount) b_extra=$icount_args b_cpu=$cpu_model ;;
	icount-erms) b_extra=$icount_args b_cpu=$cpu_erms ;;
	*) b_extra='' b_cpu=$cpu_model ;;
	esac
	echo "== $1 kernel, $2 run $3 (-cpu $b_cpu): $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
	CMA_SMP=$smp$smp_topology CMA_APPEND="$append $sizes" CMA_QEMU_EXTRA="$b_extra $numa_args" CMA_CPU=$b_cpu \
		"$top/scripts/run-guest.sh" x86_64 "$snap/$1/image" \
		"$cpio" "$b_suites" "$b_log" 2400 || { echo "qemu failed or timed out"; return 1; }
	b_verdict=$("$top/scripts/check-log.sh" "$b_log")
	echo "$b_verdict"
	case "$(echo "$b_verdict" | tail -n 1)" in
	*" failed 0 "*) return 0 ;;
	*) return 1 ;;
	esac
}

# icount_pass CLOCK RUN: both kernels; instruction counts do not care what
# else the host runs, so the two guests share it.
icount_pass() {
	boot series "$1" "$2" >"$logs/bench-$1-series-$2.out" 2>&1 &
	p_a=$!
	boot reference "$1" "$2" >"$logs/bench-$1-reference-$2.out" 2>&1 &
	p_b=$!
	wait $p_a
	p_ra=$?
	wait $p_b
	p_rb=$?
	cat "$logs/bench-$1-series-$2.out" "$logs/bench-$1-reference-$2.out"
	[ $p_ra -eq 0 ] && [ $p_rb -eq 0 ]
}

# native: the same static bench binary on this host's own kernel, alone
# (no QEMU beside it), three times with more samples than in a guest since
# the host is shared: report.md takes each figure's fastest sample of all.
native() {
	for n_run in 1 2 3; do
		n_log=$logs/bench-native-host-$n_run.log
		echo "== host kernel $(uname -r), natively, run $n_run: $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
		(
			[ -n "${CMA_BENCH_SIZES:-}" ] && export cmabench_sizes="$CMA_BENCH_SIZES"
			[ -n "${CMA_BENCH_MANY:-}" ] && export cmabench_many="$CMA_BENCH_MANY"
			"$stage/guest/x86_64/bin/x86_64/bench" --reps 15,51
		) >"$n_log" 2>&1
		n_rc=$?
		grep '^# Totals' "$n_log"
		[ $n_rc -eq 0 ] || { echo "bench exited with $n_rc: see ${n_log#"$top"/}"; return 1; }
	done
}

# The header of report.md: what ran, on what
header() {
	h_s=$snap/series h_r=$snap/reference
	h_sc=$(cat "$h_s/commit" 2>/dev/null || echo '?')
	h_rc=$(cat "$h_r/commit" 2>/dev/null || echo '?')
	if cmp -s "$h_s/config" "$h_r/config"; then
		h_cfg="identical .config for both"
	else
		h_cfg="the two .configs differ in $(diff "$h_s/config" "$h_r/config" | grep -c '^[<>]') lines"
	fi
	h_keys=$(grep -E '^(# )?CONFIG_(PREEMPT_NONE|PREEMPT_VOLUNTARY|PREEMPT|PREEMPT_DYNAMIC|HZ|NR_CPUS|SMP|NUMA|NUMA_BALANCING|MEMCG|SPARSEMEM_VMEMMAP|TRANSPARENT_HUGEPAGE_ALWAYS|TRANSPARENT_HUGEPAGE_MADVISE|HUGETLBFS|HARDENED_USERCOPY|INIT_ON_ALLOC_DEFAULT_ON|MITIGATION_PAGE_TABLE_ISOLATION|MITIGATION_RETPOLINE|PROC_PAGE_MONITOR|CROSS_MEMORY_ATTACH)[= ]' \
		"$h_s/config" | sed 's/^CONFIG_//; s/^# CONFIG_\([A-Z_0-9]*\) is not set/\1=n/' | tr '\n' ' ')
	echo "Written by \`make bench\` (scripts/bench.sh, guest/bench.c), $(date -u '+%Y-%m-%d %H:%M UTC')."
	echo "Every guest figure is the median of >= 5 repetitions, every figure of the"
	echo "host kernel run natively the fastest sample of >= 15 in each of three runs (min,"
	echo "median and max of every run in results.csv);"
	echo "one transfer per system call. \"ours\" is the series, \"reference\" unmodified upstream."
	echo
	echo "| | |"
	echo "|---|---|"
	echo "| base | Linux $(cat "$build/VERSION") |"
	echo "| ours | build/linux $h_sc: base + $(git -C "$tree" rev-list --count "base..$h_sc" 2>/dev/null || echo '?') patches (top: $(git -C "$tree" log -1 --format=%s "$h_sc" 2>/dev/null)) |"
	echo "| reference | build/linux $h_rc (tag upstream: $(git -C "$tree" log -1 --format=%s "$h_rc" 2>/dev/null)) |"
	echo "| images booted | ours: md5 $(md5sum <"$h_s/image" | cut -c1-12), reference: md5 $(md5sum <"$h_r/image" | cut -c1-12) (copies in build/bench-kernels) |"
	if [ "$bench_config" = debian ]; then
		echo "| config | Debian's amd64 configuration (linux-config-6.12, $(dpkg-query -W -f '${Version}' linux-config-6.12 2>/dev/null)) with configs/debian.config's trims + common.config, x86_64.config, cma.config: $h_cfg; $h_keys|"
	else
		echo "| config | tinyconfig + configs/common.config, x86_64.config, cma.config: $h_cfg; $h_keys|"
	fi
	echo "| QEMU | $(qemu-system-x86_64 --version | head -n 1); q35, 2 GiB, -smp $smp${numa_args:+, two NUMA nodes of 1 GiB and 2 vCPUs}; cmdline: $append${sizes:+ $sizes} |"
	echo "| cost model (headline) | -cpu $cpu_model $icount_args: guest time = guest instructions (one vCPU at a time, so a guest ns is one instruction of any vCPU); without ERMS and FSRM the kernel's copy_user is rep movsq, one count per 8 bytes |"
	echo "| second model | -cpu $cpu_erms, the same -icount: the kernel copies with rep movsb, one count per byte |"
	echo "| wall clock | plain TCG (multi-threaded), -cpu $cpu_model, on a host with $(nproc) CPUs shared with other work: noisy |"
	echo "| host kernel | $(uname -r), natively, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs shared with other work; meltdown: $(cat /sys/devices/system/cpu/vulnerabilities/meltdown 2>/dev/null); three runs, each figure its fastest sample of all |"
	[ -f "$out/duration" ] && echo "| make bench took | $(cat "$out/duration") |"
	return 0
}

report() {
	[ -f "$logs/bench-icount-series-1.log" ] || [ -f "$logs/bench-native-host-1.log" ] ||
		die "no bench logs in out/logs: run make bench"
	mkdir -p "$out"
	header >"$out/header.md"
	python3 "$top/scripts/bench-report.py" --logs "$logs" --out "$out" --header "$out/header.md"
}

if [ "${1:-}" = --report ]; then
	report
	cat "$out/report.md"
	exit 0
fi

has() { case " $clocks " in *" $1 "*) return 0 ;; esac; return 1; }

t_start=$(date +%s)
STEPS=6
has native && STEPS=$((STEPS + 1))
has icount && STEPS=$((STEPS + icount_runs))
has icount-erms && STEPS=$((STEPS + 1))
has wall && STEPS=$((STEPS + 2))
STEP=0
n() { STEP=$((STEP + 1)); }
n; step "install missing packages" deps "$top/scripts/deps.sh" || exit 1
n; step "make tree (base and series from patches/)" tree "$top/scripts/tree.sh" || exit 1
for k in $kernels; do
	n
	b=$(built_as "$k")
	if [ -n "${CMA_BENCH_NOBUILD:-}" ]; then
		[ -f "$(kernel_image "$flavour" "$b")" ] || die "no $(kernel_image "$flavour" "$b")"
		echo "[$STEP/$STEPS] x86_64 $k kernel: using the image as it is (CMA_BENCH_NOBUILD)"
	else
		step "build $flavour $k kernel ($b)" "build-$flavour-$b" \
			"$top/scripts/build-kernel.sh" x86_64 "$b" $frag || exit 1
	fi
done
for k in $kernels; do
	mkdir -p "$snap/$k"
	b=$(built_as "$k")
	for f in image config commit; do
		cp "$(kernel_dir "$flavour" "$b")/$f" "$snap/$k/$f.tmp" && mv "$snap/$k/$f.tmp" "$snap/$k/$f" ||
			die "cannot copy $(kernel_dir "$flavour" "$b")/$f"
	done
done
# Staged apart from make check's, so the two can run side by side
n; step "build x86_64 initramfs with guest/bench" initramfs-bench \
	env CMA_STAGE="$stage" "$top/scripts/mkinitramfs.sh" x86_64 "$cpio" || exit 1
# Only the clocks this run measures lose their logs: a run of some clocks
# (CLOCKS="wall") adds to the last run's others in the report.
for c in $clocks; do
	rm -f "$logs/bench-$c-series-"* "$logs/bench-$c-reference-"* "$logs/bench-$c-host-"*
done
rm -rf "$out"
mkdir -p "$out"
failed=0
if has native; then
	n; step "native run on this host's kernel ($(uname -r))" bench-native native || failed=1
fi
r=1
while has icount && [ $r -le "$icount_runs" ]; do
	n; step "icount run $r, -cpu $cpu_model: series and reference side by side" \
		"bench-icount-$r" icount_pass icount $r || failed=1
	r=$((r + 1))
done
if has icount-erms; then
	n; step "icount run, -cpu $cpu_erms: series and reference side by side" \
		"bench-icount-erms-1" icount_pass icount-erms 1 || failed=1
fi
for k in $kernels; do
	has wall || break
	n; step "wall-clock run: $k (alone)" "bench-wall-$k" boot "$k" wall 1 || failed=1
done
echo "$(($(date +%s) - t_start)) s" >"$out/duration"
n; step "results.csv, report.md, plots" bench-report report || exit 1
echo
sed -n '/^## Goals/,/^## /p' "$out/report.md" | sed '$d'
grep '^| icount runs identical' "$out/report.md"
echo "make bench: $(cat "$out/duration"); report: out/bench/report.md"
[ $failed -eq 0 ] || { echo "some runs failed: see out/logs/bench-*"; exit 1; }
