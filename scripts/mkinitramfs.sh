#!/bin/sh
# mkinitramfs.sh ARCH OUT.cpio [ABI:DIR...]: the test initramfs for ARCH.
# It holds our init, the guest programs, the process_vm selftests and
# upstream's mm selftests (mm-peers) of every ABI the kernel runs, the suite
# files init reads, and any extra per-ABI program directories (ABI:DIR,
# which go to /bin/ABI/).
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: $0 ARCH OUT.cpio [ABI:DIR...]"
arch=$1 cpio=$2
shift 2
arch_load "$arch"
abis=$arch_abis
first=${abis%% *}

gen=$(gen_init_cpio)

# CMA_STAGE moves the staging area (for experiments next to a running check).
staging=${CMA_STAGE:-$build}
stage=$staging/guest/$arch
rm -rf "$stage"
mkdir -p "$stage/suites"
for abi in $abis; do
	make -s -C "$top/guest" ABI="$abi" OUT="$stage/bin/$abi" \
		KSFT="$tree/tools/testing/selftests"
	echo "enosys-$abi 60 /bin/$abi/enosys" >>"$stage/suites/enosys"
	echo "smoke-$abi 60 /bin/$abi/smoke" >>"$stage/suites/smoke"
	echo "bench-quick-$abi 120 /bin/$abi/bench --quick" >>"$stage/suites/bench-quick"
	echo "reduce-bench-quick-$abi 120 /bin/$abi/reduce-bench --quick" >>"$stage/suites/bench-quick"
	echo "fuzz-small-$abi 900 /bin/$abi/fuzz --seed 1,2,3 --calls 1000" >>"$stage/suites/fuzz-small"
	# scripts/fuzz.sh passes the run on the command line (cmafuzz_*)
	echo "fuzz-$abi 14400 /bin/$abi/fuzz --env" >>"$stage/suites/fuzz"
	# calls parked mid-transfer while the target changes, compared with
	# stall-compare.sh: 127 pairs of a precondition, a memory kind and a
	# mutation (doc/stall.md); on x86-64 TCG about 50-170 ms a case,
	# the series rerunning each with a flag.  make check-debug's debug
	# kernels, several times slower, run each pair 10 times
	# make check: every pair with readv and writev on the arch's first
	# ABI, every pair once on the others (CI's time budget)
	n=127
	[ "$abi" != "$first" ] || n=254
	echo "stall-small-$abi 900 /bin/$abi/stall --seed 1 --cases $n" >>"$stage/suites/stall-small"
	echo "stall-$abi 3600 /bin/$abi/stall --seed 1,2 --cases 635" >>"$stage/suites/stall"
	# make check's 30 s run: the basic kinds only, each met on slow guests;
	# the long run of make check-debug adds issue 13's kinds (--extended)
	echo "stress-$abi 240 /bin/$abi/stress --seconds 30" >>"$stage/suites/stress"
	echo "stress-long-$abi 1200 /bin/$abi/stress --seconds 300 --targets 4 --callers 3 --threads 2 --extended" \
		>>"$stage/suites/stress-long"
	"$top/scripts/build-selftests.sh" "$abi" "$staging/selftests/$abi"
	set -- "$@" "$abi:$staging/selftests/$abi"
	# upstream's mm selftests that pin pages, in /bin/ABI/mm: the same
	# tests pass and skip on series and reference (peers-compare.sh).
	# The native ABI only: the GUP paths they take do not depend on the
	# caller's ABI, and madv_populate and mkdirty fail under compat on the
	# reference itself (i386, x32: "write() failed").
	if [ "$abi" = "$first" ]; then
		"$top/scripts/build-mm-peers.sh" "$abi" "$staging/mm-peers/$abi"
		cat "$staging/mm-peers/$abi/suite" >>"$stage/suites/mm-peers"
	fi
done

echo "demo 120 /bin/$first/demo" >"$stage/suites/demo"
echo "bench 1800 /bin/$first/bench" >"$stage/suites/bench"
# PROCESS_VM_REDUCE against copy-then-reduce (skipped by its probe on the reference)
echo "reduce-bench 1800 /bin/$first/reduce-bench" >>"$stage/suites/bench"
# gup_test's benchmark, a caller that is not process_vm: 64 MiB of base
# pages (-T), 10 times, the times printed.  pin_user_pages(FOLL_LONGTERM)
# (-L, the slow path) 512 pages a call (a page table of 4 KiB pages;
# process_vm asks for up to 1024); controls: 1 page a call (no room to
# batch) and pin_user_pages_fast() (-a, not the slow path).
gup_bench="/bin/$first/mm/gup_test -T -m 64 -r 10"
{
	echo "gup-bench-longterm-512 900 $gup_bench -L -n 512"
	echo "gup-bench-longterm-1 900 $gup_bench -L -n 1"
	echo "gup-bench-fast-512 900 $gup_bench -a -n 512"
} >"$stage/suites/gup-bench"
# pincheck last: every pin taken by the programs before it was released
echo "pincheck 60 /bin/$first/pincheck" >"$stage/suites/pincheck"
cat "$stage/suites/pincheck" >>"$stage/suites/stress"
cat "$stage/suites/pincheck" >>"$stage/suites/stress-long"
cat "$stage/suites/pincheck" >>"$stage/suites/mm-peers"

list=$stage/cpio.list
{
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "dir /proc 0755 0 0"
	echo "dir /sys 0755 0 0"
	echo "dir /tmp 1777 0 0"
	echo "dir /bin 0755 0 0"
	echo "file /init $stage/bin/$first/init 0755 0 0"
	echo "dir /suites 0755 0 0"
	for abi in $abis; do
		echo "dir /bin/$abi 0755 0 0"
		for f in "$stage/bin/$abi"/*; do
			echo "file /bin/$abi/${f##*/} $f 0755 0 0"
		done
	done
	echo "dir /bin/$first/mm 0755 0 0"
	for f in "$staging/mm-peers/$first"/mm/*; do
		echo "file /bin/$first/mm/${f##*/} $f 0755 0 0"
	done
} >"$list"

# Extra program trees, one per ABI; a file named "suite" in one is appended
# to /suites/selftests.
: >"$stage/suites/selftests"
for spec in "$@"; do
	abi=${spec%%:*} dir=${spec#*:}
	[ -d "$dir" ] || die "$dir: no such directory"
	(cd "$dir" && find . -mindepth 1 | sort) | while read -r f; do
		f=${f#./}
		if [ -d "$dir/$f" ]; then
			echo "dir /bin/$abi/$f 0755 0 0"
		elif [ "$f" = suite ]; then
			cat "$dir/$f" >>"$stage/suites/selftests"
		else
			echo "file /bin/$abi/$f $dir/$f $(stat -c %a "$dir/$f") 0 0"
		fi
	done >>"$list"
done
# Debug kernels (make check-debug): kmemleak brackets the run, and the
# selftests run once more with fault injection aimed at our syscalls, after
# every fault point of a few typical calls has been failed in turn.
echo "kmemleak-clear 300 /bin/$first/kmemleak clear" >"$stage/suites/debug-begin"
{
	cat "$stage/suites/pincheck"
	echo "kmemleak-check 600 /bin/$first/kmemleak check"
} >"$stage/suites/debug-end"
{
	echo "faultinject-systematic 1200 /bin/$first/faultinject --systematic"
	sed "s|^\([^ ]*\) \([0-9]*\) |\1-faults \2 /bin/$first/faultinject |" \
		"$stage/suites/selftests"
} >"$stage/suites/selftests-faults"

# Coverage kernels (configs/gcov.config): zero the counters before the
# suites to be measured, print them on the console after them
# (scripts/gcov-report.py reads them back).
echo "gcov-reset 60 /bin/$first/gcov reset" >"$stage/suites/gcov-reset"
echo "gcov-dump 300 /bin/$first/gcov dump process_vm_access.gcda process_vm_reduce.gcda process_vm_reduce_fpu.gcda" \
	>"$stage/suites/gcov-dump"

for f in "$stage"/suites/*; do
	echo "file /suites/${f##*/} $f 0644 0 0"
done >>"$list"

"$gen" "$list" >"$cpio.tmp"
mv "$cpio.tmp" "$cpio"
echo "${cpio#"$top"/}: $(du -h "$cpio" | cut -f1), ABIs: $abis"
