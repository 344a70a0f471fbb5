#!/bin/sh
# build-selftests.sh ABI OUTDIR: build tools/testing/selftests/process_vm of
# the series (build/linux HEAD) as static binaries for one guest ABI, and
# write OUTDIR/suite, the lines init runs them by.  CMA_SELFTESTS=DIR builds
# a work-in-progress copy instead.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: $0 ABI OUTDIR"
abi=$1 out=$2
abi_load "$abi"
cc=$abi_cc
rm -rf "$out" "$out.src"
mkdir -p "$out" "$out.src"
# The committed series, not whatever build/linux's work tree holds:
# CMA_SELFTESTS names a work-in-progress directory instead.
if [ -n "${CMA_SELFTESTS:-}" ]; then
	dir=$CMA_SELFTESTS
else
	if ! git -C "$tree" cat-file -e HEAD:tools/testing/selftests/process_vm 2>/dev/null; then
		echo "no tools/testing/selftests/process_vm in the series yet"
		: >"$out/suite"
		exit 0
	fi
	# The tests include the series' UAPI header from the tree, once it
	# has one (kernel/, include/ are not otherwise needed).
	uapi=include/uapi/linux/process_vm.h
	git -C "$tree" cat-file -e "HEAD:$uapi" 2>/dev/null || uapi=
	git -C "$tree" archive --prefix=src/ HEAD tools/testing/selftests/lib.mk \
		tools/testing/selftests/kselftest.h tools/testing/selftests/kselftest_harness.h \
		tools/testing/selftests/process_vm $uapi | tar -x -C "$out.src"
	dir=$out.src/src/tools/testing/selftests/process_vm
fi
[ -f "$dir/Makefile" ] || die "$dir: no selftest Makefile"
mkdir -p "$out/process_vm"
make -C "$dir" OUTPUT="$out/process_vm" CC="$cc -static" >&2
: >"$out/suite"
for p in "$out"/process_vm/*; do
	[ -f "$p" ] && [ -x "$p" ] || continue
	case "$p" in *.o|*.sh) continue ;; esac
	n=${p##*/}
	echo "$n-$abi 600 /bin/$abi/process_vm/$n" >>"$out/suite"
done
[ -s "$out/suite" ] || die "no test programs built in $out/process_vm"
cat "$out/suite"
