# The C compiler for each guest ABI; every guest binary is static.
CC_x86_64 := gcc
CC_i386   := i686-linux-gnu-gcc
CC_x32    := gcc -mx32 -idirafter /usr/include/x86_64-linux-gnu
CC_ppc64  := powerpc64-linux-gnu-gcc
CC_ppc32  := powerpc-linux-gnu-gcc
CC_arm64  := aarch64-linux-gnu-gcc

# The ABIs each guest kernel runs.
ABIS_x86_64 := x86_64 i386 x32
ABIS_ppc64  := ppc64 ppc32
