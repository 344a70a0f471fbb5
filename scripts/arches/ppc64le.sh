# ppc64le: the little-endian pSeries guest, 64 KiB pages, no 32-bit user
# space (make check-arches).  An arch record: read by arch_load
# (scripts/lib.sh), which lists every field; configs/ppc64le.config is the
# arch's own config fragment.
# shellcheck shell=sh disable=SC2034

# The kernel (build-kernel.sh, lint-series.sh)
arch_karch=powerpc
arch_cross=powerpc64le-linux-gnu-
arch_kimage=vmlinux
arch_tinyconfig="kernel/configs/tiny-base.config kernel/configs/tiny.config"
arch_debian=
arch_page_size=64K

# QEMU (run-guest.sh): as ppc64
arch_qemu=qemu-system-ppc64
arch_machine=pseries
arch_cpu=power9
arch_console=hvc0
arch_cmdline=

# User space: one ABI (there is no little-endian ppc32 ABI to run)
arch_abis="ppc64le"
arch_abi_names="ppc64le"
cc_ppc64le="powerpc64le-linux-gnu-gcc"

# Debian packages (deps.sh)
arch_packages="qemu-system-ppc gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross"
