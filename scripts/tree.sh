#!/bin/sh
# make tree: build/linux as a git tree: upstream (tag upstream), the stripped
# pre-CMA base (tag base), then one commit per patch of patches/series.
# Idempotent; refuses to touch work that is not in patches/.
set -eu
. "$(dirname "$0")/lib.sh"

stamp=$tree/.git/cma-applied

patches_sum() {
	(cd "$top/patches" && cat series $(cat series)) | md5sum | cut -d' ' -f1
}

check_series_file() {
	[ -f "$top/patches/series" ] || die "patches/series is missing (an empty file is a valid series)"
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		[ -f "$top/patches/$p" ] || die "patches/series names $p, which is not in patches/"
	done <"$top/patches/series"
}

unpack() {
	[ -f "$tarball" ] || die "$tarball missing: apt-get install linux-source-6.12 (or run 'make deps')"
	rm -rf "$tree.tmp"
	mkdir -p "$tree.tmp"
	tar -xf "$tarball" -C "$tree.tmp" --strip-components=1
	version=$(make -s -C "$tree.tmp" kernelversion)
	pkg=$(dpkg-query -W -f '${Version}' linux-source-6.12 2>/dev/null || echo unknown)
	cd "$tree.tmp"
	# Debian's .gitignore ignores every top-level path ("/*"), which would
	# hide the whole tree from git; drop that packaging block.
	grep -q '^/\*$' .gitignore || die ".gitignore: Debian's '/*' block not found"
	sed -i '/^# Debian packaging/,$d' .gitignore
	sed -i '$d' .gitignore
	sed -i '$d' .gitignore
	! grep -q '^/\*$' .gitignore || die ".gitignore: '/*' still there"
	git init -q -b main
	git config core.autocrlf false
	git config gc.auto 0
	git add -A
	GIT_AUTHOR_DATE=$GIT_COMMITTER_DATE git commit -q \
		-m "Linux $version (Debian linux-source-6.12 $pkg)" \
		-m "Unpacked from $tarball; only the Debian packaging block of .gitignore is dropped."
	git tag upstream
	"$top/scripts/strip-cma.sh" .
	git add -A
	GIT_AUTHOR_DATE=$GIT_COMMITTER_DATE git commit -q -F - <<MSG
Remove Cross Memory Attach: the pre-CMA base

Made by scripts/strip-cma.sh from Linux $version (Debian linux-source-6.12
$pkg): mm/process_vm_access.c, its Makefile line, CROSS_MEMORY_ATTACH, the
syscall table rows, prototypes and COND_SYSCALLs are gone.
MSG
	git tag base
	cd "$top"
	mv "$tree.tmp" "$tree"
	echo "$version (Debian linux-source-6.12 $pkg)" >"$build/VERSION"
}

apply_series() {
	git -C "$tree" checkout -q --detach base
	git -C "$tree" branch -f main base
	git -C "$tree" checkout -q main
	set --
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		set -- "$@" "$top/patches/$p"
	done <"$top/patches/series"
	if [ $# -gt 0 ]; then
		git -C "$tree" am -q --committer-date-is-author-date "$@" ||
			die "git am failed; fix the patch or run 'git -C build/linux am --abort'"
	fi
	printf '%s %s\n' "$(git -C "$tree" rev-parse HEAD)" "$(patches_sum)" >"$stamp"
}

check_series_file
mkdir -p "$build"
if [ ! -d "$tree/.git" ]; then
	unpack
	apply_series
	echo "build/linux: $(cat "$build/VERSION"), $(git -C "$tree" rev-list --count base..HEAD) patches applied"
	exit 0
fi

[ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ] ||
	die "build/linux has uncommitted changes: commit them and run 'make export' first"
[ -f "$stamp" ] || die "build/linux was not made by 'make tree'; move it away and run 'make tree'"
read -r head sum <"$stamp"
[ "$(git -C "$tree" rev-parse HEAD)" = "$head" ] ||
	die "build/linux has commits not in patches/: run 'make export' (or reset build/linux to $head)"
if [ "$sum" = "$(patches_sum)" ]; then
	echo "build/linux: up to date with patches/"
	exit 0
fi
apply_series
echo "build/linux: patches/ re-applied, $(git -C "$tree" rev-list --count base..HEAD) patches"
