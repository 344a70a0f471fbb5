#!/bin/sh
# make export: write the commits base..HEAD of build/linux back to patches/
# with git format-patch and rewrite patches/series.
set -eu
. "$(dirname "$0")/lib.sh"

stamp=$tree/.git/cma-applied
[ -d "$tree/.git" ] || die "no build/linux: run 'make tree' first"
[ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ] ||
	die "build/linux has uncommitted changes: commit them first"
[ -f "$stamp" ] || die "build/linux was not made by 'make tree'"
read -r head sum <"$stamp"
now=$( (cd "$top/patches" && cat series $(cat series)) | md5sum | cut -d' ' -f1)
[ "$now" = "$sum" ] ||
	die "patches/ changed since build/linux was made; keep one: 'make tree' (after moving build/linux away) or 'git checkout patches/'"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Numbered, exactly as the shared before-stop hook formats base..HEAD, so
# that its "build/linux differs from patches/" check compares like with like.
git -C "$tree" format-patch -q --no-signature --zero-commit -o "$tmp" base..HEAD
rm -f "$top"/patches/*.patch
: >"$top/patches/series"
for p in "$tmp"/*.patch; do
	[ -e "$p" ] || continue
	cp "$p" "$top/patches/"
	echo "${p##*/}" >>"$top/patches/series"
done
printf '%s %s\n' "$(git -C "$tree" rev-parse HEAD)" \
	"$( (cd "$top/patches" && cat series $(cat series)) | md5sum | cut -d' ' -f1)" >"$stamp"
echo "patches/: $(grep -c . "$top/patches/series" || true) patches exported"
