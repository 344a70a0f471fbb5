// SPDX-License-Identifier: GPL-2.0
/*
 * stress: process_vm_readv() and process_vm_writev() of random shapes
 * against targets whose address space changes under the callers' feet,
 * bounded in time and calls, with every result checked against a model.
 *
 *   stress [--seconds S] [--calls N] [--seed X]
 *          [--targets T] [--callers C] [--threads K] [--extended]
 *
 * Targets are child processes that map the same fixed window (a multiple of
 * the PMD size H, from /sys/kernel/mm/transparent_hugepage/hpage_pmd_size):
 *
 *   guard | anon | shared | thp | stable | guard | round-trip slots | guard
 *
 * and with --extended
 *
 *   guard | anon | shared | thp | stable | ksm | guard |
 *   round-trip slots (THP half, small-page half) | ksm slots | guard
 *
 * guards are PROT_NONE; "anon" is private memory without THP, "shared" is
 * MAP_SHARED, "thp" is H-aligned with MADV_HUGEPAGE, "ksm" is
 * MADV_MERGEABLE and holds the same bytes in every page, "stable" is never
 * changed by its target.  Each target loops over random mutations of anon,
 * shared, thp (and ksm): munmap + mmap again, mremap away and back, mprotect
 * PROT_NONE or PROT_READ and back, MADV_DONTNEED, MADV_FREE, THP splits
 * (a page punched, protected or zapped inside the huge page), a new THP,
 * fork (a child that checks its copy-on-write copy, or execs a sleeper);
 * at the end of its life it execs itself or exits and is replaced.
 *
 * With --extended (issue 13; off by default, so that the 30-s run of
 * make check still gets round to every kind on slow guests) also mutations
 * that keep every byte, so that they may also hit the stable region and
 * the round-trip slots: MADV_COLLAPSE of the thp region or of the THP half
 * of the round-trip slots; a split in place (MADV_NOHUGEPAGE and back on
 * one page splits the PMD, nothing is zapped); KSM unmerge and merge again;
 * page migration (move_pages() to another node, or with a single memory
 * node a compaction, the moves seen in /proc/self/pagemap); bursts of
 * quick mprotect read-only and back (these do zap nothing but make writev
 * fail, so never on slots or stable memory); fork storms (several children
 * checking their copy, all released at once).  Kinds the kernel cannot do
 * are found by probes at the start, said so, and not required.
 *
 * The model: byte at address a is f(a), which is odd, or 0.  Targets fill
 * their memory with f; writers only ever write f(a) to a; DONTNEED,
 * MADV_FREE and a new mapping give zeros.  So a reader must see f(a) or 0
 * for every byte it got, exactly f(a) in stable memory, and its own buffer
 * untouched (CANARY, even and not 0, so never a value the model allows)
 * past the returned count and between its iovecs.  Calls whose ranges all
 * lie in stable memory must transfer everything.  Each caller thread also
 * owns a round-trip slot in every target, which nothing else touches: it
 * writes fresh bytes there with one random shape and reads them back with
 * another, and must get exactly what it wrote.  With --extended it also
 * owns one page of the ksm slots, which holds the ksm pattern and so gets
 * merged: it writes fresh bytes into it (a write into a KSM page must
 * break the sharing, or every merged page everywhere would change), reads
 * them back, writes the pattern back and reads that back; and for a while
 * in every 100 ms all caller threads read the same buffer of the same
 * target at once.  The model of the ksm region and slots is
 * k(a) = f(region start + a % page) or 0, the same in every page.  The
 * targets scan their own memory against the model, and fork children check that writes into
 * their parent never show up in their copy.  A target announces a change
 * of address space (exit, exec) by making its epoch odd first; a call is
 * judged strictly only if the epoch did not move across it.
 *
 * Beside them a recycler checks PROCESS_VM_PIDFD where the kernel has it:
 * it reads a child through a pidfd from a thread while the child is killed
 * and its pid number is handed to a new child with clone3(set_tid); no read
 * may ever return the new child's bytes, and the old pidfd must then say
 * ESRCH while the pid number reaches the new child.
 *
 * At the end, after every process is reaped, nr_foll_pin_acquired must
 * equal nr_foll_pin_released (pins.h).  TAP output; exit status 1 on any
 * failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
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
#include <fcntl.h>

#include "kselftest.h"
#include "abi.h"
#include "pins.h"
#include "util.h"

#define MAX_TARGETS	8
#define MAX_THREADS	16
#define MAX_IOV		64
#define CALL_CAP	(1u << 20)	/* bytes moved by one random call */
#define RT_SLOT_PAGES	4		/* round-trip slot of one caller */
#define CANARY		0xa6		/* even and not 0: f() never gives it */
#define PRINT_LIMIT	8		/* failure messages per process */

/* Exit codes of our own processes */
#define EXIT_REPLACE	10		/* target: end of life, start another */
#define EXIT_BROKEN	11		/* could not do what it had to */
#define EXIT_COW	12		/* fork child: its copy changed */

#if UINTPTR_MAX > 0xffffffffu
#define WINDOW_BASE	((uintptr_t)0x100000000000ull)
#else
#define WINDOW_BASE	((uintptr_t)0x40000000u)
#endif

/*
 * The ksm region comes after stable: without --extended it is not there,
 * and the guard after stable takes its place, as before the new kinds.
 */
enum region { R_GUARD0, R_ANON, R_SHARED, R_THP, R_STABLE, R_KSM, R_GUARD1,
	      NR_ZONE };

static const char *const region_name[NR_ZONE] = {
	"guard", "anon", "shared", "thp", "stable", "ksm", "guard",
};

enum counter {
	S_READV, S_WRITEV, S_RT, S_RT_SKIP, S_BYTES_READ, S_BYTES_WRITTEN,
	S_FULL, S_PARTIAL, S_STABLE_FULL, S_EFAULT, S_ESRCH, S_ENOMEM,
	S_REDUCE,
	/* mutations */
	S_M_REMAP, S_M_MREMAP, S_M_PROT_NONE, S_M_PROT_READ, S_M_DONTNEED,
	S_M_FREE, S_M_THP_SPLIT, S_M_THP_NEW, S_M_FORK, S_M_FORK_EXEC,
	S_M_COLLAPSE, S_M_SPLIT_KEEP, S_M_KSM, S_M_MIGRATE, S_M_PROT_FLIP,
	S_M_FORK_STORM,
	S_M_EXEC, S_M_EXIT,
	S_SCAN, S_COW_CHECK,
	/* evidence that the new kinds met the copies */
	S_KSM_MERGED, S_KSM_RT, S_KSM_RT_HIT, S_MIG_PAGES, S_SHARED_READ,
	S_STORM_CHILD, S_COLLAPSE_FAIL,
	NR_STAT
};

/* Random mutation kinds: the first ones, or all of them with --extended */
#define NR_MUT_BASIC	(S_M_FORK_EXEC - S_M_REMAP + 1)
#define NR_MUT_RANDOM	(S_M_FORK_STORM - S_M_REMAP + 1)

static const char *const stat_name[NR_STAT] = {
	"readv", "writev", "round trips", "round trips skipped",
	"bytes read", "bytes written", "full", "partial", "stable full",
	"EFAULT", "ESRCH", "ENOMEM", "reduce",
	"munmap+mmap", "mremap away+back", "mprotect none", "mprotect ro",
	"dontneed", "free", "thp split", "thp new", "fork", "fork+exec",
	"thp collapse", "split in place", "ksm unmerge+merge", "migrate",
	"mprotect flips", "fork storm",
	"exec", "exit",
	"scans", "cow checks",
	"ksm merged seen", "ksm round trips", "ksm writes into a KSM page",
	"pages migrated", "shared-buffer reads", "fork storm children",
	"collapse failed",
};

/* How a target migrates pages */
enum { MIG_NONE, MIG_MOVE_PAGES, MIG_COMPACT };

enum fail { F_COUNT, F_DATA, F_RT, F_SCAN, F_COW, F_PROC, NR_FAIL };

/* Per-process or per-thread counters; each row has a single writer */
struct row {
	uint64_t stat[NR_STAT];
	uint32_t fail[NR_FAIL];
	uint32_t printed;
};

struct slot {
	int32_t pid;
	uint32_t epoch;		/* odd while the window is being changed */
};

/* Shared by every process, in a memfd so that it survives exec */
struct ctl {
	uint64_t seed;
	uint32_t seconds, max_calls, ntargets, ncallers, nthreads;
	uint32_t page, hpage;
	double t0;		/* now_s() at the start */
	uint32_t calls;
	uint32_t stop_callers, stop_targets;
	uint32_t incarnation[MAX_TARGETS];
	struct slot slot[MAX_TARGETS];
	struct row caller[MAX_THREADS];
	struct row target[MAX_TARGETS];
	struct row super;
	/* --extended: the kinds of issue 13, the ksm region and slots */
	uint32_t extended;
	/* what the kernel can do: 1 << S_M_... of the kinds it cannot */
	uint32_t unavail;
	uint32_t mig_method, mig_node[2];
	uint32_t mig_busy, mig_next_ms;	/* one compaction at a time */
	uint32_t ksm_peak;		/* most merged pages one target had */
	uint32_t have_kpageflags;	/* PFNs and KPF_KSM are visible */
	uint32_t shared_now, shared_peak;	/* readers of one buffer */
	/* PROCESS_VM_REDUCE, where the probe finds it */
	uint32_t have_reduce;
	/* the pidfd recycler */
	uint32_t rc_have_flags;
	uint32_t rc_rounds, rc_recycled, rc_taken, rc_reads, rc_esrch, rc_bad;
};

/* Layout of the window; the same in every process */
struct geo {
	uintptr_t win;		/* start of the zone (NR_ZONE regions) */
	size_t page, hpage;
	size_t zone_len;
	uintptr_t rt;		/* round-trip slots */
	size_t rt_slot, rt_len;
	size_t rt_thp_len;	/* the MADV_HUGEPAGE part of them (--extended) */
	uintptr_t ks;		/* ksm slots: one page per caller thread */
	size_t ks_len;
	size_t span;		/* zone, both kinds of slots and a last guard */
};

static struct ctl *ctl;
static int ctl_fd = -1;
static struct geo geo;
static uint8_t *golden;		/* f() over the zone */

/* ------------------------------------------------------------------ */

static uint8_t model_byte(uintptr_t a)
{
	return (uint8_t)(((uint32_t)a * 2654435761u) >> 24) | 1;
}

static uint8_t rt_byte(uintptr_t a, uint32_t gen)
{
	return (uint8_t)(((uint32_t)a * 0x85ebca6bu + gen * 0xc2b2ae35u) >> 24);
}

static uint64_t rnd64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

static size_t rnd(uint64_t *s, size_t n)
{
	return n ? (size_t)(rnd64(s) % n) : 0;
}

static uint64_t seed_for(uint64_t a, uint64_t b)
{
	uint64_t x = a * 0x9e3779b97f4a7c15ull + b + 1;

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 29;
	return x ? x : 1;
}

static double elapsed(void)
{
	return now_s() - ctl->t0;
}

static uint32_t load32(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static void store32(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	/* One write per line: many processes share the console */
	if (write(1, buf, n) < 0)
		_exit(EXIT_BROKEN);
}

static void report(struct row *row, enum fail f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void report(struct row *row, enum fail f, const char *fmt, ...)
{
	char buf[400];
	va_list ap;

	row->fail[f]++;
	if (row->printed++ >= PRINT_LIMIT)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	say("# FAIL %s", buf);
}

static void geo_init(void)
{
	size_t slot_bytes;

	geo.page = ctl->page;
	geo.hpage = ctl->hpage;
	geo.win = WINDOW_BASE;
	geo.zone_len = (ctl->extended ? NR_ZONE : R_KSM + 1) * geo.hpage;
	geo.rt = geo.win + geo.zone_len;
	geo.rt_slot = RT_SLOT_PAGES * geo.page;
	slot_bytes = MAX_THREADS * geo.rt_slot;
	geo.rt_len = (slot_bytes + geo.hpage - 1) / geo.hpage * geo.hpage;
	geo.rt_thp_len = 0;
	geo.ks = geo.rt + geo.rt_len;
	geo.ks_len = 0;
	if (ctl->extended) {
		/*
		 * Twice the slots' size: the first half MADV_HUGEPAGE for
		 * collapse and split in place, the second small pages, so
		 * that half the round trips still take the fast path.
		 */
		geo.rt_thp_len = geo.rt_len;
		geo.rt_len *= 2;
		geo.ks = geo.rt + geo.rt_len;
		geo.ks_len = (MAX_THREADS * geo.page + geo.hpage - 1) /
			     geo.hpage * geo.hpage;
	}
	geo.span = geo.zone_len + geo.rt_len + geo.ks_len + geo.hpage;
}

/*
 * Caller thread @id's round-trip slot: one after the other; with
 * --extended even ids in the huge-page half, odd ids in the small-page one.
 */
static uintptr_t rt_slot_addr(unsigned int id)
{
	if (!geo.rt_thp_len)
		return geo.rt + id * geo.rt_slot;
	return geo.rt + (id & 1) * geo.rt_thp_len + (id >> 1) * geo.rt_slot;
}

/* The name of zone region @r (without --extended the ksm place is guard) */
static const char *zone_name(unsigned int r)
{
	if (r == R_KSM && !ctl->extended)
		return "guard";
	return r < NR_ZONE ? region_name[r] : "?";
}

/* The kinds and counters that only --extended has */
static bool extended_kind(enum counter kind)
{
	return (kind >= S_M_COLLAPSE && kind <= S_M_FORK_STORM) ||
	       kind >= S_KSM_MERGED;
}

static bool have(enum counter kind)
{
	if (extended_kind(kind) && !ctl->extended)
		return false;
	return !(load32(&ctl->unavail) & (1u << (kind - S_M_REMAP)));
}

/* The ksm pattern: byte @off of every page of the ksm region and slots */
static uint8_t ksm_byte(size_t off);


static void golden_init(void)
{
	size_t i;

	golden = malloc(geo.zone_len);
	if (!golden) {
		say("# out of memory for the model");
		exit(EXIT_BROKEN);
	}
	for (i = 0; i < geo.zone_len; i++)
		golden[i] = model_byte(geo.win + i);
	/* Every page of the ksm region alike, so that KSM merges them */
	for (i = 0; ctl->extended && i < geo.hpage; i++)
		golden[R_KSM * geo.hpage + i] =
			model_byte(geo.win + R_KSM * geo.hpage + i % geo.page);
}

static uint8_t ksm_byte(size_t off)
{
	return golden[R_KSM * geo.hpage + off % geo.page];
}

static uintptr_t region_base(enum region r)
{
	return geo.win + r * geo.hpage;
}

static bool in_stable(uintptr_t a)
{
	return a >= region_base(R_STABLE) && a < region_base(R_STABLE + 1);
}

/* ------------------------------------------------------------------ */
/* Targets                                                            */

static struct {
	int idx;
	struct row *row;
	struct slot *slot;
	uint64_t rng;
	void *scratch;		/* where mremap parks a range */
	double born, life, last_scan;
	int next_scan;
	unsigned int mutations;	/* in this life */
} tg;

static void target_die(const char *what, uintptr_t addr, size_t len)
{
	say("# target %d: %s %#lx+%#lx: %s", tg.idx, what,
	    (unsigned long)addr, (unsigned long)len, strerror(errno));
	exit(EXIT_BROKEN);
}

static void target_map(enum region r, uintptr_t addr, size_t len)
{
	int flags = MAP_FIXED | MAP_ANONYMOUS;
	void *p;

	flags |= r == R_SHARED ? MAP_SHARED : MAP_PRIVATE;
	p = mmap((void *)addr, len, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED)
		target_die("mmap", addr, len);
	/* Errors ignored: without THP these are EINVAL, and that is fine */
	if (r == R_THP)
		madvise(p, len, MADV_HUGEPAGE);
	else if (r == R_ANON)
		madvise(p, len, MADV_NOHUGEPAGE);
	else if (r == R_KSM && have(S_M_KSM) &&
		 madvise(p, len, MADV_MERGEABLE))
		target_die("MADV_MERGEABLE", addr, len);
}

/* The target itself writes the model too: fresh zeros become f again */
static void target_fill(uintptr_t addr, size_t len)
{
	memcpy((void *)addr, golden + (addr - geo.win), len);
}

static void target_setup(void)
{
	uint32_t e = load32(&tg.slot->epoch);
	uintptr_t a;
	void *p;
	int r;

	if (!(e & 1))
		store32(&tg.slot->epoch, e + 1);
	p = mmap((void *)geo.win, geo.span, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE,
		 -1, 0);
	if (p != (void *)geo.win)
		target_die("reserve window", geo.win, geo.span);
	for (r = R_ANON; r <= (ctl->extended ? R_KSM : R_STABLE); r++) {
		target_map(r, region_base(r), geo.hpage);
		target_fill(region_base(r), geo.hpage);
	}
	/* With --extended half THP: collapse and split meet round trips */
	if (geo.rt_thp_len)
		target_map(R_THP, geo.rt, geo.rt_thp_len);
	target_map(R_ANON, geo.rt + geo.rt_thp_len,
		   geo.rt_len - geo.rt_thp_len);
	for (a = geo.rt; a < geo.rt + geo.rt_len; a++)
		*(uint8_t *)a = model_byte(a);
	if (ctl->extended) {
		target_map(R_KSM, geo.ks, geo.ks_len);
		for (a = geo.ks; a < geo.ks + MAX_THREADS * geo.page; a++)
			*(uint8_t *)a = ksm_byte(a - geo.ks);
	}

	tg.scratch = mmap(NULL, geo.hpage, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (tg.scratch == MAP_FAILED)
		target_die("scratch", 0, geo.hpage);

	__atomic_store_n(&tg.slot->pid, getpid(), __ATOMIC_SEQ_CST);
	store32(&tg.slot->epoch, load32(&tg.slot->epoch) + 1);
}

/* Announce that this address space is going away */
static void target_unstable(void)
{
	uint32_t e = load32(&tg.slot->epoch);

	if (!(e & 1))
		store32(&tg.slot->epoch, e + 1);
}

static void target_reap(bool block)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, block ? 0 : WNOHANG)) > 0) {
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			continue;
		if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_COW)
			tg.row->fail[F_COW]++;	/* the child said why */
		else
			report(tg.row, F_PROC, "target %d: child %d ended with status %#x",
			       tg.idx, pid, status);
	}
}

/* A random page-aligned range inside region @r */
static void pick_pages(enum region r, uintptr_t *addr, size_t *len)
{
	size_t pages = geo.hpage / geo.page, n, start;

	n = rnd(&tg.rng, 4) ? 1 + rnd(&tg.rng, pages < 8 ? pages : 8) :
			      1 + rnd(&tg.rng, pages);
	start = rnd(&tg.rng, pages - n + 1);
	*addr = region_base(r) + start * geo.page;
	*len = n * geo.page;
}

/* Give callers time to run into the change */
static void target_hold(void)
{
	if (rnd(&tg.rng, 2))
		sched_yield();
	else
		usleep(rnd(&tg.rng, 2000));
}

static void mut_remap(enum region r, uintptr_t a, size_t len)
{
	if (munmap((void *)a, len))
		target_die("munmap", a, len);
	target_hold();
	target_map(r, a, len);
	if (rnd(&tg.rng, 2))
		target_fill(a, len);
}

/* Move a range out of the window and back; the values move with it */
static void mut_mremap(uintptr_t a, size_t len)
{
	void *p;

	p = mremap((void *)a, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
		   tg.scratch);
	if (p == MAP_FAILED && errno == EFAULT) {
		/* The range spans two VMAs: one page never does */
		len = geo.page;
		p = mremap((void *)a, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
			   tg.scratch);
	}
	if (p == MAP_FAILED)
		target_die("mremap away", a, len);
	target_hold();
	p = mremap(tg.scratch, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
		   (void *)a);
	if (p == MAP_FAILED)
		target_die("mremap back", a, len);
	/* Keep the scratch area reserved so no other mapping lands there */
	if (mmap(tg.scratch, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_FIXED | MAP_NORESERVE, -1, 0) == MAP_FAILED)
		target_die("scratch", (uintptr_t)tg.scratch, len);
}

static void mut_protect(uintptr_t a, size_t len, int prot)
{
	if (mprotect((void *)a, len, prot))
		target_die("mprotect", a, len);
	target_hold();
	if (mprotect((void *)a, len, PROT_READ | PROT_WRITE))
		target_die("mprotect back", a, len);
}

static void mut_advise(uintptr_t a, size_t len, int advice)
{
	if (madvise((void *)a, len, advice))
		target_die("madvise", a, len);
}

/* Punch, protect or zap one page inside the huge page: splits it */
static void mut_thp_split(void)
{
	size_t pages = geo.hpage / geo.page;
	uintptr_t a = region_base(R_THP) +
		      (1 + rnd(&tg.rng, pages - 1)) * geo.page;

	switch (rnd(&tg.rng, 3)) {
	case 0:
		mut_remap(R_THP, a, geo.page);
		break;
	case 1:
		mut_protect(a, geo.page, PROT_READ);
		break;
	default:
		mut_advise(a, geo.page, MADV_DONTNEED);
		break;
	}
}

/* A whole new THP region: the next touch faults in a huge page */
static void mut_thp_new(void)
{
	uintptr_t a = region_base(R_THP);

	if (munmap((void *)a, geo.hpage))
		target_die("munmap", a, geo.hpage);
	target_map(R_THP, a, geo.hpage);
	target_fill(a, geo.hpage);
}

/*
 * In a fork child: nothing writes to this process, so its private memory
 * must stay as it was while callers write into the parent.  MADV_FREE'd
 * pages may still be reclaimed (become 0) in the child; nothing else may
 * change.  The ksm slots are part of the copy too: callers write into
 * the parent's, which may be KSM pages shared with anyone.  A child of a
 * fork storm waits for @release to reach end of file instead of sleeping.
 */
static void cow_child(int release)
{
	unsigned int nslots = ctl->ncallers * ctl->nthreads, id;
	size_t rt_used = (size_t)nslots * geo.rt_slot;
	size_t ks_used = ctl->extended ? (size_t)nslots * geo.page : 0;
	enum region r = rnd(&tg.rng, 2) ? R_STABLE : R_THP;
	size_t len = geo.hpage / 4, i;
	uintptr_t a = region_base(r) + rnd(&tg.rng, 4) * len;
	uint8_t *snap = malloc(rt_used + ks_used + len);
	const uint8_t *now;
	char c;

	if (!snap)
		_exit(EXIT_BROKEN);
	for (id = 0; id < nslots; id++)
		memcpy(snap + id * geo.rt_slot, (void *)rt_slot_addr(id),
		       geo.rt_slot);
	memcpy(snap + rt_used + ks_used, (void *)a, len);
	memcpy(snap + rt_used, (void *)geo.ks, ks_used);
	if (release < 0)
		usleep(1000 + rnd(&tg.rng, 20000));
	else
		while (read(release, &c, 1) > 0 || errno == EINTR)
			;

	now = (const uint8_t *)geo.ks;
	for (i = 0; i < ks_used; i++) {
		if (now[i] != snap[rt_used + i]) {
			say("# FAIL fork child of target %d: ksm slot byte at %#lx changed from %#x to %#x",
			    tg.idx, (unsigned long)(geo.ks + i),
			    snap[rt_used + i], now[i]);
			_exit(EXIT_COW);
		}
	}
	for (id = 0; id < nslots; id++) {
		const uint8_t *was = snap + id * geo.rt_slot;

		now = (const uint8_t *)rt_slot_addr(id);
		for (i = 0; i < geo.rt_slot; i++) {
			if (now[i] != was[i]) {
				say("# FAIL fork child of target %d: round-trip byte at %#lx changed from %#x to %#x",
				    tg.idx, (unsigned long)(now + i), was[i],
				    now[i]);
				_exit(EXIT_COW);
			}
		}
	}
	rt_used += ks_used;	/* the chunk's snapshot follows both */
	now = (const uint8_t *)a;
	for (i = 0; i < len; i++) {
		if (now[i] == snap[rt_used + i] ||
		    (now[i] == 0 && r != R_STABLE))
			continue;
		say("# FAIL fork child of target %d: %s byte at %#lx changed from %#x to %#x",
		    tg.idx, region_name[r], (unsigned long)(a + i),
		    snap[rt_used + i], now[i]);
		_exit(EXIT_COW);
	}
	_exit(0);
}

static void mut_fork(bool exec)
{
	char arg[16];
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return;		/* EAGAIN under load: no mutation this time */
	if (pid > 0) {
		tg.row->stat[exec ? S_M_FORK_EXEC : S_M_FORK]++;
		if (!exec)
			tg.row->stat[S_COW_CHECK]++;
		return;
	}
	tg.rng = seed_for(tg.rng, getpid());
	if (!exec)
		cow_child(-1);
	snprintf(arg, sizeof(arg), "%u", (unsigned int)rnd(&tg.rng, 20000));
	execl("/proc/self/exe", "stress", "--sleep-us", arg, (char *)NULL);
	say("# fork child of target %d: exec /proc/self/exe: %s", tg.idx,
	    strerror(errno));
	_exit(EXIT_BROKEN);
}

/* ---- Mutations that keep every byte ---- */

/* One H-sized THP area: the thp region or a huge page of round-trip slots */
static uintptr_t thp_area(void)
{
	if (rnd(&tg.rng, 2))
		return region_base(R_THP);
	return geo.rt + rnd(&tg.rng, geo.rt_thp_len / geo.hpage) * geo.hpage;
}

/* MADV_COLLAPSE copies the base pages into a new huge page */
static bool mut_collapse(void)
{
	uintptr_t a = thp_area();

	if (!madvise((void *)a, geo.hpage, MADV_COLLAPSE))
		return true;
	/*
	 * EAGAIN: a page was pinned (by a copy) or locked; EINVAL: the area
	 * is in more than one VMA (mremap back need not merge).  Not done.
	 */
	tg.row->stat[S_COLLAPSE_FAIL]++;
	return false;
}

/* A VMA boundary inside a huge page splits its PMD; nothing is zapped */
static void mut_split_keep(void)
{
	size_t pages = geo.hpage / geo.page;
	uintptr_t a = thp_area() + (1 + rnd(&tg.rng, pages - 1)) * geo.page;

	if (madvise((void *)a, geo.page, MADV_NOHUGEPAGE))
		target_die("MADV_NOHUGEPAGE", a, geo.page);
	target_hold();
	/* The same flags again: the VMAs merge back */
	if (madvise((void *)a, geo.page, MADV_HUGEPAGE))
		target_die("MADV_HUGEPAGE", a, geo.page);
}

/* The first number in file @path, -1 if there is none */
static long long file_value(const char *path)
{
	return read_number(path, -1);
}

/* How many of this process's pages KSM has merged right now */
static void ksm_sample(void)
{
	long long n = file_value("/proc/self/ksm_merging_pages");
	uint32_t peak;

	if (n < 0)	/* before Linux 5.19: the global count will do */
		n = file_value("/sys/kernel/mm/ksm/pages_sharing");
	if (n <= 0)
		return;
	tg.row->stat[S_KSM_MERGED]++;
	peak = load32(&ctl->ksm_peak);
	while (n > peak && !__atomic_compare_exchange_n(&ctl->ksm_peak, &peak,
			(uint32_t)n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
}

/*
 * Unmerge (every KSM page in the range is copied back to a private page)
 * and merge again; refill a part of the region that zaps made 0.
 */
static bool mut_ksm(void)
{
	bool slots = rnd(&tg.rng, 2);
	uintptr_t a = slots ? geo.ks : region_base(R_KSM);
	size_t len = slots ? geo.ks_len : geo.hpage;

	ksm_sample();
	/* EINTR, ENOMEM and EAGAIN are possible and harmless */
	if (madvise((void *)a, len, MADV_UNMERGEABLE))
		return false;
	target_hold();
	if (madvise((void *)a, len, MADV_MERGEABLE))
		target_die("MADV_MERGEABLE", a, len);
	pick_pages(R_KSM, &a, &len);
	target_fill(a, len);
	return true;
}

/* A random page range in any area whose bytes are known, slots included */
static void pick_any(uintptr_t *a, size_t *len)
{
	static const enum region any[] = {
		R_ANON, R_SHARED, R_THP, R_KSM, R_STABLE,
	};
	size_t n = rnd(&tg.rng, 7);

	if (n < 5) {
		pick_pages(any[n], a, len);
		return;
	}
	pick_pages(R_ANON, a, len);
	if (n == 5)
		*a = *a - region_base(R_ANON) + geo.rt +
		     rnd(&tg.rng, geo.rt_len / geo.hpage) * geo.hpage;
	else
		*a = *a - region_base(R_ANON) + geo.ks;
}

#define PM_PRESENT	(1ull << 63)
#define PM_EXCLUSIVE	(1ull << 56)
#define PM_PFN		((1ull << 55) - 1)

/* Entries of /proc/self/pagemap for @n pages from @a; false on error */
static bool pagemap_read(uintptr_t a, size_t n, uint64_t *pm)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	ssize_t want = n * sizeof(*pm);
	bool ok;

	if (fd < 0)
		return false;
	ok = pread(fd, pm, want, (off_t)(a / geo.page) * sizeof(*pm)) == want;
	close(fd);
	return ok;
}

/* move_pages(): every page of a range to the other node */
static bool mig_move_pages(void)
{
	size_t n, i, moved = 0;
	void **pages;
	int *nodes, *status, *before, dest;
	uintptr_t a;
	size_t len;

	pick_any(&a, &len);
	n = len / geo.page;
	pages = malloc(n * sizeof(*pages));
	nodes = malloc(n * sizeof(*nodes));
	status = malloc(n * sizeof(*status));
	before = malloc(n * sizeof(*before));
	if (!pages || !nodes || !status || !before)
		target_die("malloc for move_pages", a, len);
	for (i = 0; i < n; i++)
		pages[i] = (void *)(a + i * geo.page);
	/* Where they are (-ENOENT: not present) */
	if (syscall(__NR_move_pages, 0, n, pages, NULL, before, 0))
		goto out;
	dest = before[0] == (int)ctl->mig_node[0] ? ctl->mig_node[1] :
						    ctl->mig_node[0];
	for (i = 0; i < n; i++)
		nodes[i] = dest;
	/* A positive return: pages that could not move (pinned, say) */
	if (syscall(__NR_move_pages, 0, n, pages, nodes, status,
		    MPOL_MF_MOVE) < 0)
		goto out;
	for (i = 0; i < n; i++)
		moved += before[i] >= 0 && before[i] != dest &&
			 status[i] == dest;
out:
	free(pages);
	free(nodes);
	free(status);
	free(before);
	tg.row->stat[S_MIG_PAGES] += moved;
	return moved > 0;
}

/*
 * With one memory node, compaction: it migrates movable pages of the whole
 * node, ours among them, one compaction at a time in the whole run and at
 * most one every 3 s.  A page moved if it was present and mapped by us
 * alone before, and is present at another PFN after: the target itself is
 * blocked in the write meanwhile, nothing forks, so no copy-on-write can
 * have moved it.  Only anon, shared and stable are counted: no THP (whose
 * collapse would move pages too) and no KSM there.
 */
static bool mig_compact(void)
{
	size_t n = 3 * geo.hpage / geo.page, i, moved = 0;
	static const enum region counted[] = { R_ANON, R_SHARED, R_STABLE };
	uint64_t *pm0, *pm1;
	uint32_t idle = 0;
	int r;
	bool ok;

	if (elapsed() * 1000 < load32(&ctl->mig_next_ms) ||
	    !__atomic_compare_exchange_n(&ctl->mig_busy, &idle, 1, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return false;
	pm0 = malloc(2 * n * sizeof(*pm0));
	if (!pm0)
		target_die("malloc for pagemap", 0, n);
	pm1 = pm0 + n;
	ok = true;
	for (r = 0; r < 3; r++)
		ok &= pagemap_read(region_base(counted[r]), n / 3,
				   pm0 + r * (n / 3));
	ok &= !knob_write("/proc/sys/vm/compact_memory", "1\n");
	for (r = 0; r < 3; r++)
		ok &= pagemap_read(region_base(counted[r]), n / 3,
				   pm1 + r * (n / 3));
	store32(&ctl->mig_next_ms, (uint32_t)(elapsed() * 1000) + 3000);
	store32(&ctl->mig_busy, 0);
	for (i = 0; ok && i < n; i++)
		moved += (pm0[i] & (PM_PRESENT | PM_EXCLUSIVE)) ==
			 (PM_PRESENT | PM_EXCLUSIVE) && (pm0[i] & PM_PFN) &&
			 (pm1[i] & PM_PRESENT) &&
			 (pm1[i] & PM_PFN) != (pm0[i] & PM_PFN);
	free(pm0);
	tg.row->stat[S_MIG_PAGES] += moved;
	return moved > 0;
}

/* Bursts of read-only and back while callers copy */
static void mut_prot_flip(uintptr_t a, size_t len)
{
	int i, n = 4 + rnd(&tg.rng, 29);

	for (i = 0; i < n; i++) {
		if (mprotect((void *)a, len, PROT_READ))
			target_die("mprotect", a, len);
		if (!rnd(&tg.rng, 4))
			sched_yield();
		if (mprotect((void *)a, len, PROT_READ | PROT_WRITE))
			target_die("mprotect back", a, len);
	}
}

/* Several children checking their copies, released all at once */
static bool mut_fork_storm(void)
{
	int release[2], i, k = 3 + rnd(&tg.rng, 6), forked = 0;

	if (pipe(release))
		return false;
	for (i = 0; i < k; i++) {
		pid_t pid = fork();

		if (pid < 0)
			break;		/* EAGAIN under load */
		if (!pid) {
			close(release[1]);
			tg.rng = seed_for(tg.rng, getpid());
			cow_child(release[0]);
		}
		forked++;
	}
	close(release[0]);
	target_hold();
	close(release[1]);	/* end of file for all of them */
	tg.row->stat[S_STORM_CHILD] += forked;
	tg.row->stat[S_COW_CHECK] += forked;
	return forked >= 2;
}

static void target_mutate(void)
{
	/* Without --extended: the first NR_MUT_BASIC kinds, and no ksm */
	static const enum region movable[] = { R_ANON, R_SHARED, R_THP, R_KSM };
	static const enum region priv[] = { R_ANON, R_THP, R_KSM };
	size_t kinds = ctl->extended ? NR_MUT_RANDOM : NR_MUT_BASIC;
	enum counter kind = S_M_REMAP + rnd(&tg.rng, kinds);
	/* Every kind once per life first: slow kernels still see them all */
	if (tg.mutations < kinds)
		kind = S_M_REMAP + tg.mutations;
	tg.mutations++;
	enum region r = movable[rnd(&tg.rng, ctl->extended ? 4 : 3)];
	uintptr_t a;
	size_t len;

	if (!have(kind))
		return;		/* found unavailable at the start */
	if (kind == S_M_FREE)
		r = priv[rnd(&tg.rng, ctl->extended ? 3 : 2)];	/* EINVAL on shared */
	pick_pages(r, &a, &len);

	switch (kind) {
	case S_M_REMAP:
		mut_remap(r, a, len);
		break;
	case S_M_MREMAP:
		mut_mremap(a, len);
		break;
	case S_M_PROT_NONE:
		mut_protect(a, len, PROT_NONE);
		break;
	case S_M_PROT_READ:
		mut_protect(a, len, PROT_READ);
		break;
	case S_M_DONTNEED:
		mut_advise(a, len, MADV_DONTNEED);
		break;
	case S_M_FREE:
		mut_advise(a, len, MADV_FREE);
		break;
	case S_M_THP_SPLIT:
		mut_thp_split();
		break;
	case S_M_THP_NEW:
		mut_thp_new();
		break;
	case S_M_FORK:
	case S_M_FORK_EXEC:
		mut_fork(kind == S_M_FORK_EXEC);
		return;		/* counted by mut_fork() if it forked */
	case S_M_COLLAPSE:
		if (!mut_collapse())
			return;
		break;
	case S_M_SPLIT_KEEP:
		mut_split_keep();
		break;
	case S_M_KSM:
		if (!mut_ksm())
			return;
		break;
	case S_M_MIGRATE:
		if (!(ctl->mig_method == MIG_MOVE_PAGES ? mig_move_pages() :
		      mig_compact()))
			return;		/* counted only if pages moved */
		break;
	case S_M_PROT_FLIP:
		mut_prot_flip(a, len);
		break;
	case S_M_FORK_STORM:
		if (!mut_fork_storm())
			return;
		break;
	default:
		return;
	}
	tg.row->stat[kind]++;
}

/* Everything is mapped read-write between mutations: check the model */
static void target_scan(enum region r)
{
	const uint8_t *m = (const uint8_t *)region_base(r);
	const uint8_t *g = golden + (region_base(r) - geo.win);
	size_t i, j;

	tg.row->stat[S_SCAN]++;
	for (i = 0; i < geo.hpage; i += 64) {
		if (!memcmp(m + i, g + i, 64))
			continue;
		for (j = i; j < i + 64; j++) {
			if (m[j] == g[j] || (m[j] == 0 && r != R_STABLE))
				continue;
			report(tg.row, F_SCAN, "target %d: %s byte at %#lx is %#x, model says %#x%s",
			       tg.idx, region_name[r],
			       (unsigned long)region_base(r) + j, m[j], g[j],
			       r == R_STABLE ? "" : " or 0");
			return;
		}
	}
}

static void target_end_of_life(void)
{
	char idx[16], fd[16];

	target_reap(true);
	target_unstable();
	if (rnd(&tg.rng, 2)) {
		tg.row->stat[S_M_EXIT]++;
		exit(EXIT_REPLACE);
	}
	tg.row->stat[S_M_EXEC]++;
	snprintf(idx, sizeof(idx), "%d", tg.idx);
	snprintf(fd, sizeof(fd), "%d", ctl_fd);
	execl("/proc/self/exe", "stress", "--target", idx, "--ctl-fd", fd,
	      (char *)NULL);
	target_die("exec /proc/self/exe", 0, 0);
}

static void target_run(int idx)
{
	double min_life, max_life;
	uint32_t inc;

	tg.idx = idx;
	tg.row = &ctl->target[idx];
	tg.slot = &ctl->slot[idx];
	inc = __atomic_add_fetch(&ctl->incarnation[idx], 1, __ATOMIC_SEQ_CST);
	tg.rng = seed_for(ctl->seed, 1000 + idx * 100003 + inc);
	geo_init();
	golden_init();
	target_setup();

	/* Several lives per run, each long enough to see many mutations */
	min_life = ctl->seconds / 12.0;
	max_life = ctl->seconds / 4.0;
	if (min_life < 0.3)
		min_life = 0.3;
	if (max_life > 5)
		max_life = 5;
	if (max_life < min_life)
		max_life = min_life;
	tg.born = elapsed();
	tg.life = min_life + (max_life - min_life) * rnd(&tg.rng, 1000) / 1000;
	tg.last_scan = tg.born;

	while (!load32(&ctl->stop_targets)) {
		double now = elapsed();

		target_reap(false);
		if (now - tg.born > tg.life)
			target_end_of_life();
		target_mutate();
		if (now - tg.last_scan > 0.5) {
			target_scan(R_ANON + tg.next_scan);
			if (have(S_M_KSM))
				ksm_sample();
			tg.next_scan = (tg.next_scan + 1) %
				       ((ctl->extended ? R_KSM : R_STABLE) - R_ANON + 1);
			tg.last_scan = now;
		}
		usleep(rnd(&tg.rng, 1000));
	}
	target_reap(true);
	target_unstable();
	exit(0);
}

/* ------------------------------------------------------------------ */
/* Callers                                                            */

struct caller {
	int id;
	struct row *row;
	uint64_t rng;
	uint8_t *lbuf;		/* CANARY wherever no transfer is expected */
	size_t used;		/* bytes of lbuf the current layout spans */
	struct iovec liov[MAX_IOV], riov[MAX_IOV];
	int nl, nr;
	size_t ltotal, rtotal;
	/* the call being checked */
	const char *op;
	unsigned long flags;
	pid_t pid;
	bool stable;		/* the target's epoch did not move */
	const uint8_t *expect;	/* round trips: what the slot holds */
	uintptr_t expect_base;
	uint32_t gen;
	/* round-trip slot contents, per target */
	uint8_t *kexp;		/* and of the ksm slot page */
	uint8_t *shadow[MAX_TARGETS];
	uint32_t shadow_epoch[MAX_TARGETS];
	bool shadow_ok[MAX_TARGETS];
};

#define LBUF_LEN	(CALL_CAP + MAX_IOV * 16 + 256)

static const uint8_t canary_block[64] = {
	[0 ... 63] = CANARY,
};

typedef bool (*seg_fn)(struct caller *c, uint8_t *l, uintptr_t ra, size_t n);

/* Pair the first @count bytes of the local and remote sides in order */
static bool walk(struct caller *c, size_t count, seg_fn fn)
{
	size_t lo = 0, ro = 0;
	int li = 0, ri = 0;

	while (count) {
		size_t n;

		while (li < c->nl && lo == c->liov[li].iov_len) {
			li++;
			lo = 0;
		}
		while (ri < c->nr && ro == c->riov[ri].iov_len) {
			ri++;
			ro = 0;
		}
		if (li == c->nl || ri == c->nr)
			return false;
		n = c->liov[li].iov_len - lo;
		if (n > c->riov[ri].iov_len - ro)
			n = c->riov[ri].iov_len - ro;
		if (n > count)
			n = count;
		if (!fn(c, (uint8_t *)c->liov[li].iov_base + lo,
			(uintptr_t)c->riov[ri].iov_base + ro, n))
			return false;
		lo += n;
		ro += n;
		count -= n;
	}
	return true;
}

static int pick_count(struct caller *c)
{
	return rnd(&c->rng, 2) ? 1 + rnd(&c->rng, 4) : 1 + rnd(&c->rng, MAX_IOV);
}

/* @n - 1 sorted random cut points of [0, total] in cut[1..n-1] */
static void cut_points(struct caller *c, size_t *cut, int n, size_t total)
{
	int i, j;

	cut[0] = 0;
	cut[n] = total;
	for (i = 1; i < n; i++) {
		size_t v = rnd(&c->rng, total + 1);

		for (j = i; j > 1 && cut[j - 1] > v; j--)
			cut[j] = cut[j - 1];
		cut[j] = v;
	}
}

/* Local iovecs for @total bytes, with untouchable gaps between them */
static void layout_local(struct caller *c, size_t total)
{
	size_t cut[MAX_IOV + 1], pos = 0;
	int i, n = pick_count(c);

	cut_points(c, cut, n, total);
	for (i = 0; i < n; i++) {
		pos += rnd(&c->rng, 4) ? 0 : 1 + rnd(&c->rng, 15);
		c->liov[i].iov_base = c->lbuf + pos;
		c->liov[i].iov_len = cut[i + 1] - cut[i];
		pos += cut[i + 1] - cut[i];
	}
	c->nl = n;
	c->ltotal = total;
	c->used = pos + 64;	/* and a tail that must stay CANARY */
}

/* Remote iovecs covering [@base, @base + @len) in shuffled pieces */
static void layout_remote_split(struct caller *c, uintptr_t base, size_t len)
{
	size_t cut[MAX_IOV + 1];
	int i, n = pick_count(c);

	cut_points(c, cut, n, len);
	for (i = 0; i < n; i++) {
		c->riov[i].iov_base = (void *)(base + cut[i]);
		c->riov[i].iov_len = cut[i + 1] - cut[i];
	}
	for (i = n - 1; i > 0; i--) {
		struct iovec t = c->riov[i];
		int j = rnd(&c->rng, i + 1);

		c->riov[i] = c->riov[j];
		c->riov[j] = t;
	}
	c->nr = n;
	c->rtotal = len;
}

/* One random remote range in the zone, often across a page or region edge */
static void pick_remote(struct caller *c, bool stable_only, uintptr_t *addr,
			size_t *len)
{
	uintptr_t lo = geo.win, hi = geo.win + geo.zone_len, a;
	size_t n, r = rnd(&c->rng, 100);

	if (stable_only) {
		lo = region_base(R_STABLE);
		hi = lo + geo.hpage;
	}
	switch (rnd(&c->rng, 4)) {
	case 0:		/* near a page edge */
		a = lo + rnd(&c->rng, (hi - lo) / geo.page) * geo.page +
		    rnd(&c->rng, 129) - 64;
		break;
	case 1:		/* near a region (PMD) edge */
		a = lo + rnd(&c->rng, (hi - lo) / geo.hpage + 1) * geo.hpage +
		    rnd(&c->rng, 2 * geo.page) - geo.page;
		break;
	default:
		a = lo + rnd(&c->rng, hi - lo);
		break;
	}
	if (r < 50)
		n = 1 + rnd(&c->rng, 64);
	else if (r < 80)
		n = 1 + rnd(&c->rng, 2 * geo.page);
	else if (r < 95)
		n = 1 + rnd(&c->rng, 64 << 10);
	else
		n = 1 + rnd(&c->rng, geo.hpage);
	if (a < lo)
		a = lo;
	if (a >= hi)
		a = hi - 1;
	if (n > hi - a)
		n = hi - a;
	if (!rnd(&c->rng, 32))
		n = 0;
	*addr = a;
	*len = n;
}

static void layout_remote_random(struct caller *c, bool stable_only)
{
	size_t total = 0, len;
	int i, n = pick_count(c);
	uintptr_t a;

	for (i = 0; i < n; i++) {
		pick_remote(c, stable_only, &a, &len);
		if (len > CALL_CAP - total)
			len = CALL_CAP - total;
		c->riov[i].iov_base = (void *)a;
		c->riov[i].iov_len = len;
		total += len;
	}
	c->nr = n;
	c->rtotal = total;
}

static bool seg_fill_model(struct caller *c, uint8_t *l, uintptr_t ra,
			   size_t n)
{
	(void)c;
	memcpy(l, golden + (ra - geo.win), n);
	return true;
}

static bool seg_check_model(struct caller *c, uint8_t *l, uintptr_t ra,
			    size_t n)
{
	const uint8_t *g = golden + (ra - geo.win);
	size_t i;

	if (memcmp(l, g, n)) {
		for (i = 0; i < n; i++) {
			if (l[i] == g[i] ||
			    (l[i] == 0 && !(c->stable && in_stable(ra + i))))
				continue;
			report(c->row, F_DATA, "readv pid %d: byte from %s %#lx is %#x, model says %#x%s",
			       c->pid, zone_name((ra + i - geo.win) / geo.hpage),
			       (unsigned long)(ra + i), l[i], g[i],
			       c->stable && in_stable(ra + i) ? "" : " or 0");
			return false;
		}
	}
	memset(l, CANARY, n);
	return true;
}

static bool seg_fill_rt(struct caller *c, uint8_t *l, uintptr_t ra, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		l[i] = rt_byte(ra + i, c->gen);
	return true;
}

static bool seg_save_rt(struct caller *c, uint8_t *l, uintptr_t ra, size_t n)
{
	memcpy((uint8_t *)c->expect + (ra - c->expect_base), l, n);
	return true;
}

static bool seg_check_rt(struct caller *c, uint8_t *l, uintptr_t ra, size_t n)
{
	const uint8_t *e = c->expect + (ra - c->expect_base);
	size_t i;

	for (i = 0; i < n; i++) {
		if (l[i] == e[i])
			continue;
		report(c->row, F_RT, "round trip pid %d: readv of %#lx gave %#x, writev stored %#x",
		       c->pid, (unsigned long)(ra + i), l[i], e[i]);
		return false;
	}
	memset(l, CANARY, n);
	return true;
}

/* Everything of lbuf outside the transfer (already reset) is CANARY */
static void check_canary(struct caller *c, long ret, enum fail f)
{
	size_t i, j;

	for (i = 0; i < c->used; i += 64) {
		if (!memcmp(c->lbuf + i, canary_block, 64))
			continue;
		for (j = i; c->lbuf[j] == CANARY; j++)
			;
		report(c->row, f, "%s pid %d: local byte %zu of %zu changed to %#x, count %ld",
		       c->op, c->pid, j, c->used, c->lbuf[j], ret);
		break;
	}
	memset(c->lbuf, CANARY, c->used);
}

/* The count or errno against the contract; true if bytes moved */
static bool check_count(struct caller *c, long ret, int err, bool must_full)
{
	size_t want = c->ltotal < c->rtotal ? c->ltotal : c->rtotal;

	if (ret < 0) {
		if (err == EFAULT)
			c->row->stat[S_EFAULT]++;
		else if (err == ESRCH)
			c->row->stat[S_ESRCH]++;
		else if (err == ENOMEM)
			c->row->stat[S_ENOMEM]++;
		else
			report(c->row, F_COUNT, "%s pid %d: errno %d (%s) is not in the contract",
			       c->op, c->pid, err, strerror(err));
		if (!want)
			report(c->row, F_COUNT, "%s pid %d: %s on a zero-length transfer",
			       c->op, c->pid, strerror(err));
		else if (err == ESRCH && c->stable)
			report(c->row, F_COUNT, "%s pid %d: ESRCH while the target lived",
			       c->op, c->pid);
		else if (must_full)
			report(c->row, F_COUNT, "%s pid %d: %s on stable memory (%zu bytes)",
			       c->op, c->pid, strerror(err), want);
		return false;
	}
	if ((size_t)ret > want) {
		report(c->row, F_COUNT, "%s pid %d: count %ld > %zu requested",
		       c->op, c->pid, ret, want);
		return false;
	}
	if (!ret && want)
		report(c->row, F_COUNT, "%s pid %d: count 0 of %zu and no error",
		       c->op, c->pid, want);
	if (must_full && (size_t)ret != want)
		report(c->row, F_COUNT, "%s pid %d: count %ld of %zu on stable memory",
		       c->op, c->pid, ret, want);
	if ((size_t)ret == want)
		c->row->stat[S_FULL]++;
	else
		c->row->stat[S_PARTIAL]++;
	if (must_full && (size_t)ret == want)
		c->row->stat[S_STABLE_FULL]++;
	return true;
}

static long call(struct caller *c, bool write)
{
	return syscall(write ? CMA_NR_WRITEV : CMA_NR_READV, c->pid,
		       c->liov, (unsigned long)c->nl,
		       c->riov, (unsigned long)c->nr, c->flags);
}

/*
 * Reductions that keep the model, so that they can run against the same
 * changing targets as copies: a writev with BOR leaves f(a) | f(a) and
 * 0 | f(a), both f(a); a readv with BXOR into the CANARY-filled buffer
 * leaves CANARY ^ r where r was reduced and CANARY elsewhere, and
 * seg_unxor() turns the reduced bytes back into r for the model's check.
 */
static unsigned long pick_reduce(struct caller *c, bool write)
{
	if (!ctl->have_reduce || rnd(&c->rng, 4))
		return 0;
	c->row->stat[S_REDUCE]++;
	return CMA_REDUCE(write ? CMA_OP_BOR : CMA_OP_BXOR, CMA_TYPE_U8);
}

static bool seg_unxor(struct caller *c, uint8_t *l, uintptr_t ra, size_t n)
{
	size_t i;

	(void)c;
	(void)ra;
	for (i = 0; i < n; i++)
		l[i] ^= CANARY;
	return true;
}

/* Snapshot of a target: false if it is between address spaces */
static bool target_get(struct caller *c, int t, uint32_t *epoch)
{
	*epoch = load32(&ctl->slot[t].epoch);
	c->pid = __atomic_load_n(&ctl->slot[t].pid, __ATOMIC_SEQ_CST);
	return !(*epoch & 1) && c->pid > 0;
}

/* A random readv or writev of the model against a changing target */
static void op_random(struct caller *c, int t, bool write)
{
	bool stable_only = !rnd(&c->rng, 8);
	uint32_t e1;
	size_t lt;
	long ret;
	int err;

	/* A target in the middle of exit or exec is fair game here */
	if (!target_get(c, t, &e1) && c->pid <= 0) {
		usleep(1000);
		return;
	}
	layout_remote_random(c, stable_only);
	lt = rnd(&c->rng, 2) ? c->rtotal : rnd(&c->rng, c->rtotal * 3 / 2 + 2);
	layout_local(c, lt < CALL_CAP ? lt : CALL_CAP);
	c->flags = pick_reduce(c, write);
	c->op = write ? (c->flags ? "writev BOR" : "writev") :
			(c->flags ? "readv BXOR" : "readv");
	if (write)
		walk(c, c->ltotal, seg_fill_model);

	ret = call(c, write);
	err = errno;
	c->stable = !(e1 & 1) && load32(&ctl->slot[t].epoch) == e1;
	c->row->stat[write ? S_WRITEV : S_READV]++;

	if (check_count(c, ret, err, stable_only && c->stable))
		c->row->stat[write ? S_BYTES_WRITTEN : S_BYTES_READ] += ret;
	if (write) {
		c->flags = 0;
		memset(c->lbuf, CANARY, c->used);
		return;
	}
	if (c->flags && ret > 0)
		walk(c, ret, seg_unxor);
	c->flags = 0;
	/* The transferred bytes are checked and reset, the rest untouched */
	if (ret > 0 && !walk(c, ret, seg_check_model))
		memset(c->lbuf, CANARY, c->used);
	check_canary(c, ret, F_DATA);
}

/*
 * One half of a round trip: all @len bytes must move, unless the target
 * changed under the call; either way a failed half leaves the slot unknown.
 */
static bool rt_call(struct caller *c, int t, uint32_t epoch, size_t len,
		    bool write)
{
	long ret = call(c, write);
	int err = errno;

	c->stable = load32(&ctl->slot[t].epoch) == epoch;
	c->row->stat[write ? S_WRITEV : S_READV]++;
	if (!c->stable) {
		c->row->stat[S_RT_SKIP]++;
	} else if (ret != (long)len) {
		report(c->row, F_RT, "%s pid %d: count %ld of %zu (%s)", c->op,
		       c->pid, ret, len, ret < 0 ? strerror(err) : "short");
	} else {
		c->row->stat[write ? S_BYTES_WRITTEN : S_BYTES_READ] += ret;
		return true;
	}
	c->shadow_ok[t] = false;
	memset(c->lbuf, CANARY, c->used);
	return false;
}

/*
 * Round trip in the slot only this thread touches: writev new bytes with one
 * shape, readv a part back with another, and get exactly what was written.
 */
static void op_round_trip(struct caller *c, int t)
{
	uintptr_t base = rt_slot_addr(c->id);
	size_t off = 0, len = geo.rt_slot;
	uint32_t e1;

	if (!target_get(c, t, &e1)) {
		usleep(1000);
		return;
	}
	/* After an exec or a new target the slot holds f() again: rewrite all */
	if (c->shadow_ok[t] && c->shadow_epoch[t] == e1) {
		off = rnd(&c->rng, geo.rt_slot);
		len = 1 + rnd(&c->rng, geo.rt_slot - off);
	}
	c->gen++;
	c->op = "round-trip writev";
	c->expect = c->shadow[t];
	c->expect_base = base;
	layout_remote_split(c, base + off, len);
	layout_local(c, len);
	walk(c, len, seg_fill_rt);
	if (!rt_call(c, t, e1, len, true))
		return;
	walk(c, len, seg_save_rt);
	memset(c->lbuf, CANARY, c->used);
	c->shadow_ok[t] = true;
	c->shadow_epoch[t] = e1;

	off = rnd(&c->rng, 2) ? 0 : rnd(&c->rng, geo.rt_slot);
	len = geo.rt_slot - off;
	c->op = "round-trip readv";
	layout_remote_split(c, base + off, len);
	layout_local(c, len);
	if (!rt_call(c, t, e1, len, false))
		return;
	c->row->stat[S_RT]++;
	if (!walk(c, len, seg_check_rt))
		memset(c->lbuf, CANARY, c->used);
	check_canary(c, len, F_RT);
}

/* Is the page at @a of process @pid a KSM page now?  (Needs root.) */
static bool is_ksm_page(pid_t pid, uintptr_t a)
{
	static __thread int kpf = -1;
	char path[64];
	uint64_t pm = 0, flags = 0;
	int fd;

	if (!ctl->have_kpageflags)
		return false;
	if (kpf < 0)
		kpf = open("/proc/kpageflags", O_RDONLY);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0 || kpf < 0)
		goto out;
	if (pread(fd, &pm, sizeof(pm), (off_t)(a / geo.page) * sizeof(pm)) !=
	    sizeof(pm) || !(pm & PM_PRESENT) || !(pm & PM_PFN))
		goto out;
	if (pread(kpf, &flags, sizeof(flags),
		  (off_t)(pm & PM_PFN) * sizeof(flags)) != sizeof(flags))
		flags = 0;
out:
	if (fd >= 0)
		close(fd);
	return flags & (1ull << 21);	/* KPF_KSM */
}

static bool seg_fill_ksm(struct caller *c, uint8_t *l, uintptr_t ra, size_t n)
{
	size_t i;

	(void)c;
	for (i = 0; i < n; i++)
		l[i] = ksm_byte(ra + i - geo.ks);
	return true;
}

/*
 * Round trip in this thread's page of the ksm slots, which holds the ksm
 * pattern at the start and the end, so KSM merges it between two of these:
 * writev fresh bytes into a part, readv the whole page, writev the pattern
 * back, readv the whole page.  Exact, or the target changed meanwhile.
 */
static void op_ksm_round_trip(struct caller *c, int t)
{
	uintptr_t base = geo.ks + c->id * geo.page;
	size_t off = rnd(&c->rng, geo.page);
	size_t len = 1 + rnd(&c->rng, geo.page - off), i;
	bool merged;
	uint32_t e1;
	int pass;

	if (!target_get(c, t, &e1)) {
		usleep(1000);
		return;
	}
	merged = is_ksm_page(c->pid, base);
	for (i = 0; i < geo.page; i++)
		c->kexp[i] = ksm_byte(i);
	c->expect = c->kexp;
	c->expect_base = base;
	for (pass = 0; pass < 2; pass++) {
		c->gen++;
		c->op = pass ? "ksm slot writev of the pattern" :
			       "ksm slot writev";
		layout_remote_split(c, base + off, len);
		layout_local(c, len);
		walk(c, len, pass ? seg_fill_ksm : seg_fill_rt);
		if (!rt_call(c, t, e1, len, true))
			return;
		walk(c, len, seg_save_rt);
		memset(c->lbuf, CANARY, c->used);

		c->op = "ksm slot readv";
		layout_remote_split(c, base, geo.page);
		layout_local(c, geo.page);
		if (!rt_call(c, t, e1, geo.page, false))
			return;
		if (!walk(c, geo.page, seg_check_rt))
			memset(c->lbuf, CANARY, c->used);
		check_canary(c, geo.page, F_RT);
	}
	c->row->stat[S_KSM_RT]++;
	c->row->stat[S_KSM_RT_HIT] += merged;
}

/*
 * All caller threads read the same half of one target's stable or thp
 * region in the same 10 ms of every 100 ms: many pins of one folio at once.
 */
static bool op_shared_read(struct caller *c)
{
	uint32_t ms = (uint32_t)(elapsed() * 1000), slot = ms / 100, e1, n;
	size_t len = geo.hpage / 2 < CALL_CAP ? geo.hpage / 2 : CALL_CAP;
	enum region r = slot % 2 ? R_THP : R_STABLE;
	int t = (slot / 2) % ctl->ntargets;
	uintptr_t base = region_base(r) + (slot / 4) % 2 * (geo.hpage / 2);
	uint32_t peak;
	long ret;
	int err;

	if (!have(S_SHARED_READ) || ms % 100 >= 10)
		return false;
	if (!target_get(c, t, &e1)) {
		usleep(1000);
		return true;
	}
	layout_remote_split(c, base, len);
	layout_local(c, len);
	c->op = "shared readv";
	n = __atomic_add_fetch(&ctl->shared_now, 1, __ATOMIC_SEQ_CST);
	peak = load32(&ctl->shared_peak);
	while (n > peak && !__atomic_compare_exchange_n(&ctl->shared_peak,
			&peak, n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
	ret = call(c, false);
	err = errno;
	__atomic_sub_fetch(&ctl->shared_now, 1, __ATOMIC_SEQ_CST);
	c->stable = load32(&ctl->slot[t].epoch) == e1;
	c->row->stat[S_READV]++;
	c->row->stat[S_SHARED_READ]++;
	if (check_count(c, ret, err, r == R_STABLE && c->stable))
		c->row->stat[S_BYTES_READ] += ret;
	if (ret > 0 && !walk(c, ret, seg_check_model))
		memset(c->lbuf, CANARY, c->used);
	check_canary(c, ret, F_DATA);
	return true;
}

static bool caller_should_stop(uint32_t ncalls)
{
	uint32_t n = __atomic_add_fetch(&ctl->calls, ncalls, __ATOMIC_SEQ_CST);

	return n > ctl->max_calls || elapsed() >= ctl->seconds ||
	       load32(&ctl->stop_callers);
}

static void *caller_thread(void *arg)
{
	struct caller *c = arg;
	int t;

	for (;;) {
		unsigned int op = rnd(&c->rng, 8);

		if (caller_should_stop(op >= 6 ? 2 : 1))
			break;
		if (op_shared_read(c))
			continue;
		t = rnd(&c->rng, ctl->ntargets);
		if (op < 4)
			op_random(c, t, false);
		else if (op < 6)
			op_random(c, t, true);
		else if (op == 7 && have(S_M_KSM) && rnd(&c->rng, 2))
			op_ksm_round_trip(c, t);
		else
			op_round_trip(c, t);
	}
	return NULL;
}

static void caller_process(int first)
{
	struct caller *cs = calloc(ctl->nthreads, sizeof(*cs));
	pthread_t th[MAX_THREADS];
	unsigned int i, t;

	geo_init();
	golden_init();
	if (!cs)
		exit(EXIT_BROKEN);
	for (i = 0; i < ctl->nthreads; i++) {
		struct caller *c = &cs[i];

		c->id = first + i;
		c->row = &ctl->caller[c->id];
		c->rng = seed_for(ctl->seed, 1 + c->id);
		c->lbuf = malloc(LBUF_LEN);
		if (!c->lbuf)
			exit(EXIT_BROKEN);
		memset(c->lbuf, CANARY, LBUF_LEN);
		c->kexp = malloc(geo.page);
		if (!c->kexp)
			exit(EXIT_BROKEN);
		for (t = 0; t < ctl->ntargets; t++) {
			c->shadow[t] = malloc(geo.rt_slot);
			if (!c->shadow[t])
				exit(EXIT_BROKEN);
		}
		if (pthread_create(&th[i], NULL, caller_thread, c)) {
			say("# caller %d: pthread_create failed", c->id);
			exit(EXIT_BROKEN);
		}
	}
	for (i = 0; i < ctl->nthreads; i++)
		pthread_join(th[i], NULL);
	exit(0);
}

/* ------------------------------------------------------------------ */
/* Supervisor                                                         */

/* Highest AnonHugePages seen: proof that huge pages were really mapped */
static long long thp_peak_kb;

static void sample_thp(void)
{
	long long kb = read_field("/proc/meminfo", "AnonHugePages", -1);

	if (kb > thp_peak_kb)
		thp_peak_kb = kb;
}

static pid_t spawn(void (*fn)(int), int arg)
{
	pid_t pid = fork();

	if (pid == 0)
		fn(arg);
	if (pid < 0)
		report(&ctl->super, F_PROC, "fork: %s", strerror(errno));
	return pid;
}

static void ended_badly(const char *what, int idx, int status)
{
	if (WIFEXITED(status))
		report(&ctl->super, F_PROC, "%s %d exited with %d", what, idx,
		       WEXITSTATUS(status));
	else
		report(&ctl->super, F_PROC, "%s %d killed by signal %d", what,
		       idx, WTERMSIG(status));
}

/*
 * Run targets and callers until the callers stop by themselves, replacing
 * targets that end their lives; then stop the targets.  Return: false if
 * something had to be killed because it did not stop in time.
 */
static bool supervise(void)
{
	pid_t tpid[MAX_TARGETS] = { 0 }, cpid[MAX_THREADS] = { 0 };
	double grace = ctl->seconds + 60;
	unsigned int i, callers = 0;
	bool killed = false;

	for (i = 0; i < ctl->ntargets; i++)
		tpid[i] = spawn(target_run, i);
	for (i = 0; i < ctl->ncallers; i++) {
		cpid[i] = spawn(caller_process, i * ctl->nthreads);
		callers += cpid[i] > 0;
	}
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid < 0)
			break;		/* ECHILD: everything is reaped */
		if (pid == 0) {
			if (!callers && !load32(&ctl->stop_targets))
				store32(&ctl->stop_targets, 1);
			if (elapsed() > grace && !killed) {
				report(&ctl->super, F_PROC, "still running %.0f s after the end: killing",
				       grace - ctl->seconds);
				store32(&ctl->stop_callers, 1);
				for (i = 0; i < ctl->ntargets; i++)
					if (tpid[i] > 0)
						kill(tpid[i], SIGKILL);
				for (i = 0; i < ctl->ncallers; i++)
					if (cpid[i] > 0)
						kill(cpid[i], SIGKILL);
				killed = true;
			}
			sample_thp();
			usleep(20000);
			continue;
		}
		for (i = 0; i < ctl->ncallers; i++) {
			if (cpid[i] != pid)
				continue;
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				ended_badly("caller process", i, status);
			cpid[i] = 0;
			callers--;
		}
		for (i = 0; i < ctl->ntargets; i++) {
			struct slot *s = &ctl->slot[i];
			bool planned;

			if (tpid[i] != pid)
				continue;
			/* An end of life may cross the order to stop */
			planned = WIFEXITED(status) &&
				  (WEXITSTATUS(status) == EXIT_REPLACE ||
				   (!WEXITSTATUS(status) && load32(&ctl->stop_targets)));
			if (!planned)
				ended_badly("target", i, status);
			if (!(load32(&s->epoch) & 1))
				store32(&s->epoch, load32(&s->epoch) + 1);
			__atomic_store_n(&s->pid, 0, __ATOMIC_SEQ_CST);
			tpid[i] = 0;
			if (!load32(&ctl->stop_targets))
				tpid[i] = spawn(target_run, i);
		}
	}
	return !killed;
}

/* ---- PROCESS_VM_PIDFD: a pidfd never reaches a recycled pid ---- */

#define RC_LEN		(64 * 1024)
#define RC_OLD		0xa5		/* the bytes of the child we name */
#define RC_NEW		0x5b		/* those of the child that gets its pid */

static uint8_t rc_buf[RC_LEN];		/* same address in both children */
static int rc_pidfd;
static uint32_t rc_stop;

/* A child with rc_buf full of its byte (RC_OLD or RC_NEW) */
static int rc_fill(struct target *t)
{
	memset(rc_buf, *(const uint8_t *)t->arg, RC_LEN);
	return 0;
}

/* Read the old child through the pidfd until told to stop */
static void *rc_reader(void *arg __attribute__((unused)))
{
	static uint8_t got[RC_LEN];
	struct iovec l = { got, RC_LEN }, r = { rc_buf, RC_LEN };

	while (!load32(&rc_stop)) {
		long ret = syscall(CMA_NR_READV, rc_pidfd, &l, 1, &r, 1,
				   CMA_PIDFD);
		long i;

		if (ret < 0) {
			if (errno == ESRCH)
				__atomic_add_fetch(&ctl->rc_esrch, 1, __ATOMIC_RELAXED);
			else if (errno != EFAULT)	/* an mm being torn down */
				__atomic_add_fetch(&ctl->rc_bad, 1, __ATOMIC_RELAXED);
			continue;
		}
		__atomic_add_fetch(&ctl->rc_reads, 1, __ATOMIC_RELAXED);
		for (i = 0; i < ret; i++) {
			if (got[i] != RC_OLD) {
				__atomic_add_fetch(&ctl->rc_bad, 1, __ATOMIC_RELAXED);
				say("pidfd read byte %ld = %#x, not the old child's %#x\n",
				    i, got[i], RC_OLD);
				break;
			}
		}
	}
	return NULL;
}

/* One round: name a child, kill it mid-reads, give its pid to another */
static void rc_round(uint64_t *seed)
{
	static const uint8_t old_byte = RC_OLD, new_byte = RC_NEW;
	struct target old = { .setup = rc_fill, .arg = (void *)&old_byte };
	struct target new = { .setup = rc_fill, .arg = (void *)&new_byte };
	uint8_t got[16];
	struct iovec l = { got, sizeof(got) }, r = { rc_buf, sizeof(got) };
	pthread_t reader;

	if (target_start(&old))
		return;
	rc_pidfd = syscall(__NR_pidfd_open, old.pid, 0);
	if (rc_pidfd < 0) {
		target_stop(&old);
		return;
	}
	store32(&rc_stop, 0);
	if (pthread_create(&reader, NULL, rc_reader, NULL)) {
		rc_stop = 1;
	} else {
		usleep(rnd(seed, 3000));
		new.as = old.pid;
		target_stop(&old);
		if (!target_start(&new))
			usleep(rnd(seed, 2000));
		store32(&rc_stop, 1);
		pthread_join(reader, NULL);
		if (new.pid < 0) {
			ctl->rc_taken++;	/* someone else got the pid first */
		} else {
			ctl->rc_recycled++;
			/* the old pidfd: nothing; the pid number: the new child */
			if (syscall(CMA_NR_READV, rc_pidfd, &l, 1, &r, 1,
				    CMA_PIDFD) != -1 || errno != ESRCH)
				ctl->rc_bad++;
			if (syscall(CMA_NR_READV, new.pid, &l, 1, &r, 1, 0) !=
			    sizeof(got) || got[0] != RC_NEW)
				ctl->rc_bad++;
			target_stop(&new);
		}
	}
	close(rc_pidfd);
	ctl->rc_rounds++;
}

static void recycler(int unused __attribute__((unused)))
{
	uint64_t seed = seed_for(ctl->seed, 0x5ec7c1e);

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (elapsed() < ctl->seconds && !load32(&ctl->stop_callers))
		rc_round(&seed);
	_exit(0);
}

static uint64_t sum_stat(enum counter s)
{
	uint64_t v = ctl->super.stat[s];
	unsigned int i;

	for (i = 0; i < MAX_THREADS; i++)
		v += ctl->caller[i].stat[s];
	for (i = 0; i < MAX_TARGETS; i++)
		v += ctl->target[i].stat[s];
	return v;
}

static uint32_t sum_fail(enum fail f)
{
	uint32_t v = ctl->super.fail[f];
	unsigned int i;

	for (i = 0; i < MAX_THREADS; i++)
		v += ctl->caller[i].fail[f];
	for (i = 0; i < MAX_TARGETS; i++)
		v += ctl->target[i].fail[f];
	return v;
}

/* ---- What the kernel can do: probed once, before anything starts ---- */

static void unavailable(enum counter kind, const char *name, const char *fmt,
			...) __attribute__((format(printf, 3, 4)));
static void unavailable(enum counter kind, const char *name, const char *fmt,
			...)
{
	char why[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	ctl->unavail |= 1u << (kind - S_M_REMAP);
	printf("# %s: unavailable (%s)\n", name, why);
}

static char ksm_run_before[16];	/* restored at the end if we changed it */

/* Write @val to sysfs file @path; false (errno set) if that failed */
static bool sysfs_write(const char *path, const char *val)
{
	return !knob_write(path, "%s", val);
}

static void probe_kinds(bool thp)
{
	size_t len = 2 * ctl->hpage;
	uint8_t *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *h = (uint8_t *)(((uintptr_t)m + ctl->hpage - 1) &
				 ~((uintptr_t)ctl->hpage - 1));
	void *page = m;
	uint64_t pm = 0;
	int st = 0, fd, nodes;

	if (m == MAP_FAILED) {
		perror("stress: probe mapping");
		exit(1);
	}
	memset(m, 1, len);

	if (!thp) {
		unavailable(S_M_COLLAPSE, "thp collapse", "no THP");
		unavailable(S_M_SPLIT_KEEP, "split in place", "no THP");
	} else {
		madvise(h, ctl->hpage, MADV_HUGEPAGE);
		if (madvise(h, ctl->hpage, MADV_COLLAPSE) && errno == EINVAL)
			unavailable(S_M_COLLAPSE, "thp collapse",
				    "MADV_COLLAPSE: EINVAL, before Linux 6.1");
	}

	if (access("/sys/kernel/mm/ksm/run", F_OK)) {
		unavailable(S_M_KSM, "ksm", "no /sys/kernel/mm/ksm");
	} else if (madvise(m, len, MADV_MERGEABLE)) {
		unavailable(S_M_KSM, "ksm", "MADV_MERGEABLE: %s",
			    strerror(errno));
	} else if (file_value("/sys/kernel/mm/ksm/run") != 1) {
		snprintf(ksm_run_before, sizeof(ksm_run_before), "%lld\n",
			 file_value("/sys/kernel/mm/ksm/run"));
		if (!sysfs_write("/sys/kernel/mm/ksm/run", "1\n")) {
			unavailable(S_M_KSM, "ksm",
				    "ksmd stopped and /sys/kernel/mm/ksm/run: %s",
				    strerror(errno));
			ksm_run_before[0] = 0;
		} else {
			printf("# ksm: ksmd started (run was %.1s), stopped again at the end\n",
			       ksm_run_before);
		}
	}
	if (have(S_M_KSM))
		printf("# ksm: %lld pages every %lld ms\n",
		       file_value("/sys/kernel/mm/ksm/pages_to_scan"),
		       file_value("/sys/kernel/mm/ksm/sleep_millisecs"));
	else
		unavailable(S_KSM_MERGED, "ksm merged seen", "no ksm");
	if (!have(S_M_KSM))
		unavailable(S_KSM_RT, "ksm round trips", "no ksm");

	/* PFNs in pagemap (root only) and /proc/kpageflags (PROC_PAGE_MONITOR) */
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd >= 0 && pread(fd, &pm, sizeof(pm),
			     (off_t)((uintptr_t)m / ctl->page) * sizeof(pm)) !=
	    sizeof(pm))
		pm = 0;
	if (fd >= 0)
		close(fd);
	ctl->have_kpageflags = (pm & PM_PFN) && !access("/proc/kpageflags", R_OK);
	if (!have(S_M_KSM) || !ctl->have_kpageflags)
		unavailable(S_KSM_RT_HIT, "ksm writes into a KSM page",
			    !have(S_M_KSM) ? "no ksm" :
			    "no PFNs in /proc/self/pagemap or no /proc/kpageflags: cannot tell");

	nodes = memory_nodes(ctl->mig_node, 2);
	if (syscall(__NR_move_pages, 0, 1, &page, NULL, &st, 0)) {
		unavailable(S_M_MIGRATE, "migrate", "move_pages: %s%s",
			    strerror(errno), errno == ENOSYS ?
			    ", no CONFIG_NUMA or CONFIG_MIGRATION" : "");
	} else if (nodes >= 2) {
		ctl->mig_method = MIG_MOVE_PAGES;
		printf("# migrate: move_pages() between nodes %u and %u\n",
		       ctl->mig_node[0], ctl->mig_node[1]);
	} else if (access("/proc/sys/vm/compact_memory", W_OK)) {
		unavailable(S_M_MIGRATE, "migrate",
			    "%d memory node, so move_pages() has nowhere to move; /proc/sys/vm/compact_memory: %s",
			    nodes, strerror(errno));
	} else if (!(pm & PM_PFN)) {
		unavailable(S_M_MIGRATE, "migrate",
			    "%d memory node and no PFNs in /proc/self/pagemap to see compaction move pages",
			    nodes);
	} else {
		ctl->mig_method = MIG_COMPACT;
		printf("# migrate: %d memory node: compaction (/proc/sys/vm/compact_memory) at most every 3 s, moves seen in pagemap\n",
		       nodes);
	}
	if (!have(S_M_MIGRATE))
		unavailable(S_MIG_PAGES, "pages migrated", "no migration");

	if (ctl->ncallers * ctl->nthreads < 2)
		unavailable(S_SHARED_READ, "shared-buffer reads",
			    "one caller thread");
	munmap(m, len);
}

/* KSM back as it was */
static void ksm_restore(void)
{
	if (ksm_run_before[0] &&
	    !sysfs_write("/sys/kernel/mm/ksm/run", ksm_run_before))
		printf("# ksm: could not set run back to %.1s\n",
		       ksm_run_before);
}

static const char *const thp_counter[] = {
	"thp_fault_alloc", "thp_split_pmd", "thp_split_page",
};

static void print_stats(double secs)
{
	unsigned int s;

	printf("# %llu calls in %.1f s: readv %llu, writev %llu; %llu round trips checked, %llu skipped (target changed)\n",
	       (unsigned long long)(sum_stat(S_READV) + sum_stat(S_WRITEV)),
	       secs, (unsigned long long)sum_stat(S_READV),
	       (unsigned long long)sum_stat(S_WRITEV),
	       (unsigned long long)sum_stat(S_RT),
	       (unsigned long long)sum_stat(S_RT_SKIP));
	printf("# %.1f MiB read, %.1f MiB written\n",
	       sum_stat(S_BYTES_READ) / 1048576.0,
	       sum_stat(S_BYTES_WRITTEN) / 1048576.0);
	printf("# results: full %llu, partial %llu (stable-only full %llu), EFAULT %llu, ESRCH %llu, ENOMEM %llu; reduce %llu\n",
	       (unsigned long long)sum_stat(S_FULL),
	       (unsigned long long)sum_stat(S_PARTIAL),
	       (unsigned long long)sum_stat(S_STABLE_FULL),
	       (unsigned long long)sum_stat(S_EFAULT),
	       (unsigned long long)sum_stat(S_ESRCH),
	       (unsigned long long)sum_stat(S_ENOMEM),
	       (unsigned long long)sum_stat(S_REDUCE));
	printf("# mutations:");
	for (s = S_M_REMAP; s <= S_COW_CHECK; s++) {
		if (extended_kind(s) && !ctl->extended)
			continue;
		printf("%s %s %llu%s", s == S_M_REMAP ? "" : ",", stat_name[s],
		       (unsigned long long)sum_stat(s),
		       have(s) ? "" : " (unavailable)");
	}
	printf("\n");
	if (!ctl->extended)
		return;
	printf("# met the copies:");
	for (s = S_KSM_MERGED; s < NR_STAT; s++)
		printf("%s %s %llu%s", s == S_KSM_MERGED ? "" : ",",
		       stat_name[s], (unsigned long long)sum_stat(s),
		       have(s) ? "" : " (unavailable)");
	printf("; ksm merged pages peak %u, shared readers at once peak %u\n",
	       ctl->ksm_peak, ctl->shared_peak);
}

/* What the run must have done for its verdict to mean anything */
static bool coverage(bool thp)
{
	char missing[320] = "";
	unsigned int s;

	if (!sum_stat(S_RT))
		strcat(missing, " round-trips");
	if (!sum_stat(S_FULL))
		strcat(missing, " full-transfers");
	if (!sum_stat(S_PARTIAL) && !sum_stat(S_EFAULT))
		strcat(missing, " partial-or-EFAULT");
	if (!sum_stat(S_STABLE_FULL))
		strcat(missing, " stable-full");
	for (s = S_M_REMAP; s < S_COLLAPSE_FAIL; s++) {
		if (have(s) && !sum_stat(s) && strlen(missing) < 200) {
			strcat(missing, " ");
			strcat(missing, stat_name[s]);
		}
	}
	if (have(S_SHARED_READ) && ctl->shared_peak < 2)
		strcat(missing, " shared-readers-at-once");
	if (thp && thp_peak_kb <= 0)
		strcat(missing, " huge-pages");
	if (missing[0])
		printf("# never happened:%s\n", missing);
	return !missing[0];
}

static void usage(void)
{
	fprintf(stderr, "usage: stress [--seconds S] [--calls N] [--seed X] [--targets T] [--callers C] [--threads K] [--extended]\n");
	exit(2);
}

static unsigned long long number(const char *s, unsigned long long max)
{
	uint64_t v;

	if (!s)
		usage();
	if (parse_number(s, &v) || v > max) {
		fprintf(stderr, "stress: bad number '%s' (at most %llu)\n", s,
			max);
		exit(2);
	}
	return v;
}

static void map_ctl(int fd)
{
	ctl_fd = fd;
	ctl = mmap(NULL, sizeof(*ctl), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ctl == MAP_FAILED) {
		perror("stress: mmap control block");
		exit(EXIT_BROKEN);
	}
}

int main(int argc, char **argv)
{
	unsigned long long seconds = 30, calls = 4000000000ull, seed = 1;
	unsigned long long targets = 3, callers = 2, threads = 2;
	bool extended = false;
	long long thp_before[3], thp_after[3];
	struct pins p0, p1;
	int i, settled;
	double secs;
	bool thp, bounded;
	char thp_mode[128];

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = argv[i + 1];

		if (!strcmp(a, "--sleep-us")) {
			usleep(number(v, 10000000));
			return 0;
		} else if (!strcmp(a, "--target") && i + 3 < argc &&
			   !strcmp(argv[i + 2], "--ctl-fd")) {
			map_ctl(number(argv[i + 3], 1023));
			target_run(number(v, MAX_TARGETS - 1));
		} else if (!strcmp(a, "--seconds")) {
			seconds = number(v, 86400);
		} else if (!strcmp(a, "--calls")) {
			calls = number(v, 4000000000ull);
		} else if (!strcmp(a, "--seed")) {
			seed = number(v, ~0ull);
		} else if (!strcmp(a, "--targets")) {
			targets = number(v, MAX_TARGETS);
		} else if (!strcmp(a, "--callers")) {
			callers = number(v, MAX_THREADS);
		} else if (!strcmp(a, "--threads")) {
			threads = number(v, MAX_THREADS);
		} else if (!strcmp(a, "--extended")) {
			extended = true;
			continue;	/* no value */
		} else {
			usage();
		}
		i++;
	}
	if (!targets || !callers || !threads || callers * threads > MAX_THREADS) {
		fprintf(stderr, "stress: need targets >= 1 and 1 <= callers * threads <= %d\n",
			MAX_THREADS);
		return 2;
	}

	i = memfd_create("stress-ctl", 0);	/* no CLOEXEC: targets exec */
	if (i < 0 || ftruncate(i, sizeof(*ctl))) {
		perror("stress: memfd for the control block");
		return 1;
	}
	map_ctl(i);
	ctl->seed = seed;
	ctl->seconds = seconds;
	ctl->max_calls = calls;
	ctl->ntargets = targets;
	ctl->ncallers = callers;
	ctl->nthreads = threads;
	ctl->extended = extended;
	ctl->page = sysconf(_SC_PAGESIZE);
	ctl->hpage = read_number("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", 0);
	thp = ctl->hpage != 0;
	if (!ctl->hpage)
		ctl->hpage = 2u << 20;
	if (ctl->hpage < 8 * ctl->page)
		ctl->hpage = 8 * ctl->page;
	ctl->t0 = now_s();
	if (read_line("/sys/kernel/mm/transparent_hugepage/enabled", thp_mode,
		      sizeof(thp_mode)))
		strcpy(thp_mode, "none");
	thp = thp && !strstr(thp_mode, "[never]");

	ksft_print_header();
	ksft_set_plan(9);
	printf("# stress %s: page %u, pmd %u, thp %s; seed %llu, %llu s or %llu calls; %llu targets, %llu x %llu callers\n",
	       CMA_ABI, ctl->page, ctl->hpage, thp_mode, seed, seconds, calls,
	       targets, callers, threads);
	if (extended)
		printf("# extended: THP collapse, split in place, KSM, migration, mprotect flips, fork storms, shared readers; round-trip slots half on huge pages\n");
	for (i = 0; i < 3; i++)
		thp_before[i] = vmstat_value(thp_counter[i]);
	if (pins_read(&p0))
		p0.acquired = p0.released = -1;
	printf("# pins before: acquired %lld released %lld\n", p0.acquired,
	       p0.released);

	ctl->rc_have_flags = !cma_probe(CMA_KNOWN_FLAGS);
	ctl->have_reduce = !cma_probe(CMA_REDUCE(CMA_OP_BOR, CMA_TYPE_U8));
	printf("# PROCESS_VM_REDUCE: %s\n", ctl->have_reduce ?
	       "a quarter of the random calls reduce (BOR writes, BXOR reads)" :
	       "not supported, the probe returned EINVAL");
	if (ctl->extended)
		probe_kinds(thp);
	if (ctl->rc_have_flags)
		spawn(recycler, 0);
	bounded = supervise();
	secs = elapsed();
	if (ctl->extended)
		ksm_restore();

	settled = pins_settle(&p1, 5);
	for (i = 0; i < 3; i++)
		thp_after[i] = vmstat_value(thp_counter[i]);
	print_stats(secs);
	printf("# thp: AnonHugePages peak %lld kB", thp_peak_kb);
	/* Only with CONFIG_VM_EVENT_COUNTERS */
	for (i = 0; i < 3; i++)
		if (thp_before[i] >= 0)
			printf(", %s +%lld", thp_counter[i],
			       thp_after[i] - thp_before[i]);
	printf("\n");
	printf("# pins after: acquired %lld released %lld (+%lld acquired during the run)\n",
	       p1.acquired, p1.released, p1.acquired - p0.acquired);
	/* The counters are global: say whose leak it is */
	if (p0.acquired != p0.released)
		printf("# pins were already unbalanced before the run (%lld held)\n",
		       p0.acquired - p0.released);
	if (p1.acquired - p0.acquired != p1.released - p0.released)
		printf("# this run acquired %lld and released %lld page references\n",
		       p1.acquired - p0.acquired, p1.released - p0.released);

	ksft_test_result(!sum_fail(F_COUNT), "calls: every count and errno within the contract\n");
	ksft_test_result(!sum_fail(F_DATA), "readv: each byte f(addr) or 0, exactly f(addr) in stable memory, nothing past the count\n");
	ksft_test_result(!sum_fail(F_RT), "round trips: readv gives back exactly what writev stored\n");
	ksft_test_result(!sum_fail(F_SCAN), "targets: their own memory holds only f(addr) or 0\n");
	ksft_test_result(!sum_fail(F_COW), "fork: a child's private copy never changes\n");
	ksft_test_result(bounded && !sum_fail(F_PROC), "processes: none died, none hung, all stopped in time\n");
	ksft_test_result(coverage(thp), "%s\n", ctl->extended ?
			 "coverage: both calls, partial transfers and every available mutation happened" :
			 "coverage: both calls, partial transfers and every mutation happened");
	ksft_test_result(settled == 1 && p1.acquired > p0.acquired,
			 "pins: nr_foll_pin_acquired == nr_foll_pin_released after the run, and pins happened\n");
	if (ctl->rc_have_flags) {
		printf("# pidfd recycler: %u rounds, %u pids recycled (%u taken by others first), %u reads of the old child, %u ESRCH, %u wrong\n",
		       ctl->rc_rounds, ctl->rc_recycled, ctl->rc_taken,
		       ctl->rc_reads, ctl->rc_esrch, ctl->rc_bad);
		ksft_test_result(!ctl->rc_bad && ctl->rc_recycled && ctl->rc_reads,
				 "pidfd: reads through a pidfd never reached the process that got its pid next\n");
	} else {
		ksft_test_result_skip("pidfd: no PROCESS_VM_PIDFD, the probe returned EINVAL\n");
	}
	ksft_finished();
}
