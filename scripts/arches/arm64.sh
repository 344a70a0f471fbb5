# arm64: the AArch64 guest with AArch32 compat user space (make check).  An
# arch record: read by arch_load (scripts/lib.sh), which lists every field;
# configs/arm64.config is the arch's own config fragment.
# shellcheck shell=sh disable=SC2034

# The kernel (build-kernel.sh, lint-series.sh)
arch_karch=arm64
arch_cross=aarch64-linux-gnu-
arch_kimage=arch/arm64/boot/Image
arch_tinyconfig="kernel/configs/tiny-base.config kernel/configs/tiny.config"
arch_debian=
arch_page_size=4K
# make check-arches boots it again with 64 KiB pages: target arm64-64k,
# that fragment on top (build flavour arm64-pages-64k).
arch_extra_targets="arm64-64k=configs/pages-64k.config"

# QEMU (run-guest.sh): -cpu max runs AArch32 at EL0 (the arm32 ABI) under
# TCG; the virt board's PL011 UART is the console.
arch_qemu=qemu-system-aarch64
arch_machine=virt
arch_cpu=max
arch_console=ttyAMA0
arch_cmdline=

# User space: the ABIs the guest runs (the native one first) and their
# compilers; every guest binary is static.
arch_abis="arm64 arm32"
arch_abi_names="AArch64, AArch32"
cc_arm64="aarch64-linux-gnu-gcc"
cc_arm32="arm-linux-gnueabihf-gcc"

# Debian packages (deps.sh)
arch_packages="qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross gcc-arm-linux-gnueabihf libc6-dev-armhf-cross"
