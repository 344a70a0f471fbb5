# s390x: the z/Architecture guest, s390's own syscall numbers (make
# check-arches).  An arch record: read by arch_load (scripts/lib.sh), which
# lists every field; configs/s390x.config is the arch's own config fragment.
# shellcheck shell=sh disable=SC2034

# The kernel (build-kernel.sh, lint-series.sh)
arch_karch=s390
arch_cross=s390x-linux-gnu-
arch_kimage=arch/s390/boot/bzImage
arch_tinyconfig="kernel/configs/tiny-base.config kernel/configs/tiny.config"
arch_debian=
arch_page_size=4K

# QEMU (run-guest.sh): QEMU's default CPU; the SCLP VT220 console, which
# QEMU puts on stdio with -nographic
arch_qemu=qemu-system-s390x
arch_machine=s390-ccw-virtio
arch_cpu=
arch_console=ttysclp0
arch_cmdline=

# User space: one ABI (no 31-bit toolchain)
arch_abis="s390x"
arch_abi_names="s390x"
cc_s390x="s390x-linux-gnu-gcc"

# Debian packages (deps.sh).  qemu-system-misc holds qemu-system-s390x; the
# firmware it boots with (s390-ccw.img) comes with qemu-system-data.
arch_packages="qemu-system-misc gcc-s390x-linux-gnu libc6-dev-s390x-cross"
