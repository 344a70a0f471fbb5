// SPDX-License-Identifier: GPL-2.0
/*
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
#include <sys/wait.h>

#define DEBUGFS "/sys/kernel/debug"
#define BUDGET 100000000L	/* "times": counts down as faults are injected */

static const char *const knobs[] = { "failslab", "fail_page_alloc", "fail_usercopy" };
#define NR_KNOBS (sizeof(knobs) / sizeof(knobs[0]))

static int put(const char *knob, const char *attr, const char *val)
{
	char path[128];
	int fd, ok;

	snprintf(path, sizeof(path), DEBUGFS "/%s/%s", knob, attr);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		printf("# %s: %s\n", path, strerror(errno));
		return -1;
	}
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	if (!ok)
		printf("# write %s to %s: %s\n", val, path, strerror(errno));
	close(fd);
	return ok ? 0 : -1;
}

static long get(const char *knob, const char *attr)
{
	char path[128], buf[32] = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), DEBUGFS "/%s/%s", knob, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atol(buf) : -1;
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
 * as a kernel report.
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
	err |= put(knob, "verbose", "0");
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

static int make_me_fail(void)
{
	int fd = open("/proc/self/make-it-fail", O_WRONLY);
	int ok = fd >= 0 && write(fd, "1", 1) == 1;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
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
		if (make_me_fail()) {
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
		printf("# | %s%s", line, strchr(line, '\n') ? "" : "\n");
	if (f)
		fclose(f);
}

static void usage(void)
{
	fprintf(stderr, "usage: faultinject [-p PERCENT] PROGRAM [ARG...]\n"
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

	if (argc > 2 && !strcmp(argv[1], "-p")) {
		percent = argv[2];
		argv += 2;
		argc -= 2;
		if (atoi(percent) < 1 || atoi(percent) > 100)
			usage();
	}
	if (argc < 2 || argv[1][0] != '/')
		usage();

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..1\n");
	if (text_range(&lo, &hi)) {
		printf("not ok 1 %s: no process_vm symbols in /proc/kallsyms\n", argv[1]);
		printf("# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0\n");
		return 1;
	}
	printf("# failing only below 0x%lx-0x%lx (process_vm_access.c)\n", lo, hi);
	for (i = 0; i < NR_KNOBS; i++) {
		if (arm(knobs[i], percent, lo, hi)) {
			printf("not ok 1 %s: fault injection not available (debug kernel?)\n",
			       argv[1]);
			printf("# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0\n");
			return 1;
		}
	}

	pid = start(argv + 1, &fd);
	if (pid < 0) {
		printf("not ok 1 %s: fork: %s\n", argv[1], strerror(errno));
		return 1;
	}
	relay(fd);
	waitpid(pid, &status, 0);

	for (i = 0; i < NR_KNOBS; i++) {
		disarm(knobs[i]);
		injected[i] = BUDGET - get(knobs[i], "times");
		total += injected[i];
	}
	printf("# injected at %s%%: %ld slab, %ld page allocation, %ld user copy failures\n",
	       percent, injected[0], injected[1], injected[2]);

	ok = total > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) >= 126);
	printf("%s 1 %s under fault injection (%s %d)\n", ok ? "ok" : "not ok", argv[1],
	       WIFEXITED(status) ? "exit" : "signal",
	       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n", ok, !ok);
	return !ok;
}
