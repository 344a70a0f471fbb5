#!/bin/sh
# lint-series.sh ARCH: compile the files the series adds with sparse (C=2)
# and W=1 in the series kernel's object tree; any warning fails.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: $0 ARCH (x86_64 or ppc64)"
arch=$1
case "$arch" in
x86_64) export ARCH=x86_64 CROSS_COMPILE= ;;
ppc64) export ARCH=powerpc CROSS_COMPILE=powerpc64-linux-gnu- ;;
*) die "unknown arch '$arch'" ;;
esac
command -v sparse >/dev/null || die "sparse not found: run 'make deps'"
obj=$build/kbuild/$arch
[ -f "$obj/.config" ] || die "no $obj: build the $arch kernels first"
# The object tree must have been configured and built for the series once.
"$top/scripts/build-kernel.sh" "$arch" series >/dev/null
src_lock
src_checkout "$(git -C "$tree" rev-parse HEAD)"
files=$(git -C "$tree" diff --name-only --diff-filter=AM base HEAD -- '*.c' |
	grep -v '^tools/' | sed 's/\.c$/.o/')
[ -n "$files" ] || die "the series adds no kernel C files"
out=$(make -C "$build/src" O="$obj" C=2 W=1 $files 2>&1) || { echo "$out"; die "build failed"; }
echo "$out"
warn=$(echo "$out" | grep -E 'warning:|error:' || true)
[ -z "$warn" ] || die "sparse or W=1 warnings in: $files"
echo "sparse and W=1 clean: $files"
