// SPDX-License-Identifier: GPL-2.0
/*
 * The guest side of scripts/trace-call.sh, which single-steps one call of a
 * kernel under QEMU's gdb stub and counts its instructions per kernel
 * function.  Two jobs:
 *
 *   tracecall --symbols
 *	print the kernel's text symbols (/proc/kallsyms, types t T w W) as
 *	"cma-ksym ADDRESS TYPE NAME" lines, then "cma-ksyms: N", so that the
 *	host has the symbol map of an image it may have no System.map for
 *	(boot with nokaslr: the addresses are then those of every boot).
 *	The kernel's console messages are held back meanwhile: one in the
 *	middle of a line (a clocksource warning on a loaded host) cost a
 *	symbol.
 *
 *   tracecall [--write] [--size N] [--calls N]
 *	start a target, then make --calls (default 40) process_vm_readv (or
 *	writev) calls of N bytes (default 8; 4K, 1M...), each one local and
 *	one remote iovec, on base pages touched beforehand: the shape of
 *	make bench's "readv 1x1 4k".  The host traces one call after the
 *	first ones (the 21st: warm caches, lists and per-cpu state); the
 *	program checks that every call moved the right bytes.
 *
 * On the kernel command line (which init passes on as the environment),
 * cmatrace_op=readv|writev and cmatrace_size=N stand for the options, as
 * cmabench_sizes does for bench.  TAP through kselftest.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include "kselftest.h"
#include "abi.h"
#include "args.h"
#include "util.h"

static void usage(void)
{
	printf("usage: tracecall --symbols | [--write] [--size N] [--calls N]\n");
	exit(2);
}

static unsigned char pattern(size_t i, int salt)
{
	return (unsigned char)(i * 31 + salt);
}

/* ---- --symbols */

static int symbols(void)
{
	char line[512], addr[32], type[4], name[256];
	unsigned long n = 0, zero = 0;
	long long level;
	FILE *f;

	ksft_print_header();
	ksft_set_plan(1);
	f = fopen("/proc/kallsyms", "r");
	if (!f)
		ksft_exit_fail_msg("/proc/kallsyms: %s (the kernel needs CONFIG_KALLSYMS)\n",
				   strerror(errno));
	/* only KERN_EMERG on the console while we list (SYSLOG_ACTION_CONSOLE_LEVEL) */
	level = read_number("/proc/sys/kernel/printk", -1);
	if (level > 1 && klogctl(8, NULL, 1))
		printf("# console loglevel: %s\n", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		/* "ffffffff81000000 T _text" (and " [module]" after a module's) */
		if (sscanf(line, "%31s %3s %255s", addr, type, name) != 3 ||
		    !strchr("tTwW", type[0]) || type[1])
			continue;
		if (strspn(addr, "0") == strlen(addr))
			zero++;
		printf("cma-ksym %s %s %s\n", addr, type, name);
		n++;
	}
	fclose(f);
	printf("cma-ksyms: %lu\n", n);
	fflush(stdout);
	tcdrain(STDOUT_FILENO);		/* the UART has sent it all */
	if (level > 1)
		klogctl(8, NULL, (int)level);
	if (!n || zero)
		ksft_test_result_fail("symbols: %lu text symbols, %lu at address 0 (kptr_restrict?)\n",
				      n, zero);
	else
		ksft_test_result_pass("symbols: %lu text symbols\n", n);
	ksft_finished();
}

/* ---- the calls */

struct job {
	int write;
	size_t size;
	unsigned long calls;
};

/* The target maps and fills the remote buffer and says where it is */
static int target_fill(struct target *t)
{
	const struct job *j = t->arg;
	unsigned char *buf = map_base_pages(j->size);
	size_t i;

	if (!buf)
		return errno;
	for (i = 0; i < j->size; i++)
		buf[i] = pattern(i, 1);
	*(unsigned char **)t->shared = buf;
	return 0;
}

/* ... and, after writev calls, checks that it holds what they wrote */
static int target_check(struct target *t)
{
	const struct job *j = t->arg;
	const unsigned char *buf = *(unsigned char **)t->shared;
	size_t i;

	for (i = 0; i < j->size; i++)
		if (buf[i] != pattern(i, 2))
			return 1;
	return 0;
}

static int calls(const struct job *j)
{
	const char *op = j->write ? "writev" : "readv";
	struct target t = {
		.setup = target_fill,
		.finish = target_check,
		.arg = (void *)j,
		.shared_size = sizeof(unsigned char *),
		.flags = TARGET_PDEATHSIG,
	};
	struct iovec l, r;
	unsigned char *local;
	unsigned long i, bad = 0;
	size_t k;
	long ret;
	int status;

	ksft_print_header();
	ksft_set_plan(1);
	local = map_base_pages(j->size);
	if (!local)
		fatal("mapping %zu bytes", j->size);
	for (k = 0; k < j->size; k++)
		local[k] = j->write ? pattern(k, 2) : 0;
	if (target_start(&t))
		ksft_exit_fail_msg("cannot start the target: %s\n", strerror(errno));
	l.iov_base = local;
	l.iov_len = j->size;
	r.iov_base = *(unsigned char **)t.shared;
	r.iov_len = j->size;
	printf("# %lu process_vm_%s calls of %zu bytes, target pid %d\n",
	       j->calls, op, j->size, (int)t.pid);
	fflush(stdout);
	for (i = 0; i < j->calls; i++) {
		ret = syscall(j->write ? CMA_NR_WRITEV : CMA_NR_READV,
			      t.pid, &l, 1UL, &r, 1UL, 0UL);
		if (ret != (long)j->size && !bad++)
			printf("# call %lu returned %ld, errno %d (%s)\n",
			       i + 1, ret, errno, strerror(errno));
	}
	if (j->write) {
		status = target_finish(&t);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad++, printf("# the target saw wrong data (status %#x)\n", status);
	} else {
		for (k = 0; k < j->size; k++)
			if (local[k] != pattern(k, 1)) {
				bad++, printf("# byte %zu read wrong\n", k);
				break;
			}
		target_stop(&t);
	}
	ksft_test_result(!bad, "%s: %lu calls of %zu bytes\n", op, j->calls, j->size);
	ksft_finished();
}

int main(int argc, char **argv)
{
	struct job j = { .write = 0, .size = 8, .calls = 40 };
	const char *env;
	int i;

	env = getenv("cmatrace_op");
	if (env && strcmp(env, "readv") && strcmp(env, "writev"))
		usage();
	j.write = env && !strcmp(env, "writev");
	env = getenv("cmatrace_size");
	if (env && parse_size(env, &j.size))
		usage();
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--symbols") && argc == 2)
			return symbols();
		else if (!strcmp(argv[i], "--write"))
			j.write = 1;
		else if (!strcmp(argv[i], "--size") && i + 1 < argc) {
			if (parse_size(argv[++i], &j.size))
				usage();
		} else if (!strcmp(argv[i], "--calls") && i + 1 < argc)
			j.calls = number(argv[++i]);
		else
			usage();
	}
	if (!j.size || !j.calls)
		usage();
	return calls(&j);
}
