#!/bin/sh
# build-kernel.sh ARCH VARIANT [FRAGMENT...]: build one guest kernel.
#   ARCH     an arch with a record in scripts/arches/: x86_64 | ppc64 | arm64
#            (make check); riscv64 | ppc64le | s390x (make check-arches)
#   VARIANT  base | series | reference (a commit of build/linux), or a
#            commit id / ref of build/linux
# One source worktree (build/src) and one object tree per arch and config
# flavour (build/kbuild/ARCH[-flavour]) are shared by all variants, so a
# switch rebuilds only what changed; ccache covers the rest.  The result
# goes to build/kernels/ARCH[-flavour]-VARIANT/ (image, config, commit).
# Extra config fragments (e.g. configs/debug.config) name a flavour.
# configs/debian.config is special: the kernel starts from Debian's own
# configuration for the arch (package linux-config-6.12) instead of
# tinyconfig, with that fragment's trims on top (make bench's headline).
#   KBUILD_EXTRA  more arguments for the kernel's make (e.g.
#                 GCOV_PROFILE_process_vm_access.o=y with configs/gcov.config)
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: $0 ARCH VARIANT [FRAGMENT...]  (ARCH: $all_arches; VARIANT: base series reference)"
arch=$1 variant=$2
shift 2

# What the kernel is for this arch: scripts/arches/ARCH.sh
arch_load "$arch"
case "$variant" in
base|series|reference) ref=$(variant_ref "$variant") ;;
*) ref=$variant ;;
esac

[ -d "$tree/.git" ] || die "no build/linux: run 'make tree' first"
command -v "${arch_cross}gcc" >/dev/null || die "${arch_cross}gcc not found: run 'make deps'"
commit=$(git -C "$tree" rev-parse --verify -q "$ref^{commit}") ||
	die "build/linux has no commit '$ref'"

ours="$top/configs/common.config $top/configs/$arch.config"
frags=$arch_tinyconfig
allno=-n
for f in "$@"; do
	[ -f "$f" ] || die "config fragment $f not found"
	if [ "${f##*/}" = debian.config ]; then
		dc=/usr/src/linux-config-6.12/$arch_debian
		[ -n "$arch_debian" ] || die "no Debian configuration is known for $arch"
		[ -f "$dc" ] || die "$dc missing: apt-get install linux-config-6.12"
		frags=$build/debian-$arch.config
		mkdir -p "$build"
		# What Debian builds as a module is left out, not built in:
		# with CONFIG_MODULES off, Kconfig would turn every =m into =y.
		xz -dc "$dc" | sed 's/^\(CONFIG_[A-Za-z0-9_]*\)=m$/# \1 is not set/' >"$frags"
		allno= base_cfg=$frags
	fi
	ours="$ours $(cd "$(dirname "$f")" && pwd)/${f##*/}"
done
flavour=$(kernel_flavour "$arch" "$@")
obj=$build/kbuild/$flavour
out=$(kernel_dir "$flavour" "$variant")
# The key names what this kernel is made of: other flavours' fragments do not
# invalidate it; KBUILD_EXTRA (make variables such as GCOV_PROFILE_x.o=y)
# changes the objects, so it is part of it; so are the record's kernel
# fields (not its QEMU ones).
key="$commit $({ cat $ours "$top/configs/cma.config" "$0" ${base_cfg:-}; echo "KBUILD_EXTRA=${KBUILD_EXTRA:-}"
	echo "$arch_karch $arch_cross $arch_kimage $arch_tinyconfig $arch_debian"; } |
	md5sum | cut -d" " -f1)"
if [ -f "$out/key" ] && [ "$(cat "$out/key")" = "$key" ] && [ -f "$out/image" ]; then
	echo "$flavour-$variant: up to date ($commit)"
	exit 0
fi

# build/src is one checkout: builds wait for each other rather than move it
# under one another.
src_lock
src_checkout "$commit"

export ARCH=$arch_karch CROSS_COMPILE=$arch_cross
export CCACHE_BASEDIR=$build CCACHE_NOHASHDIR=1 CCACHE_COMPILERCHECK=content
cc="ccache ${arch_cross}gcc"
command -v ccache >/dev/null || cc=${arch_cross}gcc
mkdir -p "$obj" "$out"

# The feature's own fragment applies wherever the tree has the feature, and
# the selftests' config fragment (kselftest convention) wherever they exist.
if git -C "$src" grep -q '^config CROSS_MEMORY_ATTACH$' HEAD -- init/Kconfig; then
	ours="$ours $top/configs/cma.config"
fi
if [ -f "$src/tools/testing/selftests/process_vm/config" ]; then
	ours="$ours $src/tools/testing/selftests/process_vm/config"
fi

echo "== configure $flavour at $commit ($variant)"
# merge_config.sh runs make in the current directory.
(cd "$src" && CC="$cc" scripts/kconfig/merge_config.sh $allno -O "$obj" $frags $ours) \
	>"$obj/merge.log" 2>&1 ||
	die "merge_config.sh failed: $(tail -n 1 "$obj/merge.log") (see $obj/merge.log)"
# A value of ours that did not take is a broken config, not a warning.
# (tinyconfig's own fragments carry values for other arches: not checked.)
missed=$(sed -n 's/^Value requested for \(CONFIG_[A-Za-z0-9_]*\) not in final .config$/\1/p' \
	"$obj/merge.log" | sort -u | while read -r sym; do
		if grep -qE "^(# )?$sym[= ]" $ours; then echo "$sym"; fi
	done)
[ -z "$missed" ] || die "config fragments did not apply:" $missed "(see $obj/merge.log)"
echo "== merged: $(grep -c '^CONFIG_' "$obj/.config") options set, log in $obj/merge.log"

echo "== build $flavour"
make -C "$src" O="$obj" CC="$cc" -j"$(nproc)" ${KBUILD_EXTRA:-}
cp "$obj/$arch_kimage" "$out/image.tmp"
mv "$out/image.tmp" "$out/image"
cp "$obj/.config" "$out/config"
echo "$commit" >"$out/commit"
echo "$key" >"$out/key"
echo "$flavour-$variant: $(du -h "$out/image" | cut -f1) at $commit"
