# The C compiler for each guest ABI; every guest binary is static.
CC_x86_64 := gcc
CC_i386   := i686-linux-gnu-gcc
CC_x32    := gcc -mx32 -idirafter /usr/include/x86_64-linux-gnu
CC_ppc64  := powerpc64-linux-gnu-gcc
CC_ppc32  := powerpc-linux-gnu-gcc
CC_arm64  := aarch64-linux-gnu-gcc
CC_arm32  := arm-linux-gnueabihf-gcc
CC_riscv64 := riscv64-linux-gnu-gcc
CC_ppc64le := powerpc64le-linux-gnu-gcc
CC_s390x  := s390x-linux-gnu-gcc

# The ABIs each guest kernel runs.
ABIS_x86_64 := x86_64 i386 x32
ABIS_ppc64  := ppc64 ppc32
ABIS_arm64  := arm64 arm32
# make check-arches
ABIS_riscv64 := riscv64
ABIS_ppc64le := ppc64le
ABIS_s390x  := s390x
