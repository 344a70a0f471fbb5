// SPDX-License-Identifier: GPL-2.0
/*
 * The REDUCE half of `make bench`: what PROCESS_VM_REDUCE(op, type) saves a
 * rank that pulls a peer's contribution and reduces it into its own buffer,
 * against what it does without it: copy the contribution into a scratch
 * buffer with a plain process_vm_readv(), then reduce in user space.
 *
 *   reduce-T     one process_vm_readv(target, local, remote,
 *                PROCESS_VM_REDUCE(op, type)): local = local op remote
 *   copyloop-T   process_vm_readv() into a scratch buffer, then the loop
 *                local[i] = local[i] op scratch[i], vectorised by gcc
 *   reducew-T    one process_vm_writev() with the same flags: remote =
 *                remote op local (MPI_Accumulate into a target's window)
 *
 * for T = f64sum (SUM of doubles) and u32bxor (BXOR of 32-bit words), SHAPE
 * 1x1, both sides in 4 KiB pages, READERS 1.  And an allreduce of 4 rank
 * processes, SHAPE 4ranks, READERS 4, SIZE the bytes of each rank's vector
 * of doubles: a ring reduce-scatter (each rank pulls a chunk from its left
 * neighbour and sums it into its own copy of that chunk, 3 steps) and a
 * ring allgather (3 plain pulls), every rank ending with the full sum:
 *
 *   allreduce-reduce     the reduce-scatter pulls with PROCESS_VM_REDUCE
 *   allreduce-copyloop   a plain pull into a scratch chunk, then the loop
 *
 * Every method moves known values once and checks every element against a
 * sum computed apart (values whose sums are exact in binary64) before it is
 * timed; the allreduce checks every rank after every repetition.  Output as
 * guest/bench.c's, times in ns per call (per allreduce, as rank 0 sees it
 * from the barrier that starts it to the barrier that ends it):
 *
 *   bench,OP,SHAPE,MEM,READERS,SIZE,REPS,INNER,MIN,MEDIAN,MAX
 *
 * plus TAP.  Where the probe says the kernel has no PROCESS_VM_REDUCE (the
 * reference kernel, or any host), the reduce methods are skipped by it and
 * copyloop, the baseline, still runs.  --quick runs every method at 4 KiB
 * with no calibration.  The exit status is non-zero if any check failed.
 */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include "kselftest.h"
#include "abi.h"
#include "util.h"

#define MAX_SIZES	16
#define CHUNK		MIB	/* bounce buffer of the remote fills and checks */
#define NRANKS		4	/* processes of the allreduce */
#define GUARD		64	/* bytes after each buffer that no call may touch */

/* ---- the two reductions measured */

enum elem { E_F64SUM, E_U32BXOR, NR_ELEMS };

static const struct elem_info {
	const char *name;	/* the OP's suffix */
	const char *what;	/* for the probe's message */
	unsigned int op, type;
	size_t size;		/* bytes per element */
} elems[NR_ELEMS] = {
	[E_F64SUM] = { "f64sum", "SUM, F64", CMA_OP_SUM, CMA_TYPE_F64, 8 },
	[E_U32BXOR] = { "u32bxor", "BXOR, U32", CMA_OP_BXOR, CMA_TYPE_U32, 4 },
};

/*
 * The values each side starts with.  The doubles are multiples of 0.25
 * below 2^12 in magnitude, so every sum of two (or of NRANKS) is exact
 * and the checks compare with ==.  The words are two different hashes.
 */
static inline double f64_remote(size_t i)
{
	return (double)((i * 37) % 8192) * 0.5 - 2048.0;
}

static inline double f64_local(size_t i)
{
	return (double)(i % 4093) * 0.25 - 511.75;
}

static inline uint32_t u32_remote(size_t i)
{
	return ((uint32_t)i + 1) * 0x9e3779b9u;
}

static inline uint32_t u32_local(size_t i)
{
	return ((uint32_t)i * 0x85ebca6bu) ^ 0xdeadbeefu;
}

/* Rank @r's contribution to element @i of the allreduce: integer-valued */
static inline double rank_value(int r, size_t i)
{
	return (double)((i * (2 * r + 3) + 101 * r) % 2048) - 1024.0;
}

/* Element @i of the allreduce's result, summed as integers */
static inline double rank_sum(size_t i)
{
	long s = 0;
	int r;

	for (r = 0; r < NRANKS; r++)
		s += (long)rank_value(r, i);
	return (double)s;
}

/*
 * The user-space half of copyloop: plain loops over restrict pointers, so
 * that the compiler may vectorise them.  guest/Makefile builds this file
 * with -O3: gcc's -O2 either does not vectorise at all (before gcc 12) or
 * with the "very cheap" cost model, which leaves a loop whose trip count is
 * known only at run time scalar.  The kernel builds its element loops
 * (mm/process_vm_reduce_fpu.c) with -O3 for the same reason and with the
 * same instruction set on x86-64 (SSE2, no -march), so the two compare
 * like with like.  Element-wise adds vectorise without -ffast-math: no sum
 * is reassociated.  info,reduce-loop says what the build could use.
 */
static void loop_f64sum(double *restrict a, const double *restrict b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		a[i] += b[i];
}

static void loop_u32bxor(uint32_t *restrict a, const uint32_t *restrict b,
			 size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		a[i] ^= b[i];
}

static void loop(enum elem e, void *a, const void *b, size_t bytes)
{
	if (e == E_F64SUM)
		loop_f64sum(a, b, bytes / 8);
	else
		loop_u32bxor(a, b, bytes / 4);
}

/* ---- state */

/* What the target mapped, in its own address space; in a MAP_SHARED page */
struct target_info {
	char *mem;
	int err;
};

struct ctx {
	pid_t target;		/* t's pid */
	struct target_info *ti;	/* in t's shared page */
	int memfd;		/* /proc/TARGET/mem: fills and checks the remote side */
	char *local;		/* the reducing side: max + GUARD bytes */
	char *scratch;		/* copyloop's copy of the contribution */
	char *bounce;		/* CHUNK bytes */
	int probe_err;		/* 0: PROCESS_VM_REDUCE known, else the probe's errno */
	int elem_err[NR_ELEMS];	/* 0: (op, type) supported, else the probe's errno */
	struct target t;
};

static struct {
	struct figure_opts fig;
	size_t sizes[MAX_SIZES];
	int nsizes;
	size_t ar_sizes[MAX_SIZES];
	int nar;
	size_t max;		/* largest pair size: buffers are sized for it */
	size_t ar_max;		/* largest allreduce vector */
} opt;

static size_t page_size;

/* ---- small helpers */

/*
 * Anonymous private memory in 4 KiB pages (the guests default THP to
 * "always"), touched; exits on failure
 */
static char *map_4k(size_t len)
{
	char *p = map_base_pages(len);

	if (!p)
		fatal("mmap");
	memset(p, 0, round_up(len, page_size));
	return p;
}

/* ---- the probe */

/* Why reduce-@e cannot run: NULL if it can */
static const char *skip_reason(const struct ctx *c, enum elem e)
{
	static char why[160];

	if (c->probe_err)
		snprintf(why, sizeof(why),
			 "PROCESS_VM_REDUCE not supported: the probe returned %s",
			 c->probe_err == EINVAL ? "EINVAL" : strerror(c->probe_err));
	else if (c->elem_err[e])
		snprintf(why, sizeof(why),
			 "PROCESS_VM_REDUCE(%s) not supported: the probe returned %s",
			 elems[e].what, c->elem_err[e] == EOPNOTSUPP ? "EOPNOTSUPP" :
			 c->elem_err[e] == EINVAL ? "EINVAL" : strerror(c->elem_err[e]));
	else
		return NULL;
	return why;
}

/* ---- the target: holds the remote buffer and sleeps */

static int target_setup(struct target *t)
{
	struct target_info *ti = t->shared;

	ti->mem = map_4k(opt.max + GUARD);
	return 0;
}

/* The target, which other ranks may attach to too, whatever Yama's scope */
static void start_target(struct ctx *c)
{
	c->t = (struct target){
		.setup = target_setup,
		.shared_size = sizeof(struct target_info),
		.flags = TARGET_ANY_TRACER,
	};
	c->memfd = target_start_mem(&c->t);
	c->target = c->t.pid;
	c->ti = c->t.shared;
}

/* ---- filling and checking, element by element */

/* Elements [@first, @first + @n) of one side's starting values at @p */
static void fill(enum elem e, int remote, void *p, size_t first, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (e == E_F64SUM)
			((double *)p)[i] = remote ? f64_remote(first + i) :
						    f64_local(first + i);
		else
			((uint32_t *)p)[i] = remote ? u32_remote(first + i) :
						      u32_local(first + i);
}

/*
 * Whether element @i at @p holds element @k of one side (@remote picks
 * it): local op remote if @sum, else the side's starting value
 */
static int want_ok(enum elem e, const void *p, size_t i, size_t k, int sum,
		   int remote)
{
	double wf;
	uint32_t wu;

	if (e == E_F64SUM) {
		wf = sum ? f64_local(k) + f64_remote(k) :
		     remote ? f64_remote(k) : f64_local(k);
		return ((const double *)p)[i] == wf;
	}
	wu = sum ? u32_local(k) ^ u32_remote(k) :
	     remote ? u32_remote(k) : u32_local(k);
	return ((const uint32_t *)p)[i] == wu;
}

/*
 * 0 if @p holds elements [@first, @first + @n) of one side (@remote picks
 * it): local op remote below element @nsum, the side's starting values
 * from there on
 */
static int check(enum elem e, int remote, const void *p, size_t first,
		 size_t n, size_t nsum)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!want_ok(e, p, i, first + i, first + i < nsum, remote))
			return -1;
	return 0;
}

/*
 * Give the remote buffer, guard included, its starting values through
 * /proc/PID/mem (a path that is not the one measured)
 */
static int remote_fill(struct ctx *c, enum elem e, size_t size)
{
	size_t es = elems[e].size, len = size + GUARD, done, n;

	for (done = 0; done < len; done += n) {
		n = len - done < CHUNK ? len - done : CHUNK;
		fill(e, 1, c->bounce, done / es, n / es);
		if (pwrite(c->memfd, c->bounce, n,
			   (off_t)(uintptr_t)(c->ti->mem + done)) != (ssize_t)n)
			return -1;
	}
	return 0;
}

/* 0 if the remote buffer holds local op remote, its guard untouched */
static int remote_check(struct ctx *c, enum elem e, size_t size)
{
	size_t es = elems[e].size, len = size + GUARD, done, n;

	for (done = 0; done < len; done += n) {
		n = len - done < CHUNK ? len - done : CHUNK;
		if (pread(c->memfd, c->bounce, n,
			  (off_t)(uintptr_t)(c->ti->mem + done)) != (ssize_t)n ||
		    check(e, 1, c->bounce, done / es, n / es, size / es))
			return -1;
	}
	return 0;
}

/* ---- one call of each method; each returns the bytes it moved */

struct pair {
	enum elem e;
	size_t size;
	int write;		/* reducew: the result is on the remote side */
	ssize_t (*fn)(struct ctx *c, const struct pair *p);
};

static unsigned long flags_of(enum elem e)
{
	return CMA_REDUCE(elems[e].op, elems[e].type);
}

static ssize_t op_reduce(struct ctx *c, const struct pair *p)
{
	struct iovec l = { c->local, p->size }, r = { c->ti->mem, p->size };

	return syscall(CMA_NR_READV, c->target, &l, 1UL, &r, 1UL,
		       flags_of(p->e));
}

static ssize_t op_copyloop(struct ctx *c, const struct pair *p)
{
	struct iovec l = { c->scratch, p->size }, r = { c->ti->mem, p->size };
	ssize_t n = syscall(CMA_NR_READV, c->target, &l, 1UL, &r, 1UL, 0UL);

	if (n == (ssize_t)p->size)
		loop(p->e, c->local, c->scratch, p->size);
	return n;
}

static ssize_t op_reducew(struct ctx *c, const struct pair *p)
{
	struct iovec l = { c->local, p->size }, r = { c->ti->mem, p->size };

	return syscall(CMA_NR_WRITEV, c->target, &l, 1UL, &r, 1UL,
		       flags_of(p->e));
}

/*
 * One call from known values on both sides: the side it writes must hold
 * local op remote and its guard be untouched, the other side unchanged
 */
static int check_pair(struct ctx *c, const struct pair *p)
{
	size_t es = elems[p->e].size, n = p->size / es, g = GUARD / es;

	fill(p->e, 0, c->local, 0, n + g);
	if (remote_fill(c, p->e, p->size) || p->fn(c, p) != (ssize_t)p->size)
		return -1;
	if (p->write)
		return check(p->e, 0, c->local, 0, n + g, 0) ||
		       remote_check(c, p->e, p->size) ? -1 : 0;
	return check(p->e, 0, c->local, 0, n + g, n);
}

/* Time @count calls; 0 on failure (a real figure is never 0 ns) */
static uint64_t timed(struct ctx *c, const struct pair *p, unsigned int count)
{
	uint64_t t0 = now_ns(), t;
	unsigned int i;

	for (i = 0; i < count; i++)
		if (p->fn(c, p) != (ssize_t)p->size)
			return 0;
	t = now_ns() - t0;
	return t ? t : 1;
}

/*
 * Check one figure's result, then time it as bench.c's figure() does: a
 * sample runs enough calls to last sample_ns, as many samples as fit
 * budget_ns within [min_reps, max_reps], the first timed call (also a
 * warm-up) sizing both.  Repeated calls keep reducing into the same
 * buffer: the doubles grow by at most 2^11 a call, far from overflowing,
 * and no value is ever subnormal.
 */
/*
 * A figure that could not be taken.  Not inlined: figure()'s timed loop
 * then keeps its registers, and its instruction count under icount, as
 * they were when this was a call with the whole context.
 */
static void __attribute__((noinline)) no_figure(const char *op, size_t size,
						const char *why)
{
	ksft_test_result_fail("%s 1x1 4k size=%zu: %s\n", op, size, why);
}

static void figure(struct ctx *c, const char *method, const struct pair *p)
{
	uint64_t s[FIGURE_MAX_REPS], t;
	unsigned int inner;
	char op[32];
	int reps, i;

	snprintf(op, sizeof(op), "%s-%s", method, elems[p->e].name);
	if (check_pair(c, p)) {
		no_figure(op, p->size, "wrong result");
		return;
	}
	ksft_test_result_pass("%s 1x1 4k size=%zu\n", op, p->size);
	t = timed(c, p, 1);
	if (!t)
		goto failed;
	inner = figure_inner(&opt.fig, t);
	reps = figure_reps(&opt.fig, t * inner);
	for (i = 0; i < reps; i++) {
		s[i] = timed(c, p, inner);
		if (!s[i])
			goto failed;
	}
	print_figure(op, "1x1", "4k", 1, p->size, s, reps, inner);
	return;
failed:
	no_figure(op, p->size, "failed while timed");
}

static void pair_figures(struct ctx *c, enum elem e, size_t size)
{
	struct pair p = { .e = e, .size = size };
	int can = !skip_reason(c, e);

	p.fn = op_reduce;
	if (can)
		figure(c, "reduce", &p);
	p.fn = op_copyloop;
	figure(c, "copyloop", &p);
	p.fn = op_reducew;
	p.write = 1;
	if (can)
		figure(c, "reducew", &p);
}

/* ---- the allreduce */

enum { AR_REDUCE, AR_COPYLOOP, NR_AR };
static const char *const ar_name[NR_AR] = {
	"allreduce-reduce", "allreduce-copyloop",
};

/* Shared by the coordinator and the ranks (MAP_SHARED, set up before fork) */
struct world {
	pthread_barrier_t bar;	/* the NRANKS ranks, PTHREAD_PROCESS_SHARED */
	pid_t pid[NRANKS];
	double *vec[NRANKS];	/* each rank's vector, in its own address space */
	uint64_t ns[FIGURE_MAX_REPS];	/* each allreduce, as rank 0 timed it */
};

struct ar_cmd {
	size_t size;		/* bytes of each rank's vector */
	int method;
	unsigned int count;	/* allreduces to run, each checked */
};

struct ranks {
	struct world *w;
	int cmd_wr[NRANKS], done_rd;
	int started;
};

/* Pull @len bytes at @off of rank @from's vector into @dst, reducing or not */
static int pull(struct world *w, int from, char *dst, size_t off, size_t len,
		unsigned long flags)
{
	struct iovec l = { dst, len };
	struct iovec r = { (char *)w->vec[from] + off, len };

	ssize_t n = syscall(CMA_NR_READV, w->pid[from], &l, 1UL, &r, 1UL, flags);

	if (n == (ssize_t)len)
		return 0;
	printf("# %zu bytes from rank %d: %zd (%s)\n", len, from, n,
	       n < 0 ? strerror(errno) : "short");
	return -1;
}

/*
 * One allreduce of rank @me's vector (@size bytes) with the ring algorithm:
 * chunk k is bytes [k * size / NRANKS, (k + 1) * size / NRANKS).  In step s
 * of the reduce-scatter rank r sums chunk (r - s - 1) of its left neighbour
 * into its own, the chunk the neighbour completed in step s - 1 (or its
 * own contribution, for s = 0); after NRANKS - 1 steps it holds the full
 * sum of chunk r + 1.  In step s of the allgather it copies chunk (r - s)
 * from its left neighbour, which completed it in the step before.  In any
 * step a rank writes one chunk and its right neighbour reads another, and
 * a barrier ends each step, so no chunk is read while it is written.  A
 * failed pull is remembered, and the rank still meets every barrier.
 */
static int allreduce(struct world *w, int me, char *vec, char *scratch,
		     size_t size, int method)
{
	size_t csz = size / NRANKS;
	unsigned long red = CMA_REDUCE(CMA_OP_SUM, CMA_TYPE_F64);
	int left = (me + NRANKS - 1) % NRANKS, s, k, bad = 0;

	for (s = 0; s < NRANKS - 1; s++) {
		k = (me - s - 1 + 2 * NRANKS) % NRANKS;
		if (method == AR_REDUCE) {
			bad |= pull(w, left, vec + k * csz, k * csz, csz, red);
		} else if (!pull(w, left, scratch, k * csz, csz, 0UL)) {
			loop_f64sum((double *)(vec + k * csz),
				    (const double *)scratch, csz / 8);
		} else {
			bad = 1;
		}
		pthread_barrier_wait(&w->bar);
	}
	for (s = 0; s < NRANKS - 1; s++) {
		k = (me - s + NRANKS) % NRANKS;
		bad |= pull(w, left, vec + k * csz, k * csz, csz, 0UL);
		pthread_barrier_wait(&w->bar);
	}
	return bad;
}

static void rank_fill(double *v, int me, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = rank_value(me, i);
}

static int rank_check(const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] != rank_sum(i))
			return -1;
	return 0;
}

/*
 * A barrier at which rank 0 reads the clock while every other rank is held,
 * so that no rank's fill or check work falls into a figure: on a host, or
 * under -icount, where every vCPU's instructions advance the one clock.
 * The other ranks get 0.
 */
static uint64_t clock_barrier(struct world *w, int me)
{
	uint64_t t = 0;

	pthread_barrier_wait(&w->bar);
	if (me == 0)
		t = now_ns();
	pthread_barrier_wait(&w->bar);
	return t;
}

/*
 * A rank: on each command run @count allreduces, each from fresh values
 * (set outside the timed part) and checked after, then report one status
 * byte.  Blocking on pipes and the barrier, never spinning: a spinning
 * vCPU would add its instructions to the virtual clock.
 */
static void rank_main(struct world *w, int me, int cmd, int done)
{
	char *vec = map_4k(opt.ar_max), *scratch = map_4k(opt.ar_max / NRANKS);
	struct ar_cmd m;
	unsigned int i;
	uint64_t t0, t1;
	char st = 0;

	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	w->vec[me] = (double *)vec;
	if (write(done, &st, 1) != 1)
		_exit(1);
	while (read(cmd, &m, sizeof(m)) == sizeof(m)) {
		st = 0;
		for (i = 0; i < m.count; i++) {
			rank_fill((double *)vec, me, m.size / 8);
			t0 = clock_barrier(w, me);
			st |= allreduce(w, me, vec, scratch, m.size, m.method);
			t1 = clock_barrier(w, me);
			if (me == 0)
				w->ns[i] = t1 - t0;
			st |= rank_check((double *)vec, m.size / 8) ? 1 : 0;
		}
		if (write(done, &st, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

static int start_ranks(struct ranks *rk)
{
	pthread_barrierattr_t a;
	int done[2], cmd[2], i, j;
	pid_t pid;
	char st;

	rk->w = mmap(NULL, sizeof(*rk->w), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (rk->w == MAP_FAILED || pthread_barrierattr_init(&a) ||
	    pthread_barrierattr_setpshared(&a, PTHREAD_PROCESS_SHARED) ||
	    pthread_barrier_init(&rk->w->bar, &a, NRANKS) || pipe(done))
		return -1;
	for (i = 0; i < NRANKS; i++) {
		if (pipe(cmd))
			return -1;
		pid = fork_or_die();
		if (!pid) {
			/* no rank may keep another's command pipe open */
			for (j = 0; j < i; j++)
				close(rk->cmd_wr[j]);
			close(cmd[1]);
			close(done[0]);
			rank_main(rk->w, i, cmd[0], done[1]);
		}
		/* the shared page: by the parent only, once the child runs */
		rk->w->pid[i] = pid;
		close(cmd[0]);
		rk->cmd_wr[i] = cmd[1];
	}
	close(done[1]);
	rk->done_rd = done[0];
	rk->started = 1;
	for (i = 0; i < NRANKS; i++)
		if (read(rk->done_rd, &st, 1) != 1)
			return -1;
	return 0;
}

static void stop_ranks(struct ranks *rk)
{
	int i;

	if (!rk->started)
		return;
	for (i = 0; i < NRANKS; i++) {
		close(rk->cmd_wr[i]);
		waitpid(rk->w->pid[i], NULL, 0);
	}
	close(rk->done_rd);
}

/* Run @count checked allreduces on every rank; 0 if all were right */
static int ar_round(struct ranks *rk, size_t size, int method, unsigned int count)
{
	struct ar_cmd m = { size, method, count };
	int i, bad = 0;
	char st;

	for (i = 0; i < NRANKS; i++)
		if (write(rk->cmd_wr[i], &m, sizeof(m)) != sizeof(m))
			return -1;
	for (i = 0; i < NRANKS; i++) {
		if (read(rk->done_rd, &st, 1) != 1)
			return -1;
		bad |= st;
	}
	return bad ? -1 : 0;
}

/* One allreduce figure: a checked run, a warm-up that sizes the rest */
static void ar_figure(struct ranks *rk, int method, size_t size)
{
	uint64_t s[FIGURE_MAX_REPS];
	int reps, i;

	if (ar_round(rk, size, method, 1)) {
		ksft_test_result_fail("%s 4ranks 4k size=%zu: wrong result on a rank\n",
				      ar_name[method], size);
		return;
	}
	ksft_test_result_pass("%s 4ranks 4k size=%zu: every rank holds the sum\n",
			      ar_name[method], size);
	if (ar_round(rk, size, method, 1))
		goto failed;
	reps = figure_reps(&opt.fig, rk->w->ns[0] ? rk->w->ns[0] : 1);
	if (ar_round(rk, size, method, reps))
		goto failed;
	for (i = 0; i < reps; i++)
		s[i] = rk->w->ns[i] ? rk->w->ns[i] : 1;
	print_figure(ar_name[method], "4ranks", "4k", NRANKS, size, s, reps, 1);
	return;
failed:
	ksft_test_result_fail("%s 4ranks 4k size=%zu: failed while timed\n",
			      ar_name[method], size);
}

static void allreduce_figures(struct ctx *c)
{
	struct ranks rk = { 0 };
	const char *why = skip_reason(c, E_F64SUM);
	int i;

	if (!opt.nar)
		return;
	if (start_ranks(&rk)) {
		perror("reduce-bench: ranks");
		ksft_test_result_fail("allreduce: could not start %d ranks\n", NRANKS);
		stop_ranks(&rk);
		return;
	}
	if (why)
		ksft_test_result_code(KSFT_SKIP, ar_name[AR_REDUCE], "%s", why);
	for (i = 0; i < opt.nar; i++) {
		if (!why)
			ar_figure(&rk, AR_REDUCE, opt.ar_sizes[i]);
		ar_figure(&rk, AR_COPYLOOP, opt.ar_sizes[i]);
	}
	stop_ranks(&rk);
}

/* ---- options */

static void usage(void)
{
	fprintf(stderr,
		"usage: reduce-bench [--quick] [--sizes LIST] [--allreduce-sizes LIST]\n"
		"                    [--budget-ms N] [--sample-us N] [--reps MIN,MAX]\n"
		"sizes take K and M suffixes: --sizes 4K,1M; an empty list (-)\n"
		"leaves that group out\n");
	exit(2);
}

/*
 * The sizes of @list that are whole multiples of @unit (a double must not
 * straddle two calls, nor a rank's chunk), at most MAX_SIZES, or usage()
 */
static int sizes_arg(const char *list, size_t *out, size_t unit)
{
	int n, i, kept = 0;

	if (!strcmp(list, "-"))
		return 0;
	n = parse_sizes(list, out, MAX_SIZES);
	if (n < 0)
		usage();
	for (i = 0; i < n; i++) {
		if (out[i] && out[i] % unit == 0)
			out[kept++] = out[i];
		else
			printf("note,reduce,size %zu skipped: not a multiple of %zu bytes\n",
			       out[i], unit);
	}
	return kept;
}

/*
 * Defaults are make bench's.  In a guest, cmabench_sizes=LIST (as for
 * bench) and cmabench_allreduce=LIST on the kernel command line stand for
 * --sizes and --allreduce-sizes.
 */
static void parse_args(int argc, char **argv)
{
	const size_t ar_unit = NRANKS * 8;
	int i;

	opt.nsizes = sizes_arg("4K,16K,64K,256K,1M,4M,16M,64M", opt.sizes, 8);
	opt.nar = sizes_arg("1M,4M,16M", opt.ar_sizes, ar_unit);
	figure_defaults(&opt.fig);
	if (getenv("cmabench_sizes"))
		opt.nsizes = sizes_arg(getenv("cmabench_sizes"), opt.sizes, 8);
	if (getenv("cmabench_allreduce"))
		opt.nar = sizes_arg(getenv("cmabench_allreduce"), opt.ar_sizes,
				    ar_unit);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--quick")) {
			figure_quick(&opt.fig);
			opt.nsizes = sizes_arg("4K", opt.sizes, 8);
			opt.nar = sizes_arg("4K", opt.ar_sizes, ar_unit);
			continue;
		}
		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--sizes"))
			opt.nsizes = sizes_arg(v, opt.sizes, 8);
		else if (!strcmp(a, "--allreduce-sizes"))
			opt.nar = sizes_arg(v, opt.ar_sizes, ar_unit);
		else if (figure_arg(&opt.fig, a, v))
			usage();
	}
	if (!figure_opts_ok(&opt.fig) || (!opt.nsizes && !opt.nar))
		usage();
	opt.max = 8;
	for (i = 0; i < opt.nsizes; i++)
		if (opt.sizes[i] > opt.max)
			opt.max = opt.sizes[i];
	opt.ar_max = ar_unit;
	for (i = 0; i < opt.nar; i++)
		if (opt.ar_sizes[i] > opt.ar_max)
			opt.ar_max = opt.ar_sizes[i];
}

/* ---- set-up */

static void print_info(const struct ctx *c)
{
	int e;

	printf("info,reduce,%s\n", c->probe_err ?
	       (c->probe_err == EINVAL ? "no PROCESS_VM_REDUCE (the probe returned EINVAL)" :
		"no PROCESS_VM_REDUCE (the probe failed)") :
	       "PROCESS_VM_REDUCE supported (the probe returned EFAULT)");
	for (e = 0; e < NR_ELEMS; e++)
		if (!c->probe_err && c->elem_err[e])
			printf("note,reduce,%s: %s\n", elems[e].name,
			       skip_reason(c, e));
	printf("info,reduce-loop,%s -O3%s%s\n", CMA_ABI,
#ifdef __SSE2__
	       " SSE2",
#else
	       "",
#endif
#ifdef __AVX__
	       " AVX"
#else
	       ""
#endif
	       );
	printf("info,reduce-reps,sample_ns %" PRIu64 " budget_ns %" PRIu64 " reps %d-%d\n",
	       opt.fig.sample_ns, opt.fig.budget_ns, opt.fig.min_reps,
	       opt.fig.max_reps);
}

static void setup(struct ctx *c)
{
	int e;

	page_size = sysconf(_SC_PAGESIZE);
	c->probe_err = cma_probe(CMA_REDUCE(CMA_OP_SUM, CMA_TYPE_U8));
	for (e = 0; e < NR_ELEMS; e++)
		c->elem_err[e] = c->probe_err ? c->probe_err :
				 cma_probe(flags_of(e));
	print_info(c);
	if (!opt.nsizes)
		return;
	c->local = map_4k(opt.max + GUARD);
	c->scratch = map_4k(opt.max + GUARD);
	c->bounce = malloc(CHUNK);
	if (!c->bounce)
		fatal("buffers");
	start_target(c);
}

int main(int argc, char **argv)
{
	struct ctx c = { 0 };
	const char *why;
	char name[32];
	int i, e;

	signal(SIGPIPE, SIG_IGN);
	ksft_print_header();
	parse_args(argc, argv);
	setup(&c);

	for (e = 0; e < NR_ELEMS && opt.nsizes; e++) {
		why = skip_reason(&c, e);
		if (!why)
			continue;
		snprintf(name, sizeof(name), "reduce-%s", elems[e].name);
		ksft_test_result_code(KSFT_SKIP, name, "%s", why);
		snprintf(name, sizeof(name), "reducew-%s", elems[e].name);
		ksft_test_result_code(KSFT_SKIP, name, "%s", why);
	}
	for (e = 0; e < NR_ELEMS; e++)
		for (i = 0; i < opt.nsizes; i++)
			pair_figures(&c, e, opt.sizes[i]);
	target_stop(&c.t);
	allreduce_figures(&c);

	/* the plan last: how many figures there are is known only now */
	ksft_set_plan(ksft_test_num());
	ksft_finished();
}
