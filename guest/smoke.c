// SPDX-License-Identifier: GPL-2.0
/*
 * Smoke test of a kernel that has Cross Memory Attach: real transfers to and
 * from a child through the raw syscall numbers of this ABI and through libc's
 * wrappers.  It proves the harness against a kernel that has the feature; the
 * full behaviour is the selftests' job.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include "kselftest.h"
#include "abi.h"
#include "util.h"

#define LEN (3 * 4096 + 123)

static unsigned char pattern(size_t i, int salt)
{
	return (unsigned char)(i * 31 + salt);
}

/* The target fills a buffer and says where it is (in its shared page) */
static int child_fill(struct target *t)
{
	unsigned char *buf = malloc(LEN);
	size_t i;

	if (!buf)
		return ENOMEM;
	for (i = 0; i < LEN; i++)
		buf[i] = pattern(i, 1);
	*(unsigned char **)t->shared = buf;
	return 0;
}

/* ... and at the end checks that the parent's writev left the second pattern */
static int child_check(struct target *t)
{
	unsigned char *buf = *(unsigned char **)t->shared;
	size_t i;

	for (i = 0; i < LEN; i++)
		if (buf[i] != pattern(i, 2))
			return 1;
	return 0;
}

/* Where the target's buffer is */
static uintptr_t target_buf(const struct target *t)
{
	return (uintptr_t)*(unsigned char **)t->shared;
}

static int check_pattern(const unsigned char *p, size_t len, int salt, size_t *bad)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != pattern(i, salt)) {
			*bad = i;
			return -1;
		}
	return 0;
}

/* Three remote pieces into two local ones, crossing page boundaries. */
static void test_readv(struct target *t, int raw)
{
	static unsigned char local[LEN];
	uintptr_t addr = target_buf(t);
	struct iovec l[2] = { { local, 5000 }, { local + 5000, LEN - 5000 } };
	struct iovec r[3] = {
		{ (void *)addr, 100 },
		{ (void *)(addr + 100), 8000 },
		{ (void *)(addr + 8100), LEN - 8100 },
	};
	const char *how = raw ? "raw_syscall" : "libc_wrapper";
	size_t bad = 0;
	long ret;

	memset(local, 0, sizeof(local));
	if (raw)
		ret = syscall(CMA_NR_READV, t->pid, l, 2UL, r, 3UL, 0UL);
	else
		ret = process_vm_readv(t->pid, l, 2, r, 3, 0);
	if (ret != LEN)
		ksft_test_result_fail("%s_readv_%s: returned %ld, errno %d (%s)\n",
				      CMA_ABI, how, ret, errno, strerror(errno));
	else if (check_pattern(local, LEN, 1, &bad))
		ksft_test_result_fail("%s_readv_%s: byte %zu differs\n", CMA_ABI, how, bad);
	else
		ksft_test_result_pass("%s_readv_%s\n", CMA_ABI, how);
}

static void test_writev(struct target *t)
{
	static unsigned char local[LEN];
	uintptr_t addr = target_buf(t);
	struct iovec l = { local, LEN };
	struct iovec r[2] = {
		{ (void *)addr, 4095 },
		{ (void *)(addr + 4095), LEN - 4095 },
	};
	int status;
	long ret;
	size_t i;

	for (i = 0; i < LEN; i++)
		local[i] = pattern(i, 2);
	ret = syscall(CMA_NR_WRITEV, t->pid, &l, 1UL, r, 2UL, 0UL);
	status = target_finish(t);
	if (ret != LEN)
		ksft_test_result_fail("%s_writev_raw_syscall: returned %ld, errno %d (%s)\n",
				      CMA_ABI, ret, errno, strerror(errno));
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		ksft_test_result_fail("%s_writev_raw_syscall: target saw wrong data (status %#x)\n",
				      CMA_ABI, status);
	else
		ksft_test_result_pass("%s_writev_raw_syscall\n", CMA_ABI);
}

int main(void)
{
	struct target t = {
		.setup = child_fill,
		.finish = child_check,
		.shared_size = sizeof(unsigned char *),
	};

	ksft_print_header();
	ksft_set_plan(3);
	if (target_start(&t))
		ksft_exit_fail_msg("cannot start the target: %s\n", strerror(errno));
	test_readv(&t, 1);
	test_readv(&t, 0);
	test_writev(&t);
	ksft_finished();
}
