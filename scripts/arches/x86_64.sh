# x86_64: the x86-64 guest (make check).  An arch record: read by arch_load
# (scripts/lib.sh), which lists every field; configs/x86_64.config is the
# arch's own config fragment.
# shellcheck shell=sh disable=SC2034

# The kernel (build-kernel.sh, lint-series.sh)
arch_karch=x86_64
arch_cross=
arch_kimage=arch/x86/boot/bzImage
arch_tinyconfig="kernel/configs/tiny-base.config kernel/configs/tiny.config arch/x86/configs/tiny.config"
# make bench's headline kernels start from Debian's amd64 configuration
arch_debian=config.amd64_none_amd64.xz
arch_page_size=4K

# QEMU (run-guest.sh).  no_timer_check: on a loaded host TCG can miss the
# IO-APIC timer check's window and the kernel then panics at boot.  The
# CPU is make bench's to change (CMA_CPU; its cost model is max,-erms,-fsrm).
arch_qemu=qemu-system-x86_64
arch_machine=q35
arch_cpu=max
arch_console=ttyS0
arch_cmdline=no_timer_check

# User space: the ABIs the guest runs (the native one first) and their
# compilers; every guest binary is static.
arch_abis="x86_64 i386 x32"
arch_abi_names="x86-64, i386, x32"
cc_x86_64="gcc"
cc_i386="i686-linux-gnu-gcc"
cc_x32="gcc -mx32 -idirafter /usr/include/x86_64-linux-gnu"

# Debian packages (deps.sh): QEMU, the compat compilers and libcs
arch_packages="qemu-system-x86 gcc-i686-linux-gnu libc6-dev-i386-cross libc6-dev-x32 libx32gcc-12-dev"
