#!/bin/sh
# build-mm-peers.sh ABI OUTDIR: build upstream's mm selftests that pin pages
# (tools/testing/selftests/mm of the series, build/linux HEAD) as static
# binaries for one guest ABI, in OUTDIR/mm, and write OUTDIR/suite, the
# lines init runs them by: the mm-peers suite, which must pass and skip the
# same tests on the series and the reference kernel (peers-compare.sh).
# They build with upstream's own Makefile, one full-path target each.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: $0 ABI OUTDIR"
abi=$1 out=$2
abi_load "$abi"
cc=$abi_cc
# ksm_functional_tests is left out: KSM pins nothing, only the debug guests
# have CONFIG_KSM, and its fork-exec test execs "./ksm_functional_tests"
# (from / in the guests: the failed exec's child runs the rest twice).
progs="cow gup_longterm gup_test madv_populate mkdirty"

rm -rf "$out" "$out.src"
mkdir -p "$out/mm" "$out.src"
ksft=tools/testing/selftests
git -C "$tree" archive --prefix=src/ HEAD $ksft/lib.mk $ksft/kselftest.h \
	$ksft/kselftest_harness.h $ksft/mm $ksft/x86/check_cc.sh \
	$ksft/x86/trivial_program.c $ksft/x86/trivial_32bit_program.c \
	$ksft/x86/trivial_64bit_program.c tools/include/uapi tools/arch \
	mm/gup_test.h | tar -x -C "$out.src"
dir=$out.src/src/$ksft/mm
# cow and gup_longterm use liburing where check_config.sh finds it; the
# guests' programs are static and their kernels have no io_uring.
echo "// No liburing: static guest programs" >"$dir/local_config.h"
echo "IOURING_EXTRA_LIBS =" >"$dir/local_config.mk"
# Upstream looks in make headers' usr/include first (KHDR_INCLUDES), then in
# tools/include/uapi.  Without usr/include (a kbuild step in the kernel
# tree), tools/include/uapi's linux/types.h, which does not include
# <asm/types.h>, is the one found: ppc64's asm/elf.h then lacks __vector128.
# The compiler's own linux/types.h, alone in a directory, goes first.
khdr=$out.src/khdr
mkdir -p "$khdr/linux"
h=$(echo '#include <linux/types.h>' | $cc -M -x c - | tr ' \\' '\n\n' | grep '/linux/types\.h$')
ln -s "$h" "$khdr/linux/types.h"
targets=
for p in $progs; do
	targets="$targets $out/mm/$p"
done
# shellcheck disable=SC2086
make -C "$dir" OUTPUT="$out/mm" CC="$cc -static" KHDR_INCLUDES="-isystem $khdr" $targets >&2

# Name, timeout, program and arguments of each run.  gup_test's runs are
# run_vmtests.sh's page dump and a few of its run_gup_matrix, on 16 MiB:
# get_user_pages() and pin_user_pages() (-U, -b, -L longterm) of base pages
# (-T) a page table at a time (-n 512) and across page tables (-n 123),
# read-only (-W), shared (-S), THP (-t), and the zero page faulted in by
# GUP itself for get_user_pages() (-z -W).  Not -b -z: on the reference
# kernel itself it makes is_valid_gup_args() WARN.  Its benchmarks are gup-bench's
# (mkinitramfs.sh).  Not on i386: struct gup_test is 76 bytes there and 80
# for the 64-bit kernel, so each command is another ioctl number (-EINVAL;
# cow and gup_longterm skip their gup_test cases there, on both kernels).
gup="/bin/$abi/mm/gup_test"
{
	echo "cow 600 /bin/$abi/mm/cow"
	echo "gup_longterm 300 /bin/$abi/mm/gup_longterm"
	[ "$abi" = i386 ] || {
		echo "gup_test-dump 120 $gup -ct -F 0x1 0 19 0x1000"
		echo "gup_test-get 120 $gup -U -T -m 16 -n 512"
		echo "gup_test-get-zero 120 $gup -U -T -z -W -m 16 -n 512"
		echo "gup_test-pin 120 $gup -b -T -m 16 -n 512"
		echo "gup_test-pin-ro-123 120 $gup -b -T -W -m 16 -n 123"
		echo "gup_test-pin-shared 120 $gup -b -T -S -m 16 -n 512"
		echo "gup_test-pin-thp 120 $gup -b -t -m 16 -n 512"
		echo "gup_test-longterm 120 $gup -L -T -m 16 -n 512"
	}
	echo "madv_populate 120 /bin/$abi/mm/madv_populate"
	echo "mkdirty 120 /bin/$abi/mm/mkdirty"
} | sed "s|^\([^ ]*\) |mm-\1-$abi |" >"$out/suite"
for p in $progs; do
	[ -x "$out/mm/$p" ] || die "$out/mm/$p: not built"
done
cat "$out/suite"
