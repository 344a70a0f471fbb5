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

#define LEN (3 * 4096 + 123)

struct target {
	pid_t pid;
	int go;			/* parent -> child: check your buffer now */
	int done;		/* child -> parent: buffer address, then verdict */
	uintptr_t addr;
};

static unsigned char pattern(size_t i, int salt)
{
	return (unsigned char)(i * 31 + salt);
}

/* The child fills a buffer, reports its address, and on request checks that
 * the parent's writev left the second pattern in it.
 */
static void child(int go, int done)
{
	unsigned char *buf = malloc(LEN);
	uintptr_t addr = (uintptr_t)buf;
	char c = 0;
	size_t i;

	for (i = 0; i < LEN; i++)
		buf[i] = pattern(i, 1);
	if (write(done, &addr, sizeof(addr)) != sizeof(addr) ||
	    read(go, &c, 1) != 1)
		_exit(2);
	for (i = 0; i < LEN; i++)
		if (buf[i] != pattern(i, 2))
			_exit(1);
	_exit(0);
}

static int start_target(struct target *t)
{
	int go[2], done[2];

	if (pipe(go) || pipe(done))
		return -1;
	t->pid = fork();
	if (t->pid < 0)
		return -1;
	if (t->pid == 0) {
		close(go[1]);
		close(done[0]);
		child(go[0], done[1]);
	}
	close(go[0]);
	close(done[1]);
	t->go = go[1];
	t->done = done[0];
	if (read(t->done, &t->addr, sizeof(t->addr)) != sizeof(t->addr))
		return -1;
	return 0;
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
	struct iovec l[2] = { { local, 5000 }, { local + 5000, LEN - 5000 } };
	struct iovec r[3] = {
		{ (void *)t->addr, 100 },
		{ (void *)(t->addr + 100), 8000 },
		{ (void *)(t->addr + 8100), LEN - 8100 },
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
	struct iovec l = { local, LEN };
	struct iovec r[2] = {
		{ (void *)t->addr, 4095 },
		{ (void *)(t->addr + 4095), LEN - 4095 },
	};
	int status = -1;
	long ret;
	size_t i;

	for (i = 0; i < LEN; i++)
		local[i] = pattern(i, 2);
	ret = syscall(CMA_NR_WRITEV, t->pid, &l, 1UL, r, 2UL, 0UL);
	if (write(t->go, "c", 1) != 1 || waitpid(t->pid, &status, 0) != t->pid)
		status = -1;
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
	struct target t;

	ksft_print_header();
	ksft_set_plan(3);
	if (start_target(&t))
		ksft_exit_fail_msg("cannot start the target: %s\n", strerror(errno));
	test_readv(&t, 1);
	test_readv(&t, 0);
	test_writev(&t);
	ksft_finished();
}
