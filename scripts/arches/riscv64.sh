# riscv64: the RV64 guest on the virt board (OpenSBI), the generic syscall
# table (make check-arches).  An arch record: read by arch_load
# (scripts/lib.sh), which lists every field; configs/riscv64.config is the
# arch's own config fragment.
# shellcheck shell=sh disable=SC2034

# The kernel (build-kernel.sh, lint-series.sh)
arch_karch=riscv
arch_cross=riscv64-linux-gnu-
arch_kimage=arch/riscv/boot/Image
arch_tinyconfig="kernel/configs/tiny-base.config kernel/configs/tiny.config"
arch_debian=
arch_page_size=4K

# QEMU (run-guest.sh): QEMU's default CPU; the virt board's 16550 UART
arch_qemu=qemu-system-riscv64
arch_machine=virt
arch_cpu=
arch_console=ttyS0
arch_cmdline=

# User space: one ABI (lp64d)
arch_abis="riscv64"
arch_abi_names="riscv64"
cc_riscv64="riscv64-linux-gnu-gcc"

# Debian packages (deps.sh).  qemu-system-misc holds qemu-system-riscv64;
# the firmware it boots with (OpenSBI) comes with qemu-system-data.
arch_packages="qemu-system-misc gcc-riscv64-linux-gnu libc6-dev-riscv64-cross"
