#!/bin/sh
# bisect-build.sh ARCH: build the kernel at every commit of the series, in
# order, so each patch is known to build on its own (bisectable).  Each
# build is incremental on the one before; the last one is the series.  A
# patch that touches nothing the kernel's build reads (only tools/,
# Documentation/, MAINTAINERS) builds what the patch before it built: it
# is named, not built again.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: $0 ARCH (make check builds $kernel_arches)"
[ -d "$tree/.git" ] || die "no build/linux: run 'make tree' first"
n=0
for c in $(git -C "$tree" rev-list --reverse base..HEAD); do
	n=$((n + 1))
	subject=$(git -C "$tree" log -1 --format=%s "$c")
	echo "== patch $n: $subject"
	if ! git -C "$tree" diff --name-only "$c^" "$c" |
		grep -qvE '^(tools/|Documentation/|MAINTAINERS$)'; then
		echo "   builds as patch $((n - 1)) does: it changes only tools/, Documentation/, MAINTAINERS"
		continue
	fi
	t0=$(date +%s)
	"$top/scripts/build-kernel.sh" "$1" "$c" >"$logs/bisect-$1-$n.log" 2>&1 ||
		die "patch $n ($subject) does not build for $1: see out/logs/bisect-$1-$n.log"
	echo "   builds for $1 ($(($(date +%s) - t0)) s)"
done
[ "$n" -gt 0 ] || echo "no patches in the series"
