#!/bin/sh
# check-docs.sh: the series' documentation builds with the kernel's own
# `make SPHINXDIRS=userspace-api htmldocs` without a warning about our file,
# and man/process_vm_readv.2 passes groff -ww and man --warnings.
set -eu
. "$(dirname "$0")/lib.sh"

page=$top/man/process_vm_readv.2
[ -f "$page" ] || die "$page missing"
out=$(groff -ww -man -Tutf8 -z "$page" 2>&1) || die "groff failed on $page"
[ -z "$out" ] || die "groff -ww: $out"
out=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null) || die "man failed on $page"
[ -z "$out" ] || die "man --warnings: $out"
echo "man/process_vm_readv.2: groff -ww and man --warnings clean"

rst=Documentation/userspace-api/process_vm.rst
git -C "$tree" cat-file -e "HEAD:$rst" 2>/dev/null || die "the series has no $rst"
src_checkout "$(git -C "$tree" rev-parse HEAD)"
obj=$build/kbuild/docs
mkdir -p "$obj"
# Debian's python3 has sphinx, whatever python3 comes first on PATH.
PATH=/usr/bin:$PATH make -C "$build/src" O="$obj" SPHINXDIRS=userspace-api htmldocs \
	>"$obj/sphinx.log" 2>&1 || { tail -n 20 "$obj/sphinx.log"; die "htmldocs failed"; }
ours=$(grep -E 'WARNING|ERROR' "$obj/sphinx.log" | grep 'process_vm' || true)
[ -z "$ours" ] || { echo "$ours"; die "sphinx warnings in $rst"; }
[ -f "$obj/Documentation/output/userspace-api/process_vm.html" ] ||
	die "no process_vm.html: is it in the userspace-api toctree?"
echo "$rst: htmldocs clean ($(grep -cE 'WARNING|ERROR' "$obj/sphinx.log" || true) warnings elsewhere in userspace-api, none ours)"
