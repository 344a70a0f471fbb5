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
pkgs="linux-source-6.12 make gcc libc6-dev git bc flex bison libelf-dev libssl-dev
cpio xz-utils ccache sparse python3 python3-ply python3-git qemu-system-x86 qemu-system-ppc
qemu-system-arm gcc-i686-linux-gnu libc6-dev-i386-cross libc6-dev-x32 libx32gcc-12-dev
gcc-powerpc64-linux-gnu libc6-dev-ppc64-cross gcc-powerpc-linux-gnu
libc6-dev-powerpc-cross gcc-aarch64-linux-gnu libc6-dev-arm64-cross
gcc-arm-linux-gnueabihf libc6-dev-armhf-cross
gnuplot-nox groff man-db python3-sphinx python3-sphinx-rtd-theme python3-yaml
debootstrap libopenmpi-dev linux-config-6.12"
# qemu-system-misc holds qemu-system-riscv64 and qemu-system-s390x; the
# firmware they boot with (OpenSBI, s390-ccw.img) comes with qemu-system-data.
[ $# -eq 0 ] || pkgs="$pkgs qemu-system-misc gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross gcc-s390x-linux-gnu libc6-dev-s390x-cross"

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
