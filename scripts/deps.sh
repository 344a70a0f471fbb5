#!/bin/sh
# deps.sh [arches]: install the Debian packages the harness needs (as root),
# or say which are missing and how to install them.  "arches" adds what
# make check-arches needs (riscv64, ppc64le, s390x).
set -eu
. "$(dirname "$0")/lib.sh"

case "$*" in
''|arches) ;;
*) die "usage: $0 [arches]" ;;
esac
# What the harness itself needs (gdb: make trace-call); each arch's QEMU,
# cross compilers and libcs are in its record (scripts/arches/), make
# check's arches always, the others for "arches".
pkgs="linux-source-6.12 make gcc libc6-dev git bc flex bison libelf-dev libssl-dev
cpio xz-utils ccache sparse python3 python3-ply python3-git
gnuplot-nox groff man-db python3-sphinx python3-sphinx-rtd-theme python3-yaml
debootstrap libopenmpi-dev linux-config-6.12 gdb"
arches=$guest_arches
[ $# -eq 0 ] || arches=$all_arches
for a in $arches; do
	arch_load "$a"
	pkgs="$pkgs $arch_packages"
done
# Arches share packages (qemu-system-ppc, qemu-system-misc): each once.
pkgs=$(printf '%s\n' $pkgs | awk '!seen[$0]++')

missing=
for p in $pkgs; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -n "$missing" ] || { echo "all packages present"; exit 0; }
if [ "$(id -u)" != 0 ]; then
	die "missing packages:$missing; install them with: sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing"
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q || die "apt-get update failed"
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing || die "apt-get install failed for:$missing"
