/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the guest programs share (util.c): the clock, failing, sizes on the
 * command line, base-page memory, the kernel's files and knobs, the flag
 * probe, target processes, and the timing of bench's and reduce-bench's
 * figures.  TAP is kselftest.h's; the seeded generator is rng.h's, pin
 * counting pins.h's.
 */
#ifndef CMA_GUEST_UTIL_H
#define CMA_GUEST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/types.h>

#define KIB		((size_t)1024)
#define MIB		(1024 * KIB)

/* What the C library's headers may not have yet */
#ifndef MADV_COLD
#define MADV_COLD	20		/* Linux 5.4 */
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21		/* Linux 5.4 */
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25		/* Linux 6.1 */
#endif
#ifndef MPOL_MF_MOVE
#define MPOL_MF_MOVE	(1 << 1)	/* <numaif.h>, which is libnuma's */
#endif

/* ---- the clock: inline, so that timed loops pay no call for it */

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- failing */

void fatal(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));
pid_t fork_or_die(void);

/* ---- numbers and sizes */

static inline size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) / to * to;
}

int parse_number(const char *s, uint64_t *v);
int parse_size(const char *s, size_t *size);
int parse_sizes(const char *list, size_t *out, int max);

/* ---- memory */

void *map_base_pages(size_t len);

/* ---- the kernel's files: /proc, /sys and debugfs */

long long read_number(const char *path, long long none);
long long read_field(const char *path, const char *key, long long none);
int read_line(const char *path, char *buf, size_t size);
long long smaps_kb(pid_t pid, const void *start, const char *key);
int memory_nodes(unsigned int *node, int max);
int knob_write(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int knob_set(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- the calls */

int cma_probe(unsigned long flags);

/* ---- target processes */

#define TARGET_PDEATHSIG	(1u << 0)	/* killed when its parent dies */
#define TARGET_ANY_TRACER	(1u << 1)	/* any process may attach (Yama) */

/*
 * A process for the callers to read and write.  Fill in the first fields
 * and call target_start(): the child runs @setup, which maps and fills what
 * the callers will use and says where in @shared (memory both processes
 * see), and returns 0, or an errno to give up.  Then the child tells the
 * parent that it is ready and sleeps, doing nothing a caller could race
 * with, until target_stop() kills it or target_finish() wakes it: then
 * @finish, if any, gives its exit status (it runs in the child, so it
 * flushes what it prints itself).
 */
struct target {
	int (*setup)(struct target *t);
	int (*finish)(struct target *t);
	void *arg;		/* for @setup and @finish */
	size_t shared_size;	/* bytes of @shared: 0 for none */
	unsigned int flags;	/* TARGET_* */
	pid_t as;		/* the pid number it must get (clone3), 0: any */
	/* set by target_start() */
	void *shared;		/* MAP_SHARED, zeroed */
	pid_t pid;
	int wake;		/* our end of the pipe the target sleeps on */
};

int target_start(struct target *t);
int target_start_mem(struct target *t);
void target_stop(struct target *t);
int target_finish(struct target *t);

/* ---- timed figures: bench and reduce-bench */

#define FIGURE_MAX_REPS	101

struct figure_opts {
	int quick;		/* one check and a few samples, no calibration */
	uint64_t sample_ns;	/* a timed sample lasts at least this long */
	uint64_t budget_ns;	/* time to spend on one figure, roughly */
	int min_reps, max_reps;	/* samples of a figure */
};

void figure_defaults(struct figure_opts *f);
void figure_quick(struct figure_opts *f);
int figure_arg(struct figure_opts *f, const char *opt, const char *val);
int figure_opts_ok(const struct figure_opts *f);
unsigned int figure_inner(const struct figure_opts *f, uint64_t t);
int figure_reps(const struct figure_opts *f, uint64_t t);
void print_figure(const char *op, const char *shape, const char *mem,
		  int readers, size_t size, uint64_t *s, int reps,
		  unsigned int inner);

#endif
