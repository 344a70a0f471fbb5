#!/bin/sh
# verify-series.sh: strip a fresh checkout of upstream again, check that it
# gives exactly the base commit (the strip still matches this tarball), and
# that patches/ applies to it with git am.
set -eu
. "$(dirname "$0")/lib.sh"

[ -d "$tree/.git" ] || die "no build/linux: run 'make tree' first"
tmp=$build/verify-series
cleanup() {
	git -C "$tree" worktree remove --force "$tmp" 2>/dev/null || rm -rf "$tmp"
	git -C "$tree" worktree prune
}
trap cleanup EXIT
cleanup
git -C "$tree" worktree add -q --detach "$tmp" upstream
"$top/scripts/strip-cma.sh" "$tmp"
git -C "$tmp" add -A
got=$(git -C "$tmp" write-tree)
want=$(git -C "$tree" rev-parse 'base^{tree}')
[ "$got" = "$want" ] || die "a fresh strip gives tree $got, the base commit has $want"
GIT_AUTHOR_DATE=$GIT_COMMITTER_DATE git -C "$tmp" commit -q -m "fresh strip"
n=0
while read -r p; do
	case "$p" in ''|'#'*) continue ;; esac
	git -C "$tmp" am -q "$top/patches/$p" || die "git am $p failed on a fresh base"
	n=$((n + 1))
done <"$top/patches/series"
echo "fresh strip matches base; $n patches apply with git am"
