// SPDX-License-Identifier: GPL-2.0
/*
 * What the guest programs share; see util.h.  Nothing here prints TAP: a
 * program's counts are kselftest.h's, which are its own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "abi.h"
#include "util.h"

/* ---- failing */

/*
 * "PROG: internal error: WHAT: ERRNO" on stdout, which is the console in a
 * guest, and exit 1: for what the program needs and could not have, never
 * for what it tests.
 */
void fatal(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	printf("%s: internal error: ", program_invocation_short_name);
	vprintf(fmt, ap);
	printf(": %s\n", strerror(err));
	va_end(ap);
	fflush(stdout);
	exit(1);
}

pid_t fork_or_die(void)
{
	pid_t pid = fork();

	if (pid < 0)
		fatal("fork");
	return pid;
}

/* ---- numbers and sizes */

/* A whole number in C notation (0x.., 0..) and nothing else: 0, or -1 */
int parse_number(const char *s, uint64_t *v)
{
	unsigned long long n;
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (*end || errno)
		return -1;
	*v = n;
	return 0;
}

/* "4K" -> 4096: decimal digits and a K, M or G for KiB, MiB or GiB */
int parse_size(const char *s, size_t *size)
{
	static const char units[] = "KMG";
	unsigned long long n;
	const char *unit;
	char *end;
	int shift;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (*end) {
		unit = strchr(units, *end);
		if (!unit || end[1])
			return -1;
		shift = 10 * (unit - units + 1);
		if (n > SIZE_MAX >> shift)
			return -1;
		n <<= shift;
	}
	if (n > SIZE_MAX)
		return -1;
	*size = n;
	return 0;
}

/* "8,4K,1M": at most @max sizes into @out.  Return: how many, or -1 */
int parse_sizes(const char *list, size_t *out, int max)
{
	const char *p = list, *comma;
	char tok[32];
	size_t len;
	int n = 0;

	if (!list)
		return -1;
	for (;;) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (n == max || len >= sizeof(tok))
			return -1;
		memcpy(tok, p, len);
		tok[len] = 0;
		if (parse_size(tok, &out[n++]))
			return -1;
		if (!comma)
			return n;
		p = comma + 1;
	}
}

/* ---- memory */

/*
 * @len bytes (rounded up to whole pages) of anonymous private memory, not
 * touched yet, in base pages: the guest kernels default THP to "always",
 * so small pages must be asked for.  NULL with errno set on failure.
 */
void *map_base_pages(size_t len)
{
	void *p;

	len = round_up(len, sysconf(_SC_PAGESIZE));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	madvise(p, len, MADV_NOHUGEPAGE);
	return p;
}

/* ---- the kernel's files */

/* The number a file starts with (most of /sys, /proc/sys); @none if none */
long long read_number(const char *path, long long none)
{
	FILE *f = fopen(path, "r");
	long long v;

	if (!f)
		return none;
	if (fscanf(f, "%lld", &v) != 1)
		v = none;
	fclose(f);
	return v;
}

/*
 * The number after @key on the line that starts with it, in a file of
 * "key: N" (/proc/meminfo, in kB there) or "key N" (/proc/vmstat) lines;
 * @none if there is no such line.  The key must be followed by the colon
 * or a blank: thp_split_page is not thp_split_page_failed.
 */
long long read_field(const char *path, const char *key, long long none)
{
	size_t n = strlen(key);
	long long v = none;
	char line[256];
	FILE *f = fopen(path, "r");

	if (!f)
		return none;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, n) &&
		    (line[n] == ':' || line[n] == ' ' || line[n] == '\t')) {
			v = strtoll(line + n + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

/* The first line of a file, without its newline: 0, or -1 with @buf "" */
int read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	int ok = f && fgets(buf, size, f);

	if (f)
		fclose(f);
	if (!ok) {
		buf[0] = 0;
		return -1;
	}
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/*
 * Field @key, in kB, of the mapping that starts at @start in the smaps of
 * @pid (0: our own): -1 if that is not known, for there is no smaps
 * (CONFIG_PROC_PAGE_MONITOR, which tinyconfig drops) or no such mapping.
 */
long long smaps_kb(pid_t pid, const void *start, const char *key)
{
	unsigned long lo, hi;
	size_t n = strlen(key);
	char path[64], line[256];
	long long kb = -1;
	int in = 0;
	FILE *f;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	else
		strcpy(path, "/proc/self/smaps");
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		/* "start-end perms ..." opens a mapping, "Key: N kB" follow */
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			in = lo == (uintptr_t)start;
		else if (in && !strncmp(line, key, n) && line[n] == ':')
			kb = strtoll(line + n + 1, NULL, 10);
	}
	fclose(f);
	return kb;
}

/* Nodes with memory ("0", "0-1,3"): how many; the first @max in @node */
int memory_nodes(unsigned int *node, int max)
{
	char list[256], *p = list;
	int n = 0;

	if (read_line("/sys/devices/system/node/has_memory", list, sizeof(list)))
		return 0;
	while (*p >= '0' && *p <= '9') {
		long a = strtol(p, &p, 10), b = a;

		if (*p == '-')
			b = strtol(p + 1, &p, 10);
		for (; a <= b; a++, n++)
			if (n < max)
				node[n] = a;
		if (*p == ',')
			p++;
	}
	return n;
}

/*
 * Write a value to a file of /proc, /sys or debugfs in one write(), as the
 * kernel wants it.  Only open(), write() and close() (and vsnprintf()), so
 * that a program may put a knob back from a signal handler.  @say prints
 * what failed as a TAP comment.  Return: 0, or -1 with errno set.
 */
static int knob_vwrite(const char *path, int say, const char *fmt, va_list ap)
{
	char val[64];
	int fd, n, shown, err;
	ssize_t done;

	n = vsnprintf(val, sizeof(val), fmt, ap);
	if (n < 0 || n >= (int)sizeof(val)) {
		errno = EINVAL;
		return -1;
	}
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		err = errno;
		if (say)
			printf("# %s: %s\n", path, strerror(err));
		errno = err;
		return -1;
	}
	done = write(fd, val, n);
	err = done < 0 ? errno : EIO;
	close(fd);
	if (done == n)
		return 0;
	shown = n && val[n - 1] == '\n' ? n - 1 : n;
	if (say)
		printf("# write %.*s to %s: %s\n", shown, val, path, strerror(err));
	errno = err;
	return -1;
}

/* Write a knob whose failure the caller handles (and may say) itself */
int knob_write(const char *path, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = knob_vwrite(path, 0, fmt, ap);
	va_end(ap);
	return ret;
}

/* Write a knob, saying on failure which file and why */
int knob_set(const char *path, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = knob_vwrite(path, 1, fmt, ap);
	va_end(ap);
	return ret;
}

/* ---- the calls */

/*
 * The probe of <linux/process_vm.h>: a call with NULL iovecs fails with
 * EINVAL where a bit of @flags is unknown (checked before anything else)
 * and with EFAULT where all are known.  Return: 0 if the kernel takes
 * @flags, else the errno the probe got.
 */
int cma_probe(unsigned long flags)
{
	errno = 0;
	if (syscall(CMA_NR_READV, getpid(), NULL, 1UL, NULL, 1UL, flags) == -1 &&
	    errno == EFAULT)
		return 0;
	return errno ? errno : EINVAL;
}

/* ---- target processes */

/* clone3()'s arguments up to set_tid (CLONE_ARGS_SIZE_VER1) */
struct clone_args_v1 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls, set_tid, set_tid_size;
};

/* fork() that gives the child the pid number @pid, where it is free */
static pid_t fork_as(pid_t pid)
{
	struct clone_args_v1 args = {
		.exit_signal = SIGCHLD,
		.set_tid = (uintptr_t)&pid,
		.set_tid_size = 1,
	};

	return syscall(__NR_clone3, &args, sizeof(args));
}

/*
 * The child.  Only system calls besides the caller's own functions: a
 * clone3() child of a threaded program must not take a libc lock that
 * another thread held at the fork.  It sleeps in read(), not pause(), so
 * that a parent that dies without target_stop() does not leave it behind.
 */
static void __attribute__((noreturn)) target_main(struct target *t, int ready,
						   int wake)
{
	int err = 0;
	ssize_t n;
	char c;

	if (t->flags & TARGET_PDEATHSIG)
		prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* so that the caller's siblings may attach too, whatever Yama says */
	if (t->flags & TARGET_ANY_TRACER)
		prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	if (t->setup)
		err = t->setup(t);
	if (write(ready, &err, sizeof(err)) != sizeof(err) || err)
		_exit(1);
	close(ready);
	while ((n = read(wake, &c, 1)) < 0 && errno == EINTR)
		;
	_exit(n == 1 && t->finish ? t->finish(t) : 0);
}

/* Return: 0 with the target ready, or -1 with errno set (its setup's) */
int target_start(struct target *t)
{
	int ready[2], wake[2], err = 0;
	ssize_t n;

	t->pid = -1;
	t->wake = -1;
	t->shared = NULL;
	if (t->shared_size) {
		t->shared = mmap(NULL, t->shared_size, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (t->shared == MAP_FAILED) {
			t->shared = NULL;
			return -1;
		}
	}
	/* close-on-exec: no program the caller runs later holds them */
	if (pipe2(ready, O_CLOEXEC))
		return -1;
	if (pipe2(wake, O_CLOEXEC)) {
		close(ready[0]);
		close(ready[1]);
		return -1;
	}
	t->pid = t->as ? fork_as(t->as) : fork();
	if (t->pid == 0) {
		close(ready[0]);
		close(wake[1]);
		target_main(t, ready[1], wake[0]);
	}
	if (t->pid < 0)
		err = errno;
	close(ready[1]);
	close(wake[0]);
	if (t->pid > 0) {
		n = read(ready[0], &err, sizeof(err));
		if (n < 0)
			err = errno;
		else if (n != sizeof(err))
			err = ECHILD;	/* it died before it was ready */
	}
	close(ready[0]);
	if (!err) {
		t->wake = wake[1];
		return 0;
	}
	close(wake[1]);
	if (t->pid > 0)
		waitpid(t->pid, NULL, 0);
	t->pid = -1;
	errno = err;
	return -1;
}

/*
 * target_start(), or fail the program, and open the target's /proc/PID/mem
 * read-write: a path other than the calls measured, to fill and check what
 * they move.  Return: its descriptor.
 */
int target_start_mem(struct target *t)
{
	char path[32];
	int fd;

	if (target_start(t))
		fatal("starting the target");
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)t->pid);
	fd = open(path, O_RDWR);
	if (fd < 0)
		fatal("%s", path);
	return fd;
}

/* Kill the target and reap it; nothing if it never started or is gone */
void target_stop(struct target *t)
{
	if (t->pid <= 0)
		return;
	kill(t->pid, SIGKILL);
	waitpid(t->pid, NULL, 0);
	close(t->wake);
	t->pid = -1;
	t->wake = -1;
}

/* Wake the target to run its @finish and reap it: its wait status, or -1 */
int target_finish(struct target *t)
{
	int status = -1;

	if (write(t->wake, "f", 1) != 1 || waitpid(t->pid, &status, 0) != t->pid)
		status = -1;
	close(t->wake);
	t->pid = -1;
	t->wake = -1;
	return status;
}

/* ---- timed figures */

/* make bench's: 50 us samples, 20 ms a figure, 5 to 15 samples */
void figure_defaults(struct figure_opts *f)
{
	f->quick = 0;
	f->sample_ns = 50000;
	f->budget_ns = 20000000;
	f->min_reps = 5;
	f->max_reps = 15;
}

/* make check's --quick: a figure is a check and three samples of one call */
void figure_quick(struct figure_opts *f)
{
	f->quick = 1;
	f->min_reps = 3;
}

/*
 * --budget-ms N, --sample-us N, --reps MIN,MAX.  Return: 0 if @opt is one
 * of them with a good value, else -1 (the caller's own, or usage()).
 */
int figure_arg(struct figure_opts *f, const char *opt, const char *val)
{
	uint64_t v;
	char end;

	if (!strcmp(opt, "--reps"))
		return val && sscanf(val, "%d,%d%c", &f->min_reps, &f->max_reps,
				     &end) == 2 ? 0 : -1;
	if (strcmp(opt, "--budget-ms") && strcmp(opt, "--sample-us"))
		return -1;
	if (parse_number(val, &v))
		return -1;
	if (!strcmp(opt, "--budget-ms"))
		f->budget_ns = v * 1000000;
	else
		f->sample_ns = v * 1000;
	return 0;
}

int figure_opts_ok(const struct figure_opts *f)
{
	return f->min_reps >= 1 && f->max_reps <= FIGURE_MAX_REPS &&
	       f->min_reps <= f->max_reps;
}

/*
 * Calls per sample, from @t ns for one: enough that a sample lasts
 * sample_ns, so that reading the clock does not weigh on small sizes.
 */
unsigned int figure_inner(const struct figure_opts *f, uint64_t t)
{
	return !f->quick && t < f->sample_ns ? f->sample_ns / t + 1 : 1;
}

/* Samples of a figure whose sample takes @t ns: as many as fit the budget */
int figure_reps(const struct figure_opts *f, uint64_t t)
{
	int reps = f->min_reps;

	if (!f->quick && f->budget_ns / t > (uint64_t)reps)
		reps = f->budget_ns / t;
	return reps > f->max_reps ? f->max_reps : reps;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Sort the @reps samples of @inner calls each and print the figure, in ns
 * per call, as scripts/bench-report.py reads it:
 *
 *   bench,OP,SHAPE,MEM,READERS,SIZE,REPS,INNER,MIN,MEDIAN,MAX
 */
void print_figure(const char *op, const char *shape, const char *mem,
		  int readers, size_t size, uint64_t *s, int reps,
		  unsigned int inner)
{
	qsort(s, reps, sizeof(s[0]), cmp_u64);
	printf("bench,%s,%s,%s,%d,%zu,%d,%u,%.1f,%.1f,%.1f\n", op, shape, mem,
	       readers, size, reps, inner, (double)s[0] / inner,
	       (double)s[reps / 2] / inner, (double)s[reps - 1] / inner);
}
