#!/bin/sh
# lint-series.sh ARCH: compile the C files the series adds or changes with
# sparse (C=2) and W=1 in the series kernel's object tree.  A file it adds
# must be clean; a file it changes (mm/gup.c has sparse context warnings of
# its own upstream) must warn of nothing the same file at the base does not.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: $0 ARCH (make check lints $kernel_arches)"
arch=$1
arch_load "$arch"
export ARCH=$arch_karch CROSS_COMPILE=$arch_cross
command -v sparse >/dev/null || die "sparse not found: run 'make deps'"
obj=$build/kbuild/$arch
[ -f "$obj/.config" ] || die "no $obj: build the $arch kernels first"
# The object tree must have been configured and built for the series once.
"$top/scripts/build-kernel.sh" "$arch" series >/dev/null
src_lock
src_checkout "$(git -C "$tree" rev-parse HEAD)"
# objects FILTER: the series' kernel C files of git's --diff-filter FILTER
objects() {
	git -C "$tree" diff --name-only --diff-filter="$1" base HEAD -- '*.c' |
		grep -v '^tools/' | sed 's/\.c$/.o/' || true
}

# warnings OBJECTS...: sparse and W=1 warnings of OBJECTS at build/src's
# commit, without line and column numbers, so that two commits compare
warnings() {
	w_out=$(make -C "$build/src" O="$obj" C=2 W=1 "$@" 2>&1) ||
		{ echo "$w_out" >&2; die "build failed"; }
	echo "$w_out" >&2
	echo "$w_out" | grep -E 'warning:|error:' |
		sed -E "s|^$build/src/||; s/:[0-9]+:[0-9]+: /: /" | sort -u || true
}

added=$(objects A)
changed=$(objects M)
[ -n "$added" ] || die "the series adds no kernel C files"
head=$(git -C "$tree" rev-parse HEAD)
new=$(warnings $added $changed)
old=
if [ -n "$changed" ]; then
	src_checkout base
	old=$(warnings $changed)
	src_checkout "$head"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%s\n' "$new" | sed '/^$/d' >"$tmp/series"
printf '%s\n' "$old" | sed '/^$/d' >"$tmp/base"
# What the series warns of that the base does not
extra=$(comm -23 "$tmp/series" "$tmp/base")
[ -z "$extra" ] || { echo "$extra"; die "sparse or W=1 warnings of the series in:" $added $changed; }
[ ! -s "$tmp/base" ] || echo "as at the base (not the series'): $(wc -l <"$tmp/base") warnings"
echo "sparse and W=1 clean:" $added${changed:+; no new warning in: $changed}
