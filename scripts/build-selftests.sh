#!/bin/sh
# build-selftests.sh ABI OUTDIR: build tools/testing/selftests/process_vm of
# build/linux (the series) as static binaries for one guest ABI, and write
# OUTDIR/suite, the lines init runs them by.  Without the selftests in the
# series yet, it builds nothing and says so.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: $0 ABI OUTDIR"
abi=$1 out=$2
cc=$(sed -n "s/^CC_$abi *:= *//p" "$top/guest/abi.mk")
[ -n "$cc" ] || die "unknown ABI '$abi'"
dir=$tree/tools/testing/selftests/process_vm
rm -rf "$out"
mkdir -p "$out"
if [ ! -d "$dir" ]; then
	echo "no $dir in the series yet"
	: >"$out/suite"
	exit 0
fi
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
