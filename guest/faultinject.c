// SPDX-License-Identifier: GPL-2.0
/*
 * faultinject --systematic: fail, in turn, each allocation and user copy
 * that a set of representative calls makes below the syscalls (the
 * kernel's fail-nth), and check each outcome; see systematic().
 *
 * faultinject [-p PERCENT] PROGRAM [ARG...]: run PROGRAM with the kernel's
 * fault injection aimed at it alone (failslab, fail_page_alloc and
 * fail_usercopy, task-filtered through /proc/self/make-it-fail) and, by
 * the stack-trace filter, only at what runs below process_vm_readv and
 * process_vm_writev: their iovec copies, page-table allocations while
 * pinning, page arrays and user copies.  Aimed anywhere else, failures
 * stop the program from even starting.
 *
 * PROGRAM is expected to see ENOMEM and EFAULT where it would not otherwise,
 * so its own verdicts are not ours: its output is passed on behind "# | "
 * (TAP readers then take it for comments).  What this run proves is what
 * the console and the checks after it say: the kernel stayed clean, pins
 * balanced, nothing leaked.  It fails only if no fault was injected at all
 * (then it proved nothing) or if PROGRAM could not be run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include "kselftest.h"
#include "abi.h"
#include "util.h"

#define DEBUGFS "/sys/kernel/debug"
#define BUDGET 100000000L	/* "times": counts down as faults are injected */

static const char *const knobs[] = { "failslab", "fail_page_alloc", "fail_usercopy" };
#define NR_KNOBS (sizeof(knobs) / sizeof(knobs[0]))

static int put(const char *knob, const char *attr, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), DEBUGFS "/%s/%s", knob, attr);
	return knob_set(path, "%s", val);
}

static long get(const char *knob, const char *attr)
{
	char path[128];

	snprintf(path, sizeof(path), DEBUGFS "/%s/%s", knob, attr);
	return read_number(path, -1);
}

/*
 * The text of mm/process_vm_access.c: from the lowest to just past the
 * highest of its symbols.  A symbol belongs to it when its name is one of
 * the file's own (pvm_*, process_vm_rw) or a syscall entry of the calls.
 */
static const char *const own[] = {
	"pvm_span_pages", "pvm_batch_pages", "pvm_pin_pages", "pvm_contig_run",
	"pvm_copy_run", "pvm_copy_pages", "pvm_transfer_range", "pvm_transfer",
	"process_vm_rw",
};

static int ours(const char *name)
{
	unsigned int i;

	if (name[0] == '.')	/* ppc64 ELFv1: the text symbol of a function */
		name++;
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (!strcmp(name, own[i]))
			return 1;
	return strstr(name, "sys_process_vm_") && !strchr(name, '.');
}

static int text_range(unsigned long *lo, unsigned long *hi)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	unsigned long addr, last = 0;
	char type, name[256];

	*lo = ~0UL;
	*hi = 0;
	if (!f)
		return -1;
	while (fscanf(f, "%lx %c %255s%*[^\n]", &addr, &type, name) == 3) {
		if (last && !*hi && addr > last)
			*hi = addr;		/* the next symbol after ours */
		if (ours(name) && (type == 't' || type == 'T')) {
			if (addr < *lo)
				*lo = addr;
			last = addr > last ? addr : last;
			*hi = 0;
		}
	}
	fclose(f);
	if (last && !*hi)
		*hi = last + 4096;
	return last && *lo < *hi ? 0 : -1;
}

/*
 * Sleeping allocations are the ones our syscalls make, so they must fail
 * too (ignore-gfp-wait defaults to Y).  User pages (__GFP_HIGHMEM) stay
 * exempt: failing them only turns page faults into retries.  verbose=0
 * because each injection would otherwise print a stack trace, which reads
 * as a kernel report (faultinject_verbose=1 on the kernel command line asks
 * for them, when looking into which point is which).
 */
static int arm(const char *knob, const char *percent, unsigned long lo,
	       unsigned long hi)
{
	char budget[32], from[32], to[32];
	int err = 0;

	snprintf(budget, sizeof(budget), "%ld", BUDGET);
	snprintf(from, sizeof(from), "0x%lx", lo);
	snprintf(to, sizeof(to), "0x%lx", hi);
	err |= put(knob, "require-start", from);
	err |= put(knob, "require-end", to);
	err |= put(knob, "stacktrace-depth", "32");
	err |= put(knob, "verbose", getenv("faultinject_verbose") ?: "0");
	err |= put(knob, "task-filter", "Y");
	err |= put(knob, "interval", "1");
	err |= put(knob, "space", "0");
	err |= put(knob, "times", budget);
	if (strcmp(knob, "fail_usercopy"))
		err |= put(knob, "ignore-gfp-wait", "N");
	if (!strcmp(knob, "fail_page_alloc"))
		err |= put(knob, "ignore-gfp-highmem", "Y");
	err |= put(knob, "probability", percent);
	return err;
}

static void disarm(const char *knob)
{
	put(knob, "probability", "0");
}

/* Run argv with injection on; its output comes back through @out. */
static pid_t start(char **argv, int *out)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		if (knob_write("/proc/self/make-it-fail", "1")) {
			printf("cannot write /proc/self/make-it-fail: %s\n", strerror(errno));
			_exit(126);
		}
		execv(argv[0], argv);
		printf("exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	*out = p[0];
	return pid;
}

static void relay(int fd)
{
	FILE *f = fdopen(fd, "r");
	char line[1024];

	while (f && fgets(line, sizeof(line), f))
		ksft_print_msg("| %s%s", line, strchr(line, '\n') ? "" : "\n");
	if (f)
		fclose(f);
}

/*
 * Systematic mode.  /proc/thread-self/fail-nth makes the N-th fault point of
 * the next calls fail; with the stack-trace filter armed, only points below
 * our syscalls count.  For each shape, N = 1, 2, ... until a call runs
 * through without reaching point N: each outcome must be -1 with ENOMEM or
 * EFAULT or a short count whose bytes are right, and the same call without
 * a fault must then move everything (a failure left nothing behind).
 */
#define SHAPE_MAX_VECS 24
#define MISSES_TO_STOP 3
#define SYS_BUF (2UL << 20)

struct shape {
	const char *name;
	int write;		/* process_vm_writev */
	unsigned int nr_local, nr_remote;
	size_t len;		/* bytes per element */
};

static const struct shape shapes[] = {
	{ "readv 1x1 64 B", 0, 1, 1, 64 },
	{ "writev 1x1 64 B", 1, 1, 1, 64 },
	{ "readv 1x1 1 MiB (page array from kmalloc)", 0, 1, 1, 1 << 20 },
	{ "writev 1x1 1 MiB (page array from kmalloc)", 1, 1, 1, 1 << 20 },
	{ "readv 20x20 (both iovec arrays from kmalloc)", 0, 20, 20, 5000 },
	{ "writev 20x20 (both iovec arrays from kmalloc)", 1, 20, 20, 5000 },
	{ "readv 1x24 4 KiB at odd offsets", 0, 1, 24, 4096 },
};

static unsigned char *local_buf, *remote_buf;

#define FAIL_NTH "/proc/thread-self/fail-nth"

static int set_nth(unsigned int n)
{
	return knob_write(FAIL_NTH, "%u", n);
}

/* 0 once the armed fault was injected, else how many points were left. */
static long get_nth(void)
{
	return read_number(FAIL_NTH, -1);
}

/* Local elements fill local_buf in order; remote ones remote_buf, spaced. */
static size_t build(const struct shape *sh, struct iovec *lv, struct iovec *rv)
{
	size_t total = (size_t)sh->nr_local * sh->len, per, off = 0;
	unsigned int i;

	for (i = 0; i < sh->nr_local; i++) {
		lv[i].iov_base = local_buf + i * sh->len;
		lv[i].iov_len = sh->len;
	}
	per = total / sh->nr_remote;
	for (i = 0; i < sh->nr_remote; i++) {
		rv[i].iov_base = remote_buf + off + 1;	/* odd: pages straddled */
		rv[i].iov_len = per;
		off += per + 4096;
	}
	return per * sh->nr_remote;
}

/* The remote bytes a transfer of @done bytes covers, in order. */
static int prefix_ok(const struct shape *sh, const struct iovec *rv, size_t done)
{
	size_t i, k = 0;
	unsigned char *from = sh->write ? local_buf : NULL;

	for (i = 0; i < sh->nr_remote && k < done; i++) {
		size_t n = rv[i].iov_len < done - k ? rv[i].iov_len : done - k;
		unsigned char *r = rv[i].iov_base;

		if (sh->write ? memcmp(r, from + k, n) : memcmp(local_buf + k, r, n))
			return 0;
		k += n;
	}
	return 1;
}

static void fill(void)
{
	size_t i;

	for (i = 0; i < SYS_BUF; i++) {
		local_buf[i] = (unsigned char)(i * 7 + 1);
		remote_buf[i] = (unsigned char)(i * 13 + 5);
	}
}

/* "n:outcome" for each fault point, e.g. "1:ENOMEM 2:4096 3:all". */
static void trace_point(char *buf, size_t size, unsigned int n, long ret, int err)
{
	size_t used = strlen(buf);

	if (used + 24 >= size)
		return;
	if (ret < 0)
		snprintf(buf + used, size - used, " %u:%s", n,
			 err == ENOMEM ? "ENOMEM" : err == EFAULT ? "EFAULT" : "other");
	else
		snprintf(buf + used, size - used, " %u:%ld", n, ret);
}

static long call(const struct shape *sh, pid_t pid, struct iovec *lv, struct iovec *rv)
{
	return syscall(sh->write ? CMA_NR_WRITEV : CMA_NR_READV, pid,
		       lv, sh->nr_local, rv, sh->nr_remote, 0);
}

/*
 * The target is ourselves: both buffers are our own, so a writev's effect
 * is seen without another syscall, and no second process takes faults.
 */
static void one_shape(const struct shape *sh)
{
	struct iovec lv[SHAPE_MAX_VECS], rv[SHAPE_MAX_VECS];
	unsigned int n, points = 0, enomem = 0, efault = 0, partial = 0, recovered = 0;
	pid_t self = getpid();
	size_t total = build(sh, lv, rv);
	char trace[512] = "";
	unsigned int misses = 0;
	long ret, left;
	int bad = 0;

	/*
	 * Some points come and go: the first allocation seen from a new stack
	 * trace (KASAN's stack depot), kmemleak's own bookkeeping.  Warm them
	 * up, and stop only when several N in a row are never reached.
	 */
	fill();
	call(sh, self, lv, rv);
	call(sh, self, lv, rv);
	for (n = 1; n < 1000 && !bad && misses < MISSES_TO_STOP; n++) {
		fill();
		if (set_nth(n)) {
			ksft_test_result_fail("%s: cannot write fail-nth\n", sh->name);
			return;
		}
		errno = 0;
		ret = call(sh, self, lv, rv);
		left = get_nth();
		set_nth(0);
		if (left != 0) {		/* ran through: no point n */
			bad = ret != (long)total;
			if (bad)
				ksft_print_msg("%s: %ld of %zu bytes with no fault\n",
					       sh->name, ret, total);
			misses++;
			continue;
		}
		misses = 0;
		points++;
		trace_point(trace, sizeof(trace), n, ret, errno);
		if (ret < 0 && errno == ENOMEM)
			enomem++;
		else if (ret < 0 && errno == EFAULT)
			efault++;
		else if (ret >= 0 && ret < (long)total && prefix_ok(sh, rv, ret))
			partial++;
		else if (ret == (long)total && prefix_ok(sh, rv, ret))
			recovered++;
		else {
			ksft_print_msg("%s: fault %u: ret %ld errno %d (%s)\n", sh->name,
				       n, ret, errno, strerror(errno));
			bad = 1;
		}
	}
	fill();
	ret = call(sh, self, lv, rv);
	if (!bad && (ret != (long)total || !prefix_ok(sh, rv, total))) {
		ksft_print_msg("%s: after the faults: %ld of %zu bytes\n", sh->name,
			       ret, total);
		bad = 1;
	}
	bad |= points == 0;
	ksft_print_msg("%s: %s\n", sh->name, trace);
	ksft_test_result(!bad, "%s: %u fault points: %u ENOMEM, %u EFAULT, %u short, %u recovered\n",
			 sh->name, points, enomem, efault, partial, recovered);
}

static void __attribute__((noreturn)) systematic(unsigned long lo, unsigned long hi)
{
	unsigned int i;

	ksft_set_plan(ARRAY_SIZE(shapes));
	for (i = 0; i < NR_KNOBS; i++)
		if (arm(knobs[i], "0", lo, hi))
			ksft_exit_fail_msg("fault injection not available\n");
	local_buf = mmap(NULL, SYS_BUF, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	remote_buf = mmap(NULL, SYS_BUF, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (local_buf == MAP_FAILED || remote_buf == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	for (i = 0; i < ARRAY_SIZE(shapes); i++)
		one_shape(&shapes[i]);
	ksft_finished();
}

static void usage(void)
{
	fprintf(stderr, "usage: faultinject [-p PERCENT] PROGRAM [ARG...]\n"
		"       faultinject --systematic\n"
		"  PERCENT: chance of each allocation or user copy below the syscalls\n"
		"  failing (1-100, default 20)\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *percent = "20";
	long injected[NR_KNOBS], total = 0;
	unsigned long lo, hi;
	int status, fd, ok;
	unsigned int i;
	pid_t pid;
	int nth = argc == 2 && !strcmp(argv[1], "--systematic");

	if (argc > 2 && !strcmp(argv[1], "-p")) {
		percent = argv[2];
		argv += 2;
		argc -= 2;
		if (atoi(percent) < 1 || atoi(percent) > 100)
			usage();
	}
	if (!nth && (argc < 2 || argv[1][0] != '/'))
		usage();

	ksft_print_header();
	if (text_range(&lo, &hi)) {
		ksft_set_plan(1);
		ksft_test_result_fail("no process_vm symbols in /proc/kallsyms\n");
		ksft_exit_fail();
	}
	ksft_print_msg("failing only below 0x%lx-0x%lx (process_vm_access.c)\n", lo, hi);
	if (nth)
		systematic(lo, hi);

	ksft_set_plan(1);
	for (i = 0; i < NR_KNOBS; i++) {
		if (arm(knobs[i], percent, lo, hi)) {
			ksft_test_result_fail("%s: fault injection not available (debug kernel?)\n",
					      argv[1]);
			ksft_exit_fail();
		}
	}

	pid = start(argv + 1, &fd);
	if (pid < 0) {
		ksft_test_result_fail("%s: fork: %s\n", argv[1], strerror(errno));
		ksft_exit_fail();
	}
	relay(fd);
	waitpid(pid, &status, 0);

	for (i = 0; i < NR_KNOBS; i++) {
		disarm(knobs[i]);
		injected[i] = BUDGET - get(knobs[i], "times");
		total += injected[i];
	}
	ksft_print_msg("injected at %s%%: %ld slab, %ld page allocation, %ld user copy failures\n",
		       percent, injected[0], injected[1], injected[2]);

	ok = total > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) >= 126);
	ksft_test_result(ok, "%s under fault injection (%s %d)\n", argv[1],
			 WIFEXITED(status) ? "exit" : "signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	ksft_finished();
}
