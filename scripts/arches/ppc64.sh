# ppc64: the big-endian pSeries guest with 32-bit compat user space (make
# check).  An arch record: read by arch_load (scripts/lib.sh), which lists
# every field; configs/ppc64.config is the arch's own config fragment.
# shellcheck shell=sh disable=SC2034

# The kernel (build-kernel.sh, lint-series.sh)
arch_karch=powerpc
arch_cross=powerpc64-linux-gnu-
arch_kimage=vmlinux
arch_tinyconfig="kernel/configs/tiny-base.config kernel/configs/tiny.config"
arch_debian=
# Book3S-64's default, with the radix MMU (configs/ppc64.config)
arch_page_size=64K

# QEMU (run-guest.sh): SLOF, POWER9 for the radix MMU, the hypervisor console
arch_qemu=qemu-system-ppc64
arch_machine=pseries
arch_cpu=power9
arch_console=hvc0
arch_cmdline=

# User space: the ABIs the guest runs (the native one first) and their
# compilers; every guest binary is static.
arch_abis="ppc64 ppc32"
arch_abi_names="ppc64, ppc32"
cc_ppc64="powerpc64-linux-gnu-gcc"
cc_ppc32="powerpc-linux-gnu-gcc"

# Debian packages (deps.sh)
arch_packages="qemu-system-ppc gcc-powerpc64-linux-gnu libc6-dev-ppc64-cross gcc-powerpc-linux-gnu libc6-dev-powerpc-cross"
