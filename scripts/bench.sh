#!/bin/sh
# bench.sh: what `make bench` does (design.md section 6).  Boots the x86-64
# series ("ours") and reference kernels with guest/bench.c under QEMU TCG:
# under -icount shift=0,sleep=off, where a guest ns is one guest instruction
# and a run gives the same figures every time (run twice to show it), and
# under plain TCG for wall-clock figures.  Writes out/bench/: results.csv,
# report.md (ratios first) and the cost-per-byte plots; guest console logs
# go to out/logs/bench-CLOCK-KERNEL-RUN.log.  The kernels are booted from
# copies in build/bench-kernels, so that a rebuild next door (make check)
# cannot change a kernel between two runs that are compared.
#   scripts/bench.sh            the whole thing
#   scripts/bench.sh --report   only rewrite results.csv, report.md and plots
#                               from the logs of the last run
#   CMA_BENCH_NOBUILD=1         use the kernel images in build/kernels as
#                               they are (no build-kernel.sh)
#   CMA_BENCH_ICOUNT_RUNS=N     icount passes (default 2; 1 skips the check)
set -u
. "$(dirname "$0")/lib.sh"

out=$top/out/bench
cpio=$build/initramfs-bench-x86_64.cpio
snap=$build/bench-kernels
kernels="series reference"
icount_runs=${CMA_BENCH_ICOUNT_RUNS:-2}
# Deterministic guest: instruction-counted time, fixed randomness and RTC,
# no address space randomisation.  (bench itself grows the hugetlbfs pool
# to 64 MiB through /proc/sys/vm/nr_hugepages: run-guest.sh's hugepages=
# comes first on the command line and wins.)
icount_args="-icount shift=0,sleep=off -seed 1 -rtc base=2026-01-01T00:00:00,clock=vm"
append="norandmaps"
smp=4

# boot KERNEL CLOCK RUN: one guest run of the bench suite, judged by
# check-log.sh like any test run.
boot() {
	b_log=$logs/bench-$2-$1-$3.log
	b_extra=
	[ "$2" = icount ] && b_extra=$icount_args
	echo "== $1 kernel, $2 run $3: $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
	CMA_SMP=$smp CMA_APPEND="$append" CMA_QEMU_EXTRA="$b_extra" \
		"$top/scripts/run-guest.sh" x86_64 "$snap/$1/image" \
		"$cpio" bench "$b_log" 1700 || { echo "qemu failed or timed out"; return 1; }
	b_verdict=$("$top/scripts/check-log.sh" "$b_log")
	echo "$b_verdict"
	case "$(echo "$b_verdict" | tail -n 1)" in
	*" failed 0 "*) return 0 ;;
	*) return 1 ;;
	esac
}

# icount_pass RUN: both kernels; instruction counts do not care what else
# the host runs, so the two guests share it.
icount_pass() {
	boot series icount "$1" >"$logs/bench-icount-series-$1.out" 2>&1 &
	p_a=$!
	boot reference icount "$1" >"$logs/bench-icount-reference-$1.out" 2>&1 &
	p_b=$!
	wait $p_a
	p_ra=$?
	wait $p_b
	p_rb=$?
	cat "$logs/bench-icount-series-$1.out" "$logs/bench-icount-reference-$1.out"
	[ $p_ra -eq 0 ] && [ $p_rb -eq 0 ]
}

# The guest's "bench," lines of one log, without the console's CRs
bench_lines() {
	tr -d '\r' <"$1" | grep '^bench,' | awk -F, 'NF == 11'
}

# results.csv from every bench log of the last run
collect() {
	echo "kernel,clock,run,op,shape,mem,readers,size,reps,inner,min_ns,median_ns,max_ns"
	for c_clock in icount wall; do
		for c_kernel in $kernels; do
			for c_log in "$logs/bench-$c_clock-$c_kernel"-[0-9]*.log; do
				[ -f "$c_log" ] || continue
				c_run=${c_log##*-}
				c_run=${c_run%.log}
				bench_lines "$c_log" | sed "s/^bench,/$c_kernel,$c_clock,$c_run,/"
			done
		done
	done
}

# "yes" if every kernel's icount runs printed the same figures, else "no"
identical() {
	i_verdict=yes i_n=0
	for i_kernel in $kernels; do
		i_first=$logs/bench-icount-$i_kernel-1.log
		for i_log in "$logs/bench-icount-$i_kernel"-[2-9].log; do
			[ -f "$i_log" ] && [ -f "$i_first" ] || continue
			i_n=$((i_n + 1))
			bench_lines "$i_first" >"$out/.a"
			bench_lines "$i_log" >"$out/.b"
			if [ ! -s "$out/.a" ] || ! cmp -s "$out/.a" "$out/.b"; then
				i_verdict=no
				diff "$out/.a" "$out/.b" | head -n 10 >"$out/icount-differences.txt"
			fi
		done
	done
	rm -f "$out/.a" "$out/.b"
	[ $i_n -gt 0 ] || i_verdict="not checked (one icount run)"
	echo "$i_verdict"
}

# tables CLOCK MODE: the markdown tables of report.md from results.csv
#   ratio   ours/reference for every readv, writev and many figure
#   single  readv and writev (1x1, 4 KiB pages) over memcpy, each kernel
#   double  double copy, /proc/PID/mem and vmsplice over readv, each kernel
#   abs     medians in ns per transfer, ours and reference
tables() {
	awk -F, -v clock="$1" -v mode="$2" '
	function label(s) {
		if (s >= 1048576) return s / 1048576 " MiB"
		if (s >= 1024) return s / 1024 " KiB"
		return s " B"
	}
	function name(k,   f) {
		split(k, f, SUBSEP)
		if (f[1] == "many")
			return "many: " f[4] " reader" (f[4] > 1 ? "s" : "") " (readv " f[2] " " f[3] ")"
		return f[1] " " f[2] " " f[3]
	}
	function header(first,   i, l, r) {
		l = "| " first " |"; r = "|---|"
		for (i = 1; i <= ns; i++) { l = l " " label(size[i]) " |"; r = r "---:|" }
		print l; print r
	}
	function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "" : a / b }
	function cell(x, bold) {
		if (x == "") return " - |"
		x = sprintf("%.3f", x)
		return bold && x + 0 > 1 ? " **" x "** |" : " " x " |"
	}
	function ns_(x) {
		if (x == "") return "-"
		return sprintf(x >= 100 ? "%.0f" : "%.1f", x)
	}
	NR > 1 && $2 == clock && $3 == 1 {
		k = $4 SUBSEP $5 SUBSEP $6 SUBSEP $7
		if (!(k in seen)) { seen[k] = 1; rows[++nr] = k }
		if (!($8 in have)) { have[$8] = 1; size[++ns] = $8 + 0 }
		med[$1, k, $8] = $12
	}
	END {
		for (i = 2; i <= ns; i++)	# insertion sort, few sizes
			for (j = i; j > 1 && size[j - 1] > size[j]; j--) {
				t = size[j]; size[j] = size[j - 1]; size[j - 1] = t
			}
		if (mode == "ratio") {
			header("ours / reference")
			worse = 0; cells = 0; worst = 0
			for (r = 1; r <= nr; r++) {
				split(rows[r], f, SUBSEP)
				if (f[1] != "readv" && f[1] != "writev" && f[1] != "many") continue
				l = "| " name(rows[r]) " |"
				for (i = 1; i <= ns; i++) {
					x = ratio(med["series", rows[r], size[i]], med["reference", rows[r], size[i]])
					l = l cell(x, 1)
					if (x == "") continue
					cells++
					if (sprintf("%.3f", x) + 0 > 1) worse++
					if (x > worst) { worst = x; wname = name(rows[r]) " at " label(size[i]) }
				}
				print l
			}
			print ""
			printf "Ours costs more than the reference (ratio > 1.000) in %d of %d cells", worse, cells
			printf "; highest ratio %.3f (%s).\n", worst, wname
		} else if (mode == "single") {
			header("over memcpy")
			for (o = 1; o <= 2; o++) for (kk = 1; kk <= 2; kk++) {
				op = o == 1 ? "readv" : "writev"; kn = kk == 1 ? "series" : "reference"
				l = "| " op " / memcpy, " (kk == 1 ? "ours" : "reference") " |"
				for (i = 1; i <= ns; i++)
					l = l cell(ratio(med[kn, op SUBSEP "1x1" SUBSEP "4k" SUBSEP 0, size[i]],
						   med[kn, "memcpy" SUBSEP "1x1" SUBSEP "4k" SUBSEP 0, size[i]]), 0)
				print l
			}
		} else if (mode == "double") {
			header("over readv")
			for (o = 1; o <= 3; o++) for (kk = 1; kk <= 2; kk++) {
				op = o == 1 ? "double" : o == 2 ? "procmem" : "vmsplice"
				kn = kk == 1 ? "series" : "reference"
				l = "| " op " / readv, " (kk == 1 ? "ours" : "reference") " |"
				for (i = 1; i <= ns; i++)
					l = l cell(ratio(med[kn, op SUBSEP "1x1" SUBSEP "4k" SUBSEP 0, size[i]],
						   med[kn, "readv" SUBSEP "1x1" SUBSEP "4k" SUBSEP 0, size[i]]), 0)
				print l
			}
		} else {
			header("ns per transfer: ours / reference")
			for (r = 1; r <= nr; r++) {
				l = "| " name(rows[r]) " |"
				for (i = 1; i <= ns; i++) {
					a = med["series", rows[r], size[i]]; b = med["reference", rows[r], size[i]]
					l = l " " (a == "" && b == "" ? "-" : ns_(a) " / " ns_(b)) " |"
				}
				print l
			}
		}
	}' "$out/results.csv"
}

# plot CLOCK: cost per byte against size, log-log, ours solid and the
# reference dashed, one colour per method
plot() {
	p_dir=$out/plot-data
	rm -rf "$p_dir"
	mkdir -p "$p_dir"
	awk -F, -v clock="$1" -v dir="$p_dir" '
	NR > 1 && $2 == clock && $3 == 1 && $7 == 0 {
		f = dir "/" $4 "-" $5 "-" $6 "-" $1 ".dat"
		print $8, $12 / $8 >f
	}' "$out/results.csv"
	# ours / reference per size, for the methods both kernels implement
	awk -F, -v clock="$1" -v dir="$p_dir" '
	NR > 1 && $2 == clock && $3 == 1 && $7 == 0 && ($4 == "readv" || $4 == "writev") {
		k = $4 "-" $5 "-" $6
		if ($1 == "series") s[k, $8] = $12; else r[k, $8] = $12
		if (!((k, $8) in seen)) { seen[k, $8] = 1; order[++n] = k SUBSEP $8 }
	}
	END {
		for (i = 1; i <= n; i++) {
			split(order[i], f, SUBSEP)
			if ((f[1], f[2]) in s && (f[1], f[2]) in r && r[f[1], f[2]] > 0)
				print f[2], s[f[1], f[2]] / r[f[1], f[2]] >(dir "/" f[1] "-ratio.dat")
		}
	}' "$out/results.csv"
	p_colors="#9400d3 #009e73 #56b4e9 #e69f00 #b8860b #0072b2 #e51e10 #000000 #cc79a7 #2f4f4f"
	p_cmds= p_ratio=
	p_color=0
	for p_m in readv-1x1-4k writev-1x1-4k readv-1x64-4k readv-16x1-4k readv-1x1-thp \
		readv-1x1-hugetlb memcpy-1x1-4k double-1x1-4k procmem-1x1-4k vmsplice-1x1-4k; do
		p_color=$((p_color + 1))
		p_lc=$(echo "$p_colors" | cut -d' ' -f$p_color)
		p_n=$(echo "$p_m" | tr '-' ' ')
		for p_k in series reference; do
			p_f=$p_dir/$p_m-$p_k.dat
			[ -s "$p_f" ] || continue
			if [ $p_k = series ]; then p_dt=1 p_t="$p_n, ours"; else p_dt=2 p_t="$p_n, reference"; fi
			p_cmds="$p_cmds${p_cmds:+, }'$p_f' using 1:2 with linespoints lc rgb '$p_lc' dt $p_dt pt $p_color title '$p_t'"
		done
		p_f=$p_dir/$p_m-ratio.dat
		[ -s "$p_f" ] && p_ratio="$p_ratio${p_ratio:+, }'$p_f' using 1:2 with linespoints lc rgb '$p_lc' pt $p_color title '$p_n'"
	done
	[ -n "$p_cmds" ] || return 0
	if [ "$1" = icount ]; then
		p_y="guest instructions per byte (icount: 1 ns = 1 instruction)"
		p_title="Cost per byte, QEMU -icount (deterministic): ours solid, reference dashed"
	else
		p_y="ns per byte (wall clock under TCG)"
		p_title="Cost per byte, plain TCG wall clock: ours solid, reference dashed"
	fi
	gnuplot <<-EOF
	set terminal pngcairo size 1400,900 font ",11"
	set output '$out/bench-$1.png'
	set title "$p_title"
	set logscale xy
	set xlabel "transfer size (bytes)"
	set ylabel "$p_y"
	set xtics ("8" 8, "64" 64, "512" 512, "4K" 4096, "64K" 65536, "1M" 1048576, "4M" 4194304, "16M" 16777216, "64M" 67108864)
	set grid
	set key outside right top
	plot $p_cmds
	EOF
	[ -n "$p_ratio" ] || return 0
	gnuplot <<-EOF
	set terminal pngcairo size 1400,700 font ",11"
	set output '$out/bench-ratio-$1.png'
	set title "Ours / reference, $1 (below 1: ours is cheaper)"
	set logscale x
	set xlabel "transfer size (bytes)"
	set ylabel "ours / reference, median"
	set xtics ("8" 8, "64" 64, "512" 512, "4K" 4096, "64K" 65536, "1M" 1048576, "4M" 4194304, "16M" 16777216, "64M" 67108864)
	set grid
	set key outside right top
	plot $p_ratio, 1 with lines lc rgb '#888888' dt 3 notitle
	EOF
}

# The header of report.md: what ran, on what
header() {
	h_s=$snap/series h_r=$snap/reference
	h_sc=$(cat "$h_s/commit" 2>/dev/null || echo '?')
	h_rc=$(cat "$h_r/commit" 2>/dev/null || echo '?')
	h_guest=$(tr -d '\r' <"$logs/bench-icount-series-1.log" 2>/dev/null | grep '^info,' | cut -d, -f2- | sed 's/,/: /')
	h_guest_ref=$(tr -d '\r' <"$logs/bench-icount-reference-1.log" 2>/dev/null | sed -n 's/^info,kernel,//p')
	if cmp -s "$h_s/config" "$h_r/config"; then
		h_cfg="identical .config for both"
	else
		h_cfg="the two .configs differ in $(diff "$h_s/config" "$h_r/config" | grep -c '^[<>]') lines"
	fi
	h_keys=$(grep -E '^(# )?CONFIG_(PREEMPT_NONE|PREEMPT_VOLUNTARY|PREEMPT|HZ|NR_CPUS|SMP|TRANSPARENT_HUGEPAGE_ALWAYS|TRANSPARENT_HUGEPAGE_MADVISE|HUGETLBFS|HARDENED_USERCOPY|PROC_PAGE_MONITOR|CROSS_MEMORY_ATTACH)[= ]' \
		"$h_s/config" | sed 's/^CONFIG_//; s/^# CONFIG_\([A-Z_0-9]*\) is not set/\1=n/' | tr '\n' ' ')
	echo "# Cross Memory Attach: benchmark"
	echo
	echo "Written by \`make bench\` (scripts/bench.sh, guest/bench.c), $(date -u '+%Y-%m-%d %H:%M UTC')."
	echo "Every figure is the median of >= 5 repetitions (min and max in results.csv);"
	echo "one transfer per system call. \"ours\" is the series, \"reference\" unmodified upstream."
	echo
	echo "| | |"
	echo "|---|---|"
	echo "| base | Linux $(cat "$build/VERSION") |"
	echo "| ours | build/linux $h_sc: base + $(git -C "$tree" rev-list --count "base..$h_sc" 2>/dev/null || echo '?') patches (top: $(git -C "$tree" log -1 --format=%s "$h_sc" 2>/dev/null)) |"
	echo "| reference | build/linux $h_rc (tag upstream: $(git -C "$tree" log -1 --format=%s "$h_rc" 2>/dev/null)) |"
	echo "| images booted | ours: md5 $(md5sum <"$h_s/image" | cut -c1-12), reference: md5 $(md5sum <"$h_r/image" | cut -c1-12) (copies in build/bench-kernels) |"
	echo "| guest uname | ours: $(echo "$h_guest" | sed -n 's/^kernel: //p'); reference: $h_guest_ref |"
	echo "| config | tinyconfig + configs/common.config, x86_64.config, cma.config: $h_cfg; $h_keys|"
	echo "| QEMU | $(qemu-system-x86_64 --version | head -n 1); q35, -cpu max, 2 GiB, -smp $smp; cmdline: $append |"
	echo "| deterministic clock | $icount_args (one vCPU at a time, so a guest ns is one instruction of any vCPU) |"
	echo "| wall clock | plain TCG (multi-threaded), on a host with $(nproc) CPUs shared with other work: noisy |"
	echo "| guest | $(echo "$h_guest" | grep -v '^kernel:' | tr ',\n' ' ;' | sed 's/;/; /g') |"
	echo "| icount runs identical | $(cat "$out/identical") |"
	[ -f "$out/duration" ] && echo "| make bench took | $(cat "$out/duration") |"
	tr -d '\r' <"$logs/bench-icount-series-1.log" 2>/dev/null | sed -n 's/^note,/| note | /p' | sed 's/$/ |/'
	echo
}

report() {
	[ -f "$logs/bench-icount-series-1.log" ] || die "no bench logs in out/logs: run make bench"
	mkdir -p "$out"
	collect >"$out/results.csv"
	identical >"$out/identical"
	{
		header
		echo "## Ours / reference, deterministic (icount), median"
		echo
		echo "Below 1.000 ours is cheaper; **bold** where ours costs more."
		echo
		tables icount ratio
		echo
		echo "## Single copy against the limits (icount, median)"
		echo
		echo "Under TCG the kernel's copy (rep movsb, one instruction per byte) is"
		echo "emulated far less efficiently than user space's vector memcpy: both"
		echo "kernels pay it alike; the ratio to memcpy overstates CMA's real cost."
		echo "Where glibc's memcpy itself uses rep movsb (64 KiB here; vector loops"
		echo "below, non-temporal stores above) the two cost about the same."
		echo
		tables icount single
		echo
		tables icount double
		echo
		echo "## Ours / reference, wall clock (plain TCG), median"
		echo
		tables wall ratio
		echo
		echo "## Absolute figures, icount (guest instructions per transfer; many: per round)"
		echo
		tables icount abs
		echo
		echo "## Absolute figures, wall clock (ns per transfer; many: per round)"
		echo
		tables wall abs
		echo
		echo "## Plots"
		echo
		echo "![ours / reference, icount](bench-ratio-icount.png)"
		echo "![cost per byte, icount](bench-icount.png)"
		echo "![cost per byte, wall clock](bench-wall.png)"
		echo "![ours / reference, wall clock](bench-ratio-wall.png)"
		echo
		echo "## What was trimmed"
		echo
		echo "- 8 B is skipped for 1x64 and 16x1 (no piece would hold a byte);"
		echo "- THP and hugetlbfs run the 1x1 shape only; \"many\" (1, 2, 4 child"
		echo "  readers of one target, 1x1, 4 KiB pages) runs 4 KiB, 64 KiB, 1 MiB and 16 MiB;"
		echo "- repetitions: each sample lasts >= 50 us of guest time (several calls"
		echo "  for small sizes), 5 to 15 samples within ~20 ms of guest time per"
		echo "  figure, so sizes from 4 MiB up get the minimum of 5.  \"many\" rounds"
		echo "  carry 256 KiB / size transfers per reader (1 to 64), the same on"
		echo "  both kernels: a round's pipe wake-ups are part of its figure."
		echo "- wall clock under TCG is noisy and at times bimodal (huge-page copies"
		echo "  have been seen to run ~13x slower in one boot than another, on"
		echo "  either kernel, at identical instruction counts): judge by icount."
		echo "- the local buffer is always 4 KiB pages; pieces of a split side are"
		echo "  a piece apart (never adjacent)."
	} >"$out/report.md"
	plot icount
	plot wall
}

if [ "${1:-}" = --report ]; then
	report
	cat "$out/report.md"
	exit 0
fi

t_start=$(date +%s)
STEPS=$((5 + icount_runs + 2))
STEP=0
n() { STEP=$((STEP + 1)); }
n; step "install missing packages" deps "$top/scripts/deps.sh" || exit 1
for k in $kernels; do
	n
	if [ -n "${CMA_BENCH_NOBUILD:-}" ]; then
		[ -f "$build/kernels/x86_64-$k/image" ] || die "no build/kernels/x86_64-$k/image"
		echo "[$STEP/$STEPS] x86_64 $k kernel: using the image as it is (CMA_BENCH_NOBUILD)"
	else
		step "build x86_64 $k kernel" "build-x86_64-$k" \
			"$top/scripts/build-kernel.sh" x86_64 "$k" || exit 1
	fi
done
for k in $kernels; do
	mkdir -p "$snap/$k"
	for f in image config commit; do
		cp "$build/kernels/x86_64-$k/$f" "$snap/$k/$f.tmp" && mv "$snap/$k/$f.tmp" "$snap/$k/$f" ||
			die "cannot copy build/kernels/x86_64-$k/$f"
	done
done
# Staged apart from make check's, so the two can run side by side
n; step "build x86_64 initramfs with guest/bench" initramfs-bench \
	env CMA_STAGE="$build/bench-stage" "$top/scripts/mkinitramfs.sh" x86_64 "$cpio" || exit 1
rm -f "$logs"/bench-*.log "$logs"/bench-*.log.qemu "$logs"/bench-*.out
rm -rf "$out"
mkdir -p "$out"
failed=0
r=1
while [ $r -le "$icount_runs" ]; do
	n; step "icount run $r: series and reference side by side" "bench-icount-$r" icount_pass $r ||
		failed=1
	r=$((r + 1))
done
for k in $kernels; do
	n; step "wall-clock run: $k (alone)" "bench-wall-$k" boot "$k" wall 1 || failed=1
done
echo "$(($(date +%s) - t_start)) s" >"$out/duration"
n; step "results.csv, report.md, plots" bench-report report || exit 1
echo
sed -n '/^## Ours \/ reference, deterministic/,/^## Single/p' "$out/report.md" | sed '$d'
echo "icount runs identical: $(cat "$out/identical")"
echo "make bench: $(cat "$out/duration"); report: out/bench/report.md"
[ $failed -eq 0 ] || { echo "some runs failed: see out/logs/bench-*"; exit 1; }
