/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The syscall numbers of doc/design.md section 3 for the ABI this file is
 * compiled for.  They are spelled out rather than taken from libc so that a
 * libc (or a kernel table) with the wrong number cannot go unnoticed.
 */
#ifndef CMA_ABI_H
#define CMA_ABI_H

#include <sys/syscall.h>

#if defined(__x86_64__) && defined(__ILP32__)
#define CMA_ABI		"x32"
#define CMA_NR_READV	(0x40000000 + 539)	/* __X32_SYSCALL_BIT + 539 */
#define CMA_NR_WRITEV	(0x40000000 + 540)
#elif defined(__x86_64__)
#define CMA_ABI		"x86_64"
#define CMA_NR_READV	310
#define CMA_NR_WRITEV	311
#elif defined(__i386__)
#define CMA_ABI		"i386"
#define CMA_NR_READV	347
#define CMA_NR_WRITEV	348
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
#define CMA_ABI		"ppc64le"
#define CMA_NR_READV	351
#define CMA_NR_WRITEV	352
#elif defined(__powerpc64__)
#define CMA_ABI		"ppc64"
#define CMA_NR_READV	351
#define CMA_NR_WRITEV	352
#elif defined(__powerpc__)
#define CMA_ABI		"ppc32"
#define CMA_NR_READV	351
#define CMA_NR_WRITEV	352
#elif defined(__aarch64__)
#define CMA_ABI		"arm64"
#define CMA_NR_READV	270
#define CMA_NR_WRITEV	271
#elif defined(__arm__)
#define CMA_ABI		"arm32"		/* AArch32 (EABI), compat on arm64 */
#define CMA_NR_READV	376
#define CMA_NR_WRITEV	377
#elif defined(__riscv) && __riscv_xlen == 64
#define CMA_ABI		"riscv64"	/* the generic table */
#define CMA_NR_READV	270
#define CMA_NR_WRITEV	271
#elif defined(__s390x__)
#define CMA_ABI		"s390x"
#define CMA_NR_READV	340
#define CMA_NR_WRITEV	341
#else
#error "no process_vm syscall numbers known for this ABI"
#endif

/*
 * The flags of the series' <linux/process_vm.h>, which no libc's kernel
 * headers have yet.  A kernel without them says EINVAL (see cma_has_flags).
 */
#define CMA_PIDFD	(1UL << 0)
#define CMA_NOWAIT	(1UL << 1)
#define CMA_KNOWN_FLAGS	(CMA_PIDFD | CMA_NOWAIT)

/*
 * PROCESS_VM_REDUCE(op, type): op in bits 8-15, type in bits 16-23 (the
 * values of <linux/process_vm.h>).  EINVAL where the kernel lacks it.
 */
#define CMA_REDUCE(op, type)	(((unsigned long)(op) << 8) | \
				 ((unsigned long)(type) << 16))
#define CMA_REDUCE_FIELDS	CMA_REDUCE(0xff, 0xff)
#define CMA_OP_SUM	1
#define CMA_OP_BOR	8
#define CMA_OP_BXOR	10
#define CMA_TYPE_U8	2
#define CMA_TYPE_U32	6
#define CMA_TYPE_U64	8
#define CMA_TYPE_F64	10

_Static_assert(CMA_NR_READV == __NR_process_vm_readv,
	       "libc's __NR_process_vm_readv differs from the ABI");
_Static_assert(CMA_NR_WRITEV == __NR_process_vm_writev,
	       "libc's __NR_process_vm_writev differs from the ABI");

#endif
