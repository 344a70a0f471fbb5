// SPDX-License-Identifier: GPL-2.0
/*
 * stall: a differential oracle for process_vm_readv() and
 * process_vm_writev() calls parked in the middle of their transfer.
 *
 *   stall --seed S[,S...] --cases N [--first I] [--repeat R] [--verbose]
 *
 * fuzz judges calls against a still target.  Here the target changes while
 * a call is halfway through: case i of seed S, generated from (S, i) alone,
 * gives the call a local buffer one page of which is registered with
 * userfaultfd (missing mode) and not yet there.  The call copies up to that
 * page and sleeps in the fault, holding the pins on the pages of the
 * current remote iovec.  A handler thread then has the target mutate itself
 * (fork, munmap, MADV_DONTNEED/FREE/COLD/PAGEOUT, mprotect, mremap, exit, a
 * THP collapse or split, migration, KSM) or a third process write into the
 * same pages, waits until that is done, and only then resolves the fault.
 * The order of events is fixed, so the outcome is a function of the kernel:
 * the return value, errno, the caller's bytes, the target's view of every
 * page after the call, and the view of a child the target forked.  One
 * stall-case line per case; scripts/stall-compare.sh compares our kernel's
 * lines with the reference kernel's.  This is what catches a series that
 * pins without MMF_HAS_PINNED: a target forking while a writev holds pins
 * then shares the pinned page with its child, and the child sees bytes
 * written after the fork.
 *
 * Each case gets a fresh target process (MMF_HAS_PINNED is sticky per mm)
 * that maps one region at a fixed address: private anonymous, shared
 * anonymous, memfd MAP_SHARED, memfd MAP_PRIVATE (file-backed private), THP
 * (MADV_HUGEPAGE, one PMD) or hugetlb (one default huge page).  Whether the
 * THP region really got a huge page is printed (thp=0/1): the kernels may
 * disagree on it without either being wrong, and stall-compare.sh skips
 * such a case.  A kind or mutation the kernel cannot do is printed as such
 * (thp=none, hugetlb=none, numa=1, ksm=0), the same on both kernels.
 *
 * A case also has a precondition: the state of the target's pages when the
 * call pins them.  Mostly they are its own (pre=own, not printed).  With
 * pre=forked the target forks a child right after filling the region,
 * before the call, and the child only waits: the anonymous pages are
 * shared copy-on-write at pin time.  With pre=ksm the pages the call moves
 * were made alike and mergeable and ksmd had up to 500 ms to merge them
 * (ksm=0 where KSM is not configured; whether it merged is not printed).
 * A read pin must unshare such a page first (gup_must_unshare(),
 * FAULT_FLAG_UNSHARE), a write pin break its COW.  The mutations of these
 * make it show: the owner (target) writes every page the call moves but
 * those of the window; the pre-forked child writes them, then the owner;
 * the pre-forked child takes its view and exits, then the owner writes.  A
 * readv must then leave the owner's new bytes where it copies after the
 * park (a GUP that pinned the shared page leaves the old ones: the owner's
 * write copied the page away from the pin), and a writev must leave the
 * call's bytes in the owner's pages and none in the child's.  The pairs of
 * pre=own come first, as they were before there were preconditions.
 *
 * What must not be in a transcript is what the reference itself may do
 * either way:
 *  - user copies may load a little ahead of the byte they store (arm64
 *    moves 64 bytes per step, ppc64 restarts a VMX copy), so at the park
 *    the bytes within WINDOW of the park offset may or may not have moved.
 *    The mutations never write the remote pages that hold them, and a fork
 *    child's view of the WINDOW bytes before the park is masked;
 *  - MADV_COLD, MADV_PAGEOUT, KSM, migration and MADV_COLLAPSE may or may
 *    not act, now or later: only bytes are printed for them, never their
 *    results (a page paged out or merged still has its bytes);
 *  - both kernels pin a whole remote iovec of up to 4 MiB at once only
 *    while the local side can take all of it (the reference pins it
 *    regardless, ours no more than the local side needs), so the local
 *    total is never less than the remote total, and no iovec exceeds 4 MiB.
 *
 * Where the kernel has the flags (the probe of <linux/process_vm.h>), every
 * case is run once more with one of PROCESS_VM_PIDFD, PROCESS_VM_NOWAIT
 * (not after MADV_PAGEOUT, which may need I/O to bring a page back),
 * both, or PROCESS_VM_REDUCE(SUM, u64), against a fresh target: the first
 * three must give exactly what the plain call gave, and the reduction what
 * a model built from the plain call gives (see check_reduce_*).  Those
 * results are stall-flag lines and TAP tests of their own, never part of
 * the compared transcript: the reference has no flags.  NOWAIT does not
 * change the park: it is about the target's pages, and the page the call
 * waits for is the caller's own (a copy_to_user() fault, not a GUP one).
 *
 * At the end, with every process reaped, the FOLL_PIN counters must be back
 * where they were at the start (pins.h).  Exit status 0 unless the program's
 * own setup fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include "kselftest.h"
#include "abi.h"
#include "args.h"
#include "rng.h"
#include "pins.h"
#include "util.h"

#define MAX_IOV		4
#define MAX_SEEDS	64
/*
 * Sizes in bytes where they cost time per case, so that a guest with 64 KiB
 * pages (ppc64) does no more work than one with 4 KiB pages, and in pages
 * (at least) where the variety of layouts needs a few pages.
 */
#define SMALL_BYTES	(128 << 10)	/* region of the small-page kinds */
#define SMALL_MIN_PAGES	8
#define XFER_BYTES	(96 << 10)	/* bytes one call moves at most */
#define XFER_MIN_PAGES	6
#define GAP_BYTES	(8 << 10)	/* between local iovecs, at most */
#define MAX_REGION_PAGES 512	/* one 2 MiB huge page of 4 KiB pages */
#define MAX_XFER_PAGES	32	/* region pages one call may touch */
#define LOCAL_PAGES	48
#define HUGE_NEED	4	/* free huge pages a hugetlb case may use */
#define MAX_HPAGE	(32UL << 20)
#define WINDOW		256	/* bytes a user copy may be ahead or behind */
#define GRAIN		64	/* every iovec base and length is a multiple */
#define MASK_BYTE	0xee
#define ACK_TIMEOUT_MS	60000
#define KSM_PRE_MS	500	/* pre=ksm: ksmd's time to merge, at most */

/*
 * Fixed addresses, as in fuzz: nothing of the program itself is there, and
 * the same case sees the same layout on any kernel.  REMOTE_BASE and
 * MOVED_BASE are aligned for any huge page size we use.
 */
#if ULONG_MAX > 0xffffffffUL
#define LOCAL_BASE	0x100000000UL
#define REMOTE_BASE	0x140000000UL
#define MOVED_BASE	0x180000000UL
#else
#define LOCAL_BASE	0x30000000UL
#define REMOTE_BASE	0x34000000UL
#define MOVED_BASE	0x38000000UL
#endif

enum kind { K_ANON, K_SHARED, K_MEMFD, K_FILEPRIV, K_THP, K_HUGETLB, NR_KINDS };

static const char *const kind_names[NR_KINDS] = {
	"anon", "shared", "memfd", "filepriv", "thp", "hugetlb",
};

enum mut {
	M_FORK_PARENT, M_FORK_CHILD, M_FORK_BOTH, M_FORK_CHILD_EXIT,
	M_FORK_PARENT_EXIT, M_MUNMAP_PART, M_MUNMAP_ALL, M_DONTNEED, M_FREE,
	M_COLD, M_PAGEOUT, M_PROT_RO, M_PROT_RO_BACK, M_MREMAP_AWAY,
	M_MREMAP_BACK, M_EXIT, M_COLLAPSE, M_THP_SPLIT, M_MIGRATE, M_KSM,
	M_SECOND,
	/* only after a precondition (pre=forked, pre=ksm): see make_pairs() */
	M_OWNER_WRITE, M_PRECHILD_WRITE, M_PRECHILD_EXIT, NR_MUTS
};

static const char *const mut_names[NR_MUTS] = {
	"fork-parent-write", "fork-child-write", "fork-both-write",
	"fork-child-exit", "fork-parent-exit", "munmap-part", "munmap-all",
	"dontneed", "free", "cold", "pageout", "mprotect-ro", "mprotect-ro-back",
	"mremap-away", "mremap-back", "exit", "collapse", "thp-split",
	"migrate", "ksm", "second-caller", "owner-write", "prechild-write",
	"prechild-exit",
};

#define KB(k)		(1u << (k))
#define ALL_KINDS	(KB(NR_KINDS) - 1)
#define SMALL_KINDS	(ALL_KINDS & ~KB(K_HUGETLB))
#define PRIVATE_ANON	(KB(K_ANON) | KB(K_THP))

/* The kinds each mutation applies to (madvise refuses the others) */
static const unsigned int mut_kinds[NR_MUTS] = {
	[M_FORK_PARENT] = ALL_KINDS, [M_FORK_CHILD] = ALL_KINDS,
	[M_FORK_BOTH] = ALL_KINDS, [M_FORK_CHILD_EXIT] = ALL_KINDS,
	[M_FORK_PARENT_EXIT] = ALL_KINDS,
	/* a hugetlb page can only be unmapped whole: munmap-all does that */
	[M_MUNMAP_PART] = SMALL_KINDS, [M_MUNMAP_ALL] = ALL_KINDS,
	[M_DONTNEED] = ALL_KINDS, [M_FREE] = PRIVATE_ANON,
	[M_COLD] = SMALL_KINDS, [M_PAGEOUT] = SMALL_KINDS,
	[M_PROT_RO] = ALL_KINDS, [M_PROT_RO_BACK] = ALL_KINDS,
	[M_MREMAP_AWAY] = ALL_KINDS, [M_MREMAP_BACK] = ALL_KINDS,
	[M_EXIT] = ALL_KINDS, [M_COLLAPSE] = KB(K_THP),
	[M_THP_SPLIT] = KB(K_THP), [M_MIGRATE] = ALL_KINDS,
	/* KSM merges anonymous pages only */
	[M_KSM] = PRIVATE_ANON | KB(K_FILEPRIV), [M_SECOND] = ALL_KINDS,
	[M_OWNER_WRITE] = ALL_KINDS, [M_PRECHILD_WRITE] = ALL_KINDS,
	[M_PRECHILD_EXIT] = ALL_KINDS,
};

/*
 * The state of the target's pages when the call pins them.  P_OWN: its own
 * (every mutation above up to M_SECOND).  P_FORKED: the target forked a
 * child right after filling the region, so its anonymous pages are shared
 * copy-on-write at pin time; P_KSM: the region was made mergeable, with
 * identical pages, and ksmd given the time to merge them.  A read pin must
 * unshare such a page (gup_must_unshare(), FAULT_FLAG_UNSHARE) and a write
 * pin break its COW, so that the owner's write during the park lands in
 * the pinned page, and the child's pages never see the call.
 */
enum pre { P_OWN, P_FORKED, P_KSM, NR_PRES };

static const char *const pre_names[NR_PRES] = { "own", "forked", "ksm" };

/* The kinds of each precondition (KSM merges anonymous pages only) */
static const unsigned int pre_kinds[NR_PRES] = {
	[P_OWN] = ALL_KINDS, [P_FORKED] = ALL_KINDS,
	[P_KSM] = PRIVATE_ANON | KB(K_FILEPRIV),
};

/* The mutations of each precondition */
static int pre_has(enum pre p, enum mut m)
{
	if (p == P_OWN)
		return m < M_OWNER_WRITE;
	if (p == P_FORKED)
		return m >= M_OWNER_WRITE;
	return m == M_OWNER_WRITE;
}

/* The fork child exits during the park (its view is taken as it does) */
static int child_exits(enum mut m)
{
	return m == M_FORK_CHILD_EXIT || m == M_PRECHILD_EXIT;
}

static int is_fork(enum mut m)
{
	return m <= M_FORK_PARENT_EXIT;
}

static int kills_target(enum mut m)
{
	return m == M_EXIT || m == M_FORK_PARENT_EXIT;
}

/* Mutations whose own return value depends on nothing but the mapping */
static int mret_printed(enum mut m)
{
	return m != M_COLLAPSE && m != M_MIGRATE && m != M_KSM &&
	       m != M_SECOND;
}

struct span {
	size_t off, len;
};

struct xcase {
	uint64_t seed, idx;
	enum kind kind;
	enum pre pre;
	enum mut mut;
	int write;
	unsigned int nl, nr;
	struct iovec liov[MAX_IOV], riov[MAX_IOV];
	size_t ltotal, total;		/* local total >= remote total = total */
	uintptr_t park;			/* the uffd page of the local buffer */
	size_t park_off;		/* transfer offset of its first byte moved */
	unsigned int park_iov, park_page;
	unsigned int lpages;		/* local pages the layout reaches */
	int reduce_ok;			/* park at a local iovec's start */
	uintptr_t base;			/* the target's region */
	unsigned int npages;
	unsigned char window[MAX_REGION_PAGES];
	unsigned char mpage[MAX_REGION_PAGES];	/* pages the mutation writes */
	unsigned int ma, mb;		/* pages a range mutation acts on */
	unsigned int nmask;		/* region bytes hidden in child views */
	struct span mask[MAX_IOV + 1];
	unsigned int nxfer;		/* region pages the remote iovecs touch */
	unsigned int xfer[MAX_XFER_PAGES];
};

/* The state of a view: none taken, taken, or the process had exited */
#define VIEW_NONE	0
#define VIEW_OK		1
#define VIEW_DEAD	2

/*
 * A process's view of the region after the call, in the report area: a
 * hash per page, and the bytes of the pages the call touched (the REDUCE
 * model needs them element by element).
 */
struct view {
	int32_t state;
	int32_t pad;
	uint64_t hash[MAX_REGION_PAGES];
	unsigned char bad[MAX_REGION_PAGES];	/* unreadable */
	/* then MAX_XFER_PAGES pages of bytes */
};

struct report {
	int32_t thp;			/* the target's region is PMD-mapped */
	int32_t child_pid;
	int32_t ksm_pages;		/* pre=ksm: identical pages, merged */
	int32_t ksm_merged;		/* (-1: unknown); never printed */
};

/* The outcome of one run of a case: what the transcript line prints */
struct run {
	int skipped;			/* hugetlb=none, thp=none: no call */
	long ret;
	int err;
	int parked;			/* 1 at the park page, 0 never, -1 elsewhere */
	int mret;			/* the mutation's errno (0 done) */
	long sret;			/* the second caller's call */
	int serr;
	int thp;
	int huge;			/* hugetlb: 1 mapped, 0 could not map, -1 n/a */
	uint64_t local, target, child;
	int tstate, cstate;
	int ksm_pages, ksm_merged;	/* pre=ksm, for the totals only */
};

/* Variants of a run on a kernel with the flags */
enum variant { V_PLAIN, V_PIDFD, V_NOWAIT, V_PIDFD_NOWAIT, V_REDUCE,
	       V_REDUCE_ZERO, NR_VARIANTS };

static const char *const variant_names[NR_VARIANTS] = {
	"plain", "pidfd", "nowait", "pidfd+nowait", "reduce-sum-u64",
	"reduce-sum-u64-zero",
};

/* Per-case pipes: commands to target, its child, the second caller; acks */
struct chan {
	int cmd_t[2], cmd_c[2], cmd_s[2], ack[2], stop[2];
	pid_t target, second;
	int target_gone;
};

struct ack {
	int32_t who, val, val2, pad;
};

static size_t page, small_pages, xfer_pages, gap_max;
static size_t thp_size, huge_size;	/* 0: the kind is not available */
static int numa_nodes, ksm_on, have_flags;
static int uffd = -1;
static struct report *rep;
static struct view *views[2];		/* target, child */
static size_t view_bytes;
static unsigned char *resolve_buf;
static int verbose;

/* ---- small things ------------------------------------------------------ */

/* Salts of the byte patterns of one case: distinct, so no stale byte fits */
enum salt { S_TARGET = 1, S_LOCAL, S_RESOLVE, S_PARENT, S_CHILD, S_KSM,
	    S_SECOND };

static uint64_t salt(const struct xcase *c, enum salt s)
{
	return mix64(c->seed * 0x100000001b3ULL ^ mix64(c->idx) ^ s);
}

/* The pattern of the page at @addr, a function of it and the salt */
static void fill_page(void *dst, uintptr_t addr, uint64_t salt)
{
	pattern_fill(dst, page, addr ^ salt);
}

static uint64_t hash_page(uint64_t h, const void *src)
{
	return mix64(hash_words(h, src, page));
}

static uint64_t bad_page_hash(unsigned int i)
{
	return mix64(0xbadbadbadULL + i);
}

/* A number of /proc or /sys: -1 where there is none */
static long read_long(const char *path)
{
	return read_number(path, -1);
}

/* A field of /proc/meminfo (in kB): -1 where there is none */
static long meminfo(const char *key)
{
	return read_field("/proc/meminfo", key, -1);
}

/* knob_write(): also called from a signal handler (restore_env) */
static int write_long(const char *path, long v)
{
	return knob_write(path, "%ld\n", v);
}

/* ---- the environment --------------------------------------------------- */

static long huge_had = -1, ksm_had = -1;
static pid_t main_pid;

/* What probe_env() changed, as it was; only ever in the main process */
static void restore_env(void)
{
	if (getpid() != main_pid)
		return;
	if (huge_had >= 0)
		write_long("/proc/sys/vm/nr_hugepages", huge_had);
	if (ksm_had >= 0)
		write_long("/sys/kernel/mm/ksm/run", ksm_had);
	huge_had = ksm_had = -1;
}

/* Killed from the terminal: the pool and ksmd still go back as they were */
static void on_term(int sig)
{
	restore_env();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Nodes with memory: at least the one we run on */
static int count_nodes(void)
{
	int n = memory_nodes(NULL, 0);

	return n ? n : 1;
}

/*
 * At least HUGE_NEED free huge pages, raising the pool if need be (put back
 * at exit).  Before every hugetlb case, not only at the start: on a shared
 * host another program may shrink the pool meanwhile.  Return: 1 if there
 * are enough.
 */
static int ensure_huge(void)
{
	long free_huge = meminfo("HugePages_Free");
	long have = read_long("/proc/sys/vm/nr_hugepages");

	if (free_huge >= HUGE_NEED)
		return 1;
	if (free_huge < 0 || have < 0)
		return 0;
	if (huge_had < 0)
		huge_had = have;
	write_long("/proc/sys/vm/nr_hugepages", have + HUGE_NEED - free_huge);
	return meminfo("HugePages_Free") >= HUGE_NEED;
}

/*
 * The kinds and mutations this kernel can do.  Huge pages are raised to
 * HUGE_NEED free ones if there are fewer (and put back at exit), KSM is
 * started (and stopped again) where it is configured.
 */
static void probe_env(void)
{
	long v;
	char enabled[64];

	main_pid = getpid();
	v = read_long("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size");
	read_line("/sys/kernel/mm/transparent_hugepage/enabled", enabled,
		  sizeof(enabled));
	if (v > 0 && (size_t)v <= MAX_HPAGE && v / page <= MAX_REGION_PAGES &&
	    !strstr(enabled, "[never]"))
		thp_size = v;

	v = meminfo("Hugepagesize") * 1024;
	if (v > 0 && (size_t)v <= MAX_HPAGE && v / page <= MAX_REGION_PAGES &&
	    ensure_huge())
		huge_size = v;

	numa_nodes = count_nodes();

	v = read_long("/sys/kernel/mm/ksm/run");
	if (v == 1) {
		ksm_on = 1;
	} else if (v == 0 && !write_long("/sys/kernel/mm/ksm/run", 1)) {
		ksm_had = 0;
		ksm_on = 1;
	}
	atexit(restore_env);
	signal(SIGINT, on_term);
	signal(SIGTERM, on_term);
}

/* ---- generation -------------------------------------------------------- */

/*
 * The (kind, precondition, mutation) triples, "pairs" as they were before
 * there were preconditions, in order: case i is pair i % nr_pairs.  Those
 * of pre=own come first, in the order they had then, so that a case below
 * their number (106) gives the line it always gave; the others follow:
 * 106 + 18 (pre=forked) + 3 (pre=ksm) = 127 pairs.
 */
static unsigned int pairs[NR_PRES * NR_MUTS * NR_KINDS], nr_pairs;

static void make_pairs(void)
{
	unsigned int p, m, k;

	for (p = 0; p < NR_PRES; p++)
		for (m = 0; m < NR_MUTS; m++)
			for (k = 0; k < NR_KINDS; k++)
				if (pre_has(p, m) && (mut_kinds[m] & pre_kinds[p] & KB(k)))
					pairs[nr_pairs++] = (p * NR_MUTS + m) * NR_KINDS + k;
}

static size_t grains(size_t max)
{
	return GRAIN * (1 + below(max / GRAIN));
}

static size_t region_size(enum kind k)
{
	if (k == K_THP)
		return thp_size ? thp_size : small_pages * page;
	if (k == K_HUGETLB)
		return huge_size ? huge_size : small_pages * page;
	return small_pages * page;
}

/*
 * Remote iovecs: one in each of nr equal slots of the region, so they never
 * overlap (a reduction over overlapping ranges has no simple model), taken
 * in a random order.
 */
static void gen_remote(struct xcase *c)
{
	size_t slot, cap = xfer_pages * page, off, len;
	unsigned int i, j;
	struct iovec t;

	c->nr = 1 + below(MAX_IOV);
	slot = (c->npages * page / c->nr) & ~(size_t)(GRAIN - 1);
	c->total = 0;
	for (i = 0; i < c->nr; i++) {
		off = GRAIN * below(slot / GRAIN);
		len = slot - off;
		if (len > cap / c->nr)
			len = cap / c->nr;
		len = below(4) ? grains(len) : grains(len < page ? len : page);
		c->riov[i].iov_base = (void *)(c->base + i * slot + off);
		c->riov[i].iov_len = len;
		c->total += len;
	}
	for (i = c->nr - 1; i > 0; i--) {
		j = below(i + 1);
		t = c->riov[i];
		c->riov[i] = c->riov[j];
		c->riov[j] = t;
	}
}

/*
 * Local iovecs: the remote total and sometimes a little more, in nl pieces
 * laid out with gaps, taken in a random order.  For the cases whose park
 * must be at the start of a local iovec (those the REDUCE variant reruns),
 * each piece starts on a page of its own.
 */
static void gen_local(struct xcase *c)
{
	size_t left, len[MAX_IOV], extra = below(3) ? 0 : grains(gap_max);
	uintptr_t pos = LOCAL_BASE + GRAIN * below(page / GRAIN);
	unsigned int i, j, order[MAX_IOV];

	c->ltotal = c->total + extra;
	c->nl = 1 + below(MAX_IOV);
	if (c->nl > c->ltotal / GRAIN)
		c->nl = c->ltotal / GRAIN;
	left = c->ltotal;
	for (i = 0; i < c->nl; i++) {
		/* leave at least a grain for each piece after this one */
		size_t rest = c->nl - 1 - i;

		len[i] = rest ? grains(left - rest * GRAIN) : left;
		left -= len[i];
	}
	for (i = 0; i < c->nl; i++)
		order[i] = i;
	for (i = c->nl - 1; i > 0; i--) {
		unsigned int t = order[i];

		j = below(i + 1);
		order[i] = order[j];
		order[j] = t;
	}
	/* address order is order[]; transfer order is the index */
	for (i = 0; i < c->nl; i++) {
		if (c->reduce_ok)
			pos = (pos + page - 1) & ~(uintptr_t)(page - 1);
		c->liov[order[i]].iov_base = (void *)pos;
		c->liov[order[i]].iov_len = len[order[i]];
		pos += len[order[i]];
		if (c->reduce_ok)
			pos += page;
		else if (below(3))
			pos += grains(gap_max) - GRAIN;
	}
	/* a page past the end: a stray write there changes the local hash */
	c->lpages = (pos - LOCAL_BASE + page - 1) / page + 1;
	if (c->lpages > LOCAL_PAGES)
		fatal("case %llu: local layout of %zu bytes", (unsigned long long)c->idx,
		      (size_t)(pos - LOCAL_BASE));
}

/* Transfer offset of the first byte of page @pg that the call moves */
static size_t first_touch(const struct xcase *c, uintptr_t pg)
{
	size_t off = 0;
	unsigned int i;

	for (i = 0; i < c->nl; off += c->liov[i].iov_len, i++) {
		uintptr_t b = (uintptr_t)c->liov[i].iov_base;
		uintptr_t e = b + c->liov[i].iov_len;

		if (e > pg && b < pg + page)
			return off + (b > pg ? 0 : pg - b);
	}
	return SIZE_MAX;
}

/* The park: a page of a local iovec that the transfer reaches */
static void gen_park(struct xcase *c)
{
	size_t off = 0, o[MAX_IOV], span;
	unsigned int i, n = 0, cand[MAX_IOV];
	uintptr_t b, first;

	for (i = 0; i < c->nl; off += c->liov[i].iov_len, i++) {
		o[i] = off;
		if (off < c->total)
			cand[n++] = i;
	}
	/* prefer a park after the first byte: something moved before it */
	i = n > 1 && below(4) ? cand[1 + below(n - 1)] : cand[below(n)];
	b = (uintptr_t)c->liov[i].iov_base;
	first = b & ~(uintptr_t)(page - 1);
	span = c->liov[i].iov_len;
	if (span > c->total - o[i])
		span = c->total - o[i];
	c->park_iov = i;
	c->park_page = c->reduce_ok ? 0 : below((b + span - 1) / page - b / page + 1);
	c->park = first + c->park_page * page;
	c->park_off = first_touch(c, c->park);
}

/* Region page of remote transfer offset @t, or -1 past the remote total */
static long remote_page(const struct xcase *c, size_t t)
{
	unsigned int i;

	for (i = 0; i < c->nr; i++) {
		if (t < c->riov[i].iov_len)
			return ((uintptr_t)c->riov[i].iov_base + t - c->base) / page;
		t -= c->riov[i].iov_len;
	}
	return -1;
}

/*
 * The pages near the park (no mutation writes them), the bytes of the
 * WINDOW before it (masked in a fork child's view of a writev), and the
 * pages the remote iovecs touch.
 */
static void gen_window(struct xcase *c)
{
	size_t lo = c->park_off > WINDOW ? c->park_off - WINDOW : 0;
	size_t hi = c->park_off + WINDOW, t, off = 0;
	unsigned int i;
	long p;

	if (hi > c->total)
		hi = c->total;
	for (t = lo; t < hi; t += GRAIN) {
		p = remote_page(c, t);
		if (p >= 0)
			c->window[p] = 1;
	}
	c->nmask = 0;
	for (i = 0; i < c->nr; off += c->riov[i].iov_len, i++) {
		size_t a = off > lo ? off : lo;
		size_t e = off + c->riov[i].iov_len;

		if (e > c->park_off)
			e = c->park_off;
		if (a >= e)
			continue;
		c->mask[c->nmask].off = (uintptr_t)c->riov[i].iov_base - c->base + (a - off);
		c->mask[c->nmask++].len = e - a;
	}
	c->nxfer = 0;
	for (p = 0; p < (long)c->npages; p++) {
		uintptr_t pg = c->base + p * page;

		for (i = 0; i < c->nr; i++) {
			uintptr_t b = (uintptr_t)c->riov[i].iov_base;

			if (b < pg + page && b + c->riov[i].iov_len > pg)
				break;
		}
		if (i < c->nr) {
			if (c->nxfer == MAX_XFER_PAGES)
				fatal("case %llu touches too many pages",
				      (unsigned long long)c->idx);
			c->xfer[c->nxfer++] = p;
		}
	}
}

/*
 * What the mutation acts on: pages to write, and a range of pages.  After
 * a precondition, every page the call moves (but those of the window) is
 * written: a read pin on a page that was not unshared shows in any of them
 * that the call reads after the park.
 */
static void gen_targets(struct xcase *c)
{
	unsigned int i, t;

	for (i = 0; i < c->nxfer; i++)
		if (!c->window[c->xfer[i]] && (c->pre != P_OWN || below(2)))
			c->mpage[c->xfer[i]] = 1;
	for (i = 0; i < 2; i++) {
		t = below(c->npages);
		if (!c->window[t] && below(2))
			c->mpage[t] = 1;
	}
	t = c->xfer[below(c->nxfer)];
	c->ma = t - (t < 2 ? t : below(3));
	c->mb = t + 1 + below(4);
	if (c->mb > c->npages)
		c->mb = c->npages;
	if (c->kind == K_HUGETLB) {
		c->ma = 0;
		c->mb = c->npages;
	}
}

static void gen_case(struct xcase *c, uint64_t seed, uint64_t idx)
{
	unsigned int pair = pairs[idx % nr_pairs];

	memset(c, 0, sizeof(*c));
	rng_state = seed ^ mix64(idx + 1);
	c->seed = seed;
	c->idx = idx;
	c->pre = pair / (NR_MUTS * NR_KINDS);
	c->mut = pair / NR_KINDS % NR_MUTS;
	c->kind = pair % NR_KINDS;
	/* every pair with both calls in each 2 * nr_pairs cases */
	c->write = (idx / nr_pairs + seed) & 1;
	/* the cases the REDUCE variant reruns (chosen by index, not by kernel) */
	c->reduce_ok = idx % 4 == 2;
	c->base = REMOTE_BASE;
	c->npages = region_size(c->kind) / page;
	gen_remote(c);
	gen_local(c);
	gen_park(c);
	gen_window(c);
	gen_targets(c);
}

/* ---- the target and its child ------------------------------------------ */

static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_armed;

static void on_fault(int sig)
{
	if (fault_armed)
		siglongjmp(fault_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Copy a page between our memory and @buf; -1 if our side faulted */
static int touch_page(uintptr_t addr, void *buf, int store)
{
	volatile uint64_t *mem = (volatile uint64_t *)addr;
	uint64_t *w = buf;
	size_t i;

	if (sigsetjmp(fault_jmp, 1)) {
		fault_armed = 0;
		return -1;
	}
	fault_armed = 1;
	for (i = 0; i < page / 8; i++) {
		if (store)
			mem[i] = w[i];
		else
			w[i] = mem[i];
	}
	fault_armed = 0;
	return 0;
}

static void ack(int fd, int who, int val, int val2)
{
	struct ack a = { who, val, val2, 0 };

	if (write(fd, &a, sizeof(a)) != sizeof(a))
		_exit(3);
}

/* Where page @i of the region is now: mremap-away moves some of it */
static int moved;

static uintptr_t where(const struct xcase *c, unsigned int i)
{
	if (moved && i >= c->ma && i < c->mb)
		return MOVED_BASE + i * page;
	return c->base + i * page;
}

/*
 * Our view of every page of the region into @v.  @masked hides the bytes
 * that a fork child may or may not have of a writev parked in them.
 */
static void report_view(const struct xcase *c, struct view *v, int masked)
{
	unsigned char *bytes = (unsigned char *)(v + 1);
	static uint64_t buf[65536 / 8];
	unsigned int i, j = 0, m;

	for (i = 0; i < c->npages; i++) {
		unsigned char *b = (unsigned char *)buf;

		v->bad[i] = touch_page(where(c, i), buf, 0) != 0;
		if (v->bad[i]) {
			memset(buf, MASK_BYTE, page);
			v->hash[i] = bad_page_hash(i);
		} else {
			for (m = 0; masked && m < c->nmask; m++) {
				size_t a = c->mask[m].off, e = a + c->mask[m].len;
				size_t lo = i * page, hi = lo + page;

				if (a < lo)
					a = lo;
				if (e > hi)
					e = hi;
				if (a < e)
					memset(b + a - lo, MASK_BYTE, e - a);
			}
			v->hash[i] = hash_page(mix64(i), buf);
		}
		if (j < c->nxfer && c->xfer[j] == i)
			memcpy(bytes + page * j++, buf, page);
	}
	v->state = VIEW_OK;
}

/* Write pattern @s into the mutation's pages: 0, or EFAULT */
static int write_mpages(const struct xcase *c, uint64_t s, int same)
{
	static uint64_t buf[65536 / 8];
	unsigned int i;
	int rc = 0;

	for (i = 0; i < c->npages; i++) {
		if (!c->mpage[i])
			continue;
		/* KSM needs pages alike: then the pattern is not the address's */
		fill_page(buf, same ? 0 : where(c, i), s);
		if (touch_page(where(c, i), buf, 1))
			rc = EFAULT;
	}
	return rc;
}

/* The pre-forked child's line to the target (pre=forked): commands, acks */
static int pre_cmd[2] = { -1, -1 }, pre_ack[2] = { -1, -1 };

/*
 * A fork child: the caller asks for its view after the call (R) and ends
 * it (X); the target of pre=forked has it write its pages (W) or take its
 * view and exit (E) during the park.  A child forked at the park may or
 * may not have the WINDOW bytes before it of a writev: they are masked.
 * One forked before the call has none of the call's bytes (private kinds)
 * or all of them (MAP_SHARED) after the call: nothing is masked; its view
 * at the park (E) is, as that of the child of fork-child-exit.
 */
static void child_loop(const struct xcase *c, struct chan *ch)
{
	struct pollfd p[2] = {
		{ .fd = ch->cmd_c[0], .events = POLLIN },
		{ .fd = pre_cmd[0], .events = POLLIN },
	};
	int fd;
	char cmd;

	while (poll(p, 2, -1) > 0) {
		fd = p[0].revents ? p[0].fd : p[1].fd;
		if (read(fd, &cmd, 1) != 1) {
			if (fd == ch->cmd_c[0])
				break;
			p[1].fd = -1;	/* the target is gone: wait for X */
			continue;
		}
		if (cmd == 'R') {
			report_view(c, views[1], c->write && c->pre == P_OWN);
			ack(ch->ack[1], 'C', 0, 0);
		} else if (cmd == 'X') {
			break;
		} else if (cmd == 'W') {
			write_mpages(c, salt(c, S_CHILD), 0);
			if (write(pre_ack[1], "w", 1) != 1)
				_exit(3);
		} else if (cmd == 'E') {
			report_view(c, views[1], c->write);
			_exit(0);
		}
	}
	_exit(0);
}

/*
 * fork and its variants.  The child writes first and the parent after it,
 * so that on MAP_SHARED kinds, where both write the same pages, the order
 * is fixed.  Return: 0, or the errno of fork.
 */
static int mutate_fork(const struct xcase *c, struct chan *ch)
{
	int sync[2], rc = 0;
	pid_t pid;
	char b;

	if (pipe(sync))
		return errno;
	pid = fork();
	if (pid < 0) {
		rc = errno;
		close(sync[0]);
		close(sync[1]);
		return rc;
	}
	if (pid == 0) {
		close(sync[0]);
		close(ch->cmd_t[0]);
		if (c->mut != M_FORK_PARENT)
			write_mpages(c, salt(c, S_CHILD), 0);
		if (c->mut == M_FORK_CHILD_EXIT) {
			/* its view at the park, before any byte after it moved */
			report_view(c, views[1], c->write);
			_exit(0);
		}
		if (write(sync[1], "c", 1) != 1)
			_exit(3);
		close(sync[1]);
		child_loop(c, ch);
	}
	rep->child_pid = pid;
	close(sync[1]);
	if (c->mut == M_FORK_CHILD_EXIT) {
		if (waitpid(pid, NULL, 0) != pid)
			rc = errno;
	} else if (read(sync[0], &b, 1) != 1) {
		rc = EPIPE;
	}
	close(sync[0]);
	if (c->mut == M_FORK_PARENT || c->mut == M_FORK_BOTH)
		rc = rc ? rc : write_mpages(c, salt(c, S_PARENT), 0);
	return rc;
}

/*
 * pre=forked: fork a child that only waits, right after the region was
 * filled and before the call.  Return: 0, or the errno of pipe or fork.
 */
static int prefork(const struct xcase *c, struct chan *ch)
{
	pid_t pid;

	if (pipe(pre_cmd) || pipe(pre_ack))
		return errno;
	pid = fork();
	if (pid < 0)
		return errno;
	if (pid == 0) {
		close(ch->cmd_t[0]);
		close(pre_cmd[1]);
		close(pre_ack[0]);
		child_loop(c, ch);
	}
	close(pre_cmd[0]);
	close(pre_ack[1]);
	rep->child_pid = pid;
	return 0;
}

/*
 * Tell the pre-forked child to write its pages (W: it has when this
 * returns) or to take its view and exit (E: reaped when this returns).
 */
static int prechild(char cmd)
{
	char b;

	if (write(pre_cmd[1], &cmd, 1) != 1)
		return errno;
	if (cmd == 'E')
		return waitpid(rep->child_pid, NULL, 0) == rep->child_pid ? 0 : errno;
	return read(pre_ack[0], &b, 1) == 1 ? 0 : EPIPE;
}

static int sys_rc(int rc)
{
	return rc ? errno : 0;
}

static int mremap_range(const struct xcase *c, uintptr_t from, uintptr_t to)
{
	size_t len = (c->mb - c->ma) * page;
	void *p = mremap((void *)(from + c->ma * page), len, len,
			 MREMAP_MAYMOVE | MREMAP_FIXED, (void *)(to + c->ma * page));

	return p == MAP_FAILED ? errno : 0;
}

/* Move every mapped page of the region to the node it is not on */
static void migrate(const struct xcase *c)
{
	void *pages[MAX_REGION_PAGES];
	int nodes[MAX_REGION_PAGES], status[MAX_REGION_PAGES];
	unsigned int i;

	if (numa_nodes < 2)
		return;
	for (i = 0; i < c->npages; i++)
		pages[i] = (void *)where(c, i);
	if (syscall(__NR_move_pages, 0, c->npages, pages, NULL, status, 0))
		return;
	for (i = 0; i < c->npages; i++)
		nodes[i] = status[i] == 0 ? 1 : 0;
	syscall(__NR_move_pages, 0, c->npages, pages, nodes, status,
		MPOL_MF_MOVE);
}

/*
 * KSM merges asynchronously: give ksmd two full scans (or 200 ms) to merge
 * what it will.  Whether it did is never printed: bytes do not change.
 */
static void ksm_wait(void)
{
	long start = read_long("/sys/kernel/mm/ksm/full_scans");
	double t0 = now_s();

	while (ksm_on && start >= 0 && now_s() - t0 < 0.2 &&
	       read_long("/sys/kernel/mm/ksm/full_scans") < start + 2)
		usleep(2000);
}

/* Merged pages of ours, or -1 where the kernel does not say */
static long ksm_merging(void)
{
	return read_long("/proc/self/ksm_merging_pages");
}

/*
 * pre=ksm: the pages from the first to the last one the call moves (but
 * the window's) made alike, that range made mergeable (not the whole
 * region: ksmd would scan every page of a THP's), and ksmd given up to
 * KSM_PRE_MS to merge them all (where the kernel does not count merged
 * pages, two full scans or 200 ms, as for the ksm mutation).  Whether it
 * did is never printed: the bytes are the same.  Return: 0, or EFAULT if a
 * page could not be written.
 */
static int premerge(const struct xcase *c)
{
	static uint64_t buf[65536 / 8];
	unsigned int i, n = 0, a = c->xfer[0], b = c->xfer[c->nxfer - 1] + 1;
	double t0 = now_s();
	long merged;

	fill_page(buf, 0, salt(c, S_KSM));
	for (i = a; i < b; i++) {
		if (c->window[i])
			continue;
		if (touch_page(c->base + i * page, buf, 1))
			return EFAULT;
		n++;
	}
	rep->ksm_pages = n;
	/* EINVAL without CONFIG_KSM: the case goes on with the same bytes */
	madvise((void *)(c->base + a * page), (b - a) * page, MADV_MERGEABLE);
	merged = ksm_merging();
	if (merged < 0 && ksm_on) {
		ksm_wait();
	} else {
		/* one page alone merges with nothing */
		while (ksm_on && n > 1 && merged < (long)n &&
		       now_s() - t0 < KSM_PRE_MS / 1e3) {
			usleep(2000);
			merged = ksm_merging();
		}
	}
	rep->ksm_merged = ksm_merging();
	return 0;
}

/* The precondition, done by the target before the call: its errno */
static int precondition(const struct xcase *c, struct chan *ch)
{
	if (c->pre == P_FORKED)
		return prefork(c, ch);
	if (c->pre == P_KSM)
		return premerge(c);
	return 0;
}

/* The mutation, done by the target while the call is parked: its errno */
static int mutate(const struct xcase *c, struct chan *ch)
{
	uintptr_t a = c->base + c->ma * page;
	size_t len = (c->mb - c->ma) * page, all = c->npages * page;
	int rc;

	switch (c->mut) {
	case M_FORK_PARENT: case M_FORK_CHILD: case M_FORK_BOTH:
	case M_FORK_CHILD_EXIT: case M_FORK_PARENT_EXIT:
		return mutate_fork(c, ch);
	case M_MUNMAP_PART:
		return sys_rc(munmap((void *)a, len));
	case M_MUNMAP_ALL:
		return sys_rc(munmap((void *)c->base, all));
	case M_DONTNEED:
		return sys_rc(madvise((void *)a, len, MADV_DONTNEED));
	case M_FREE:
		return sys_rc(madvise((void *)a, len, MADV_FREE));
	case M_COLD:
		return sys_rc(madvise((void *)a, len, MADV_COLD));
	case M_PAGEOUT:
		return sys_rc(madvise((void *)a, len, MADV_PAGEOUT));
	case M_PROT_RO:
		return sys_rc(mprotect((void *)a, len, PROT_READ));
	case M_PROT_RO_BACK:
		rc = sys_rc(mprotect((void *)a, len, PROT_READ));
		return rc ? rc : sys_rc(mprotect((void *)a, len, PROT_READ | PROT_WRITE));
	case M_MREMAP_AWAY:
		rc = mremap_range(c, c->base, MOVED_BASE);
		moved = !rc;
		return rc;
	case M_MREMAP_BACK:
		rc = mremap_range(c, c->base, MOVED_BASE);
		return rc ? rc : mremap_range(c, MOVED_BASE, c->base);
	case M_COLLAPSE:
		/* split the PMD in place, then ask for the huge page again */
		rc = sys_rc(mprotect((void *)a, page, PROT_READ));
		rc = rc ? rc : sys_rc(mprotect((void *)a, page, PROT_READ | PROT_WRITE));
		madvise((void *)c->base, all, MADV_COLLAPSE);
		return rc;
	case M_THP_SPLIT:
		return sys_rc(mprotect((void *)a, page, PROT_READ));
	case M_MIGRATE:
		migrate(c);
		return 0;
	case M_KSM:
		rc = write_mpages(c, salt(c, S_KSM), 1);
		rc = rc ? rc : sys_rc(madvise((void *)c->base, all, MADV_MERGEABLE));
		ksm_wait();
		return rc;
	case M_OWNER_WRITE:
		return write_mpages(c, salt(c, S_PARENT), 0);
	case M_PRECHILD_WRITE: case M_PRECHILD_EXIT:
		/* the child first, then the owner: on MAP_SHARED, one order */
		rc = prechild(c->mut == M_PRECHILD_WRITE ? 'W' : 'E');
		return rc ? rc : write_mpages(c, salt(c, S_PARENT), 0);
	default:
		return 0;
	}
}

/* Whether the region at @base is PMD-mapped: smaps, else meminfo's delta */
static int thp_mapped(const struct xcase *c, long before_kb)
{
	long kb = smaps_kb(0, (void *)c->base, "AnonHugePages");

	if (kb < 0)
		kb = meminfo("AnonHugePages") - before_kb;
	return kb * 1024 >= (long)thp_size;
}

/* Map and fill the region; the kinds backed by a memfd get its pattern */
static int map_region(const struct xcase *c)
{
	size_t len = c->npages * page, i;
	int flags = MAP_FIXED_NOREPLACE, fd = -1;
	static uint64_t buf[65536 / 8];
	void *p;

	switch (c->kind) {
	case K_ANON: case K_THP:
		flags |= MAP_PRIVATE | MAP_ANONYMOUS;
		break;
	case K_SHARED:
		flags |= MAP_SHARED | MAP_ANONYMOUS;
		break;
	case K_HUGETLB:
		flags |= MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB;
		break;
	case K_MEMFD: case K_FILEPRIV:
		fd = memfd_create("stall", MFD_CLOEXEC);
		if (fd < 0 || ftruncate(fd, len))
			return errno;
		flags |= c->kind == K_MEMFD ? MAP_SHARED : MAP_PRIVATE;
		break;
	default:
		break;
	}
	/* the file's own bytes: a private mapping reads them until it writes */
	for (i = 0; c->kind == K_FILEPRIV && i < c->npages; i++) {
		fill_page(buf, c->base + i * page, salt(c, S_TARGET));
		if (pwrite(fd, buf, page, i * page) != (ssize_t)page)
			return errno;
	}
	p = mmap((void *)c->base, len, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (p == MAP_FAILED || (uintptr_t)p != c->base)
		return p == MAP_FAILED ? errno : EEXIST;
	if (fd >= 0)
		close(fd);
	if (c->kind == K_THP)
		madvise(p, len, MADV_HUGEPAGE);
	else if (c->kind == K_ANON)
		madvise(p, len, MADV_NOHUGEPAGE);
	for (i = 0; i < c->npages; i++) {
		if (c->kind == K_FILEPRIV) {
			touch_page(c->base + i * page, buf, 0);	/* map, no COW */
			continue;
		}
		fill_page((void *)(c->base + i * page), c->base + i * page,
			  salt(c, S_TARGET));
	}
	return 0;
}

static __attribute__((noreturn)) void target_main(const struct xcase *c, struct chan *ch)
{
	long before = meminfo("AnonHugePages");
	struct sigaction sa = { .sa_handler = on_fault };
	int rc;
	char cmd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	close(ch->cmd_t[1]);
	close(ch->cmd_c[1]);
	close(ch->cmd_s[0]);
	close(ch->cmd_s[1]);
	close(ch->ack[0]);
	close(ch->stop[0]);
	close(ch->stop[1]);
	close(uffd);

	rc = map_region(c);
	rep->thp = !rc && c->kind == K_THP && thp_mapped(c, before);
	/* a hugetlb region may not map (printed), a precondition must work */
	ack(ch->ack[1], 'T', rc ? -rc : 0, rc ? 0 : precondition(c, ch));
	while (read(ch->cmd_t[0], &cmd, 1) == 1) {
		switch (cmd) {
		case 'M':
			rc = mutate(c, ch);
			ack(ch->ack[1], 'T', rc, 0);
			if (kills_target(c->mut))
				_exit(0);
			break;
		case 'R':
			report_view(c, views[0], 0);
			ack(ch->ack[1], 'T', 0, 0);
			break;
		case 'X':
			/*
			 * ECHILD if it exited in the mutation; a pre-forked
			 * child whose mutation never came (no park) ends now
			 */
			if (rep->child_pid > 0 && c->mut != M_FORK_CHILD_EXIT)
				waitpid(rep->child_pid, NULL, 0);
			_exit(0);
		}
	}
	_exit(0);
}

/* The second caller: one writev of its own into the mutation's pages */
static __attribute__((noreturn)) void second_main(const struct xcase *c, struct chan *ch)
{
	static struct iovec l[MAX_REGION_PAGES], r[MAX_REGION_PAGES];
	unsigned int i, n = 0;
	unsigned char *buf;
	long ret;
	char cmd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(ch->cmd_t[1]);
	close(ch->cmd_c[1]);
	close(ch->cmd_s[1]);
	close(ch->ack[0]);
	close(ch->stop[0]);
	close(ch->stop[1]);
	close(uffd);
	buf = malloc(c->npages * page);
	if (!buf)
		_exit(3);
	for (i = 0; i < c->npages; i++) {
		if (!c->mpage[i])
			continue;
		fill_page(buf + n * page, c->base + i * page, salt(c, S_SECOND));
		l[n].iov_base = buf + n * page;
		l[n].iov_len = page;
		r[n].iov_base = (void *)(c->base + i * page);
		r[n++].iov_len = page;
	}
	while (read(ch->cmd_s[0], &cmd, 1) == 1) {
		if (cmd != 'M')
			break;
		errno = 0;
		ret = syscall(CMA_NR_WRITEV, ch->target, l, n, r, n, 0UL);
		ack(ch->ack[1], 'S', ret, ret < 0 ? errno : 0);
	}
	_exit(0);
}

/* ---- the caller -------------------------------------------------------- */

static void send_cmd(int fd, char cmd)
{
	/* a process that exited already cannot be told: EPIPE is fine */
	if (write(fd, &cmd, 1) != 1 && errno != EPIPE)
		fatal("command %c", cmd);
}

static struct ack wait_ack(int fd, int who)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct ack a;

	if (poll(&p, 1, ACK_TIMEOUT_MS) != 1)
		fatal("no answer from %c", who);
	if (read(fd, &a, sizeof(a)) != sizeof(a) || a.who != who)
		fatal("bad answer from %c", who);
	return a;
}

/* The initial word at local address @addr of @c's buffer */
static uint64_t local_word(const struct xcase *c, uintptr_t addr)
{
	uintptr_t pg = addr & ~(uintptr_t)(page - 1);

	return pattern_word(pg ^ salt(c, pg == c->park ? S_RESOLVE : S_LOCAL),
			    (addr - pg) / 8);
}

/*
 * Every local page of the layout filled, then the park page dropped: it is
 * missing again.  The pages past the layout are not looked at.
 */
static void prepare_local(const struct xcase *c, int zero)
{
	unsigned int i;

	for (i = 0; i < c->lpages; i++) {
		uintptr_t a = LOCAL_BASE + i * page;

		if (zero)
			memset((void *)a, 0, page);
		else
			fill_page((void *)a, a, salt(c, S_LOCAL));
	}
	if (zero)
		memset(resolve_buf, 0, page);
	else
		fill_page(resolve_buf, c->park, salt(c, S_RESOLVE));
	if (madvise((void *)c->park, page, MADV_DONTNEED))
		fatal("MADV_DONTNEED of the park page");
}

/* Put the page at @addr in place and wake whoever waits for it */
static int resolve(uintptr_t addr)
{
	struct uffdio_copy cp = {
		.dst = addr, .src = (uintptr_t)resolve_buf, .len = page,
	};

	if (ioctl(uffd, UFFDIO_COPY, &cp) && errno != EEXIST)
		return -1;
	return 0;
}

struct handler {
	const struct xcase *c;
	struct chan *ch;
	struct run *r;
};

/* The mutation, from the handler thread while the call is parked */
static void park_and_mutate(const struct xcase *c, struct chan *ch, struct run *r)
{
	struct ack a;

	if (c->mut == M_SECOND) {
		send_cmd(ch->cmd_s[1], 'M');
		a = wait_ack(ch->ack[0], 'S');
		r->sret = a.val;
		r->serr = a.val2;
		return;
	}
	send_cmd(ch->cmd_t[1], 'M');
	a = wait_ack(ch->ack[0], 'T');
	r->mret = a.val;
	if (kills_target(c->mut)) {
		/* exit and reap: the call goes on with the mm it holds */
		if (waitpid(ch->target, NULL, 0) != ch->target)
			fatal("reaping the target");
		ch->target_gone = 1;
	}
}

/*
 * The handler thread: the first fault is the park (the mutation happens,
 * then the page is put in); any other fault of the buffer is only resolved.
 */
static void *handler_main(void *arg)
{
	struct handler *h = arg;
	struct pollfd p[2] = {
		{ .fd = uffd, .events = POLLIN },
		{ .fd = h->ch->stop[0], .events = POLLIN },
	};
	struct uffd_msg msg;
	uintptr_t addr;

	for (;;) {
		if (poll(p, 2, ACK_TIMEOUT_MS) < 1)
			fatal("the call neither parked nor returned");
		if (p[1].revents)
			return NULL;
		if (read(uffd, &msg, sizeof(msg)) != sizeof(msg))
			continue;
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		addr = msg.arg.pagefault.address & ~(uint64_t)(page - 1);
		if (!h->r->parked) {
			h->r->parked = addr == h->c->park ? 1 : -1;
			park_and_mutate(h->c, h->ch, h->r);
		}
		if (resolve(addr))
			fatal("UFFDIO_COPY");
	}
}

static void open_chan(struct chan *ch)
{
	memset(ch, 0, sizeof(*ch));
	if (pipe2(ch->cmd_t, O_CLOEXEC) || pipe2(ch->cmd_c, O_CLOEXEC) ||
	    pipe2(ch->cmd_s, O_CLOEXEC) || pipe2(ch->ack, O_CLOEXEC) ||
	    pipe2(ch->stop, O_CLOEXEC))
		fatal("pipe");
}

static void close_chan(struct chan *ch)
{
	close(ch->cmd_t[1]);
	close(ch->cmd_c[1]);
	close(ch->cmd_s[1]);
	close(ch->ack[0]);
	close(ch->stop[0]);
	close(ch->stop[1]);
}

static pid_t start(const struct xcase *c, struct chan *ch,
		   void (*fn)(const struct xcase *, struct chan *))
{
	pid_t pid = fork_or_die();

	if (pid == 0)
		fn(c, ch);
	return pid;
}

static uint64_t hash_view(const struct xcase *c, const struct view *v)
{
	uint64_t h = 0;
	unsigned int i;

	for (i = 0; i < c->npages; i++)
		h = mix64(h ^ v->hash[i]);
	return h;
}

static uint64_t hash_local(const struct xcase *c)
{
	uint64_t h = 0;
	unsigned int i;

	for (i = 0; i < c->lpages; i++)
		h = hash_page(h ^ i, (void *)(LOCAL_BASE + i * page));
	return h;
}

static unsigned long variant_flags(enum variant v)
{
	switch (v) {
	case V_PIDFD: return CMA_PIDFD;
	case V_NOWAIT: return CMA_NOWAIT;
	case V_PIDFD_NOWAIT: return CMA_PIDFD | CMA_NOWAIT;
	case V_REDUCE: case V_REDUCE_ZERO:
		return CMA_REDUCE(CMA_OP_SUM, CMA_TYPE_U64);
	default: return 0;
	}
}

/* The call, parked by the handler thread */
static void call(const struct xcase *c, struct chan *ch, enum variant v,
		 struct run *r)
{
	unsigned long flags = variant_flags(v);
	struct handler h = { c, ch, r };
	long pid = ch->target;
	pthread_t thread;
	int pidfd = -1;

	if (flags & CMA_PIDFD) {
		pidfd = syscall(__NR_pidfd_open, ch->target, 0);
		if (pidfd < 0)
			fatal("pidfd_open");
		pid = pidfd;
	}
	if (pthread_create(&thread, NULL, handler_main, &h))
		fatal("pthread_create");
	errno = 0;
	r->ret = syscall(c->write ? CMA_NR_WRITEV : CMA_NR_READV, pid,
			 c->liov, (unsigned long)c->nl, c->riov,
			 (unsigned long)c->nr, flags);
	r->err = r->ret < 0 ? errno : 0;
	if (write(ch->stop[1], "s", 1) != 1)
		fatal("stopping the handler");
	pthread_join(thread, NULL);
	if (pidfd >= 0)
		close(pidfd);
	/* a call that never parked leaves the page missing: put it in */
	if (resolve(c->park))
		fatal("UFFDIO_COPY after the call");
}

/*
 * After the call: the views of the target and its child (forked by the
 * mutation, or before the call), then the end
 */
static void collect(const struct xcase *c, struct chan *ch, struct run *r)
{
	int child = rep->child_pid > 0 &&
		    ((is_fork(c->mut) && r->mret == 0) || c->pre == P_FORKED);

	if (!ch->target_gone) {
		send_cmd(ch->cmd_t[1], 'R');
		wait_ack(ch->ack[0], 'T');
	}
	if (child && !child_exits(c->mut)) {
		send_cmd(ch->cmd_c[1], 'R');
		wait_ack(ch->ack[0], 'C');
	}
	r->tstate = ch->target_gone ? VIEW_DEAD : views[0]->state;
	r->cstate = child ? views[1]->state : VIEW_NONE;
	r->target = r->tstate == VIEW_OK ? hash_view(c, views[0]) : 0;
	r->child = r->cstate == VIEW_OK ? hash_view(c, views[1]) : 0;

	send_cmd(ch->cmd_c[1], 'X');
	if (!ch->target_gone) {
		send_cmd(ch->cmd_t[1], 'X');
		waitpid(ch->target, NULL, 0);
	} else if (child && c->mut == M_FORK_PARENT_EXIT) {
		/* reparented to us, the subreaper */
		waitpid(rep->child_pid, NULL, 0);
	}
	if (ch->second) {
		send_cmd(ch->cmd_s[1], 'X');
		waitpid(ch->second, NULL, 0);
	}
}

/*
 * One run of case @c: a fresh target, the call parked and the mutation
 * done, the views collected, every process reaped.  @v says how to call;
 * V_REDUCE_ZERO calls with a local buffer of zeros.
 */
static void run_case(const struct xcase *c, enum variant v, struct run *r)
{
	struct chan ch;
	struct ack a;

	memset(r, 0, sizeof(*r));
	r->thp = -1;
	r->huge = -1;
	r->mret = INT_MIN;
	if ((c->kind == K_THP && !thp_size) || (c->kind == K_HUGETLB && !huge_size)) {
		r->skipped = 1;
		return;
	}
	if (c->kind == K_HUGETLB)
		ensure_huge();
	memset(rep, 0, sizeof(*rep));
	/* the bytes after a view are written whenever its state is */
	memset(views[0], 0, sizeof(struct view));
	memset(views[1], 0, sizeof(struct view));
	moved = 0;

	open_chan(&ch);
	ch.target = start(c, &ch, target_main);
	close(ch.cmd_t[0]);
	close(ch.cmd_c[0]);
	a = wait_ack(ch.ack[0], 'T');
	if (a.val2)
		fatal("target precondition (pre=%s): %s", pre_names[c->pre],
		      strerror(a.val2));
	r->ksm_pages = rep->ksm_pages;
	r->ksm_merged = rep->ksm_merged;
	if (c->kind == K_THP)
		r->thp = rep->thp;
	if (c->kind == K_HUGETLB)
		r->huge = a.val == 0;
	if (a.val) {
		/* hugetlb may fail to map: printed, not fatal (huge=0) */
		if (c->kind != K_HUGETLB)
			fatal("target setup: %s", strerror(-a.val));
		send_cmd(ch.cmd_t[1], 'X');
		waitpid(ch.target, NULL, 0);
		close(ch.cmd_s[0]);
		close(ch.ack[1]);
		close_chan(&ch);
		r->skipped = 1;
		return;
	}
	if (c->mut == M_SECOND)
		ch.second = start(c, &ch, second_main);
	close(ch.cmd_s[0]);
	close(ch.ack[1]);

	/* only now: from here on the call is sure to resolve the park page */
	prepare_local(c, v == V_REDUCE_ZERO);
	call(c, &ch, v, r);
	collect(c, &ch, r);
	close_chan(&ch);
	r->local = hash_local(c);
}

/* ---- the transcript ---------------------------------------------------- */

static void print_env(const struct xcase *c, const struct run *r)
{
	if (c->kind == K_THP)
		printf(r->thp < 0 ? " thp=none" : " thp=%d", r->thp);
	if (c->kind == K_HUGETLB)
		printf(r->huge < 0 ? " hugetlb=none" : r->huge ? " hugetlb=ok" : " hugetlb=fail");
}

static void print_mut_env(const struct xcase *c)
{
	if (c->mut == M_MIGRATE)
		printf(" numa=%d", numa_nodes < 2 ? 1 : 2);
	if (c->mut == M_KSM || c->pre == P_KSM)
		printf(" ksm=%d", ksm_on);
}

static const char *state_hash(int state, uint64_t h, char *buf)
{
	if (state == VIEW_DEAD)
		return "dead";
	if (state != VIEW_OK)
		return "-";
	sprintf(buf, "%016llx", (unsigned long long)h);
	return buf;
}

/* Everything after the case's description: what the kernels must agree on */
static void print_outcome(const struct xcase *c, const struct run *r)
{
	char tb[24], cb[24];

	if (r->skipped) {
		printf(" skipped\n");
		return;
	}
	printf(" parked=%d", r->parked);
	if (mret_printed(c->mut))
		printf(" mret=%d", r->mret);
	if (c->mut == M_SECOND)
		printf(" second=%ld/%d", r->sret, r->serr);
	printf(" ret=%ld errno=%d local=%016llx target=%s child=%s\n",
	       r->ret, r->err, (unsigned long long)r->local,
	       state_hash(r->tstate, r->target, tb),
	       state_hash(r->cstate, r->child, cb));
}

static void print_case(const char *prefix, const struct xcase *c,
		       const struct run *r)
{
	printf("%s abi=%s seed=%llu case=%llu kind=%s", prefix, CMA_ABI,
	       (unsigned long long)c->seed, (unsigned long long)c->idx,
	       kind_names[c->kind]);
	print_env(c, r);
	/* pre=own is not printed: the lines of the pairs it always had */
	if (c->pre != P_OWN)
		printf(" pre=%s", pre_names[c->pre]);
	printf(" mut=%s", mut_names[c->mut]);
	print_mut_env(c);
	printf(" call=%s shape=%ux%u len=%zu park=%u.%u@%zu",
	       c->write ? "writev" : "readv", c->nl, c->nr, c->total,
	       c->park_iov, c->park_page, c->park_off);
	print_outcome(c, r);
}

static void print_detail(const struct xcase *c)
{
	unsigned int i;

	printf("stall-detail case=%llu local", (unsigned long long)c->idx);
	for (i = 0; i < c->nl; i++)
		printf(" %#lx+%#zx", (unsigned long)(uintptr_t)c->liov[i].iov_base,
		       c->liov[i].iov_len);
	printf(" remote");
	for (i = 0; i < c->nr; i++)
		printf(" %#lx+%#zx", (unsigned long)(uintptr_t)c->riov[i].iov_base,
		       c->riov[i].iov_len);
	printf(" parkpage=%#lx window", (unsigned long)c->park);
	for (i = 0; i < c->npages; i++)
		if (c->window[i])
			printf(" %u", i);
	printf(" writes");
	for (i = 0; i < c->npages; i++)
		if (c->mpage[i])
			printf(" %u", i);
	printf(" range=%u-%u\n", c->ma, c->mb);
}

/* ---- the flags: equivalence and the REDUCE model ----------------------- */

/* What a REDUCE check needs of a run beyond its line: bytes */
struct saved {
	struct run r;
	unsigned char *local;		/* LOCAL_PAGES pages */
	unsigned char *view[2];		/* view_bytes each */
};

static void *map_private(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		fatal("mmap of %zu bytes", len);
	/* not for the targets: keeps their forks cheap */
	madvise(p, len, MADV_DONTFORK);
	return p;
}

static void save_run(const struct xcase *c, struct saved *s,
		     const struct run *r)
{
	size_t len = sizeof(struct view) + c->nxfer * page;

	s->r = *r;
	memcpy(s->local, (void *)LOCAL_BASE, c->lpages * page);
	memcpy(s->view[0], views[0], len);
	memcpy(s->view[1], views[1], len);
}

/* What same_outcome() compares beyond the call's result */
#define SAME_LOCAL	1
#define SAME_VIEWS	2

static int same_outcome(const struct run *a, const struct run *b, int what)
{
	return a->skipped == b->skipped && a->ret == b->ret &&
	       a->err == b->err && a->parked == b->parked &&
	       a->mret == b->mret && a->sret == b->sret && a->serr == b->serr &&
	       a->tstate == b->tstate && a->cstate == b->cstate &&
	       (!(what & SAME_VIEWS) ||
		(a->target == b->target && a->child == b->child)) &&
	       (!(what & SAME_LOCAL) || a->local == b->local);
}

/* Local address of transfer offset @t */
static uintptr_t local_addr(const struct xcase *c, size_t t)
{
	unsigned int i;

	for (i = 0; i < c->nl; i++) {
		if (t < c->liov[i].iov_len)
			return (uintptr_t)c->liov[i].iov_base + t;
		t -= c->liov[i].iov_len;
	}
	return 0;
}

/* Transfer offset of region offset @off, or SIZE_MAX if no iovec has it */
static size_t transfer_offset(const struct xcase *c, size_t off)
{
	uintptr_t a = c->base + off;
	size_t t = 0;
	unsigned int i;

	for (i = 0; i < c->nr; t += c->riov[i].iov_len, i++) {
		uintptr_t b = (uintptr_t)c->riov[i].iov_base;

		if (a >= b && a < b + c->riov[i].iov_len)
			return t + (a - b);
	}
	return SIZE_MAX;
}

/*
 * readv with SUM: local = local + remote for every element moved.  The
 * plain call left "remote" in those places, so the model is the initial
 * local word plus the plain call's word, everywhere the plain call moved
 * bytes, and the initial word elsewhere.  Return: differing words.
 */
static unsigned long check_reduce_read(const struct xcase *c,
				       const struct saved *plain)
{
	const uint64_t *pl = (const uint64_t *)plain->local;
	const uint64_t *now_ = (const uint64_t *)LOCAL_BASE;
	size_t t, moved_ = plain->r.ret > 0 ? plain->r.ret : 0, w;
	unsigned long bad = 0;
	static uint64_t model[LOCAL_PAGES * 65536 / 8];

	for (w = 0; w < c->lpages * page / 8; w++)
		model[w] = local_word(c, LOCAL_BASE + w * 8);
	for (t = 0; t < moved_; t += 8) {
		w = (local_addr(c, t) - LOCAL_BASE) / 8;
		model[w] += pl[w];
	}
	for (w = 0; w < c->lpages * page / 8; w++)
		bad += model[w] != now_[w];
	return bad;
}

/*
 * writev with SUM: remote = remote + local.  A remote element either took
 * the call's write and kept it (the plain call left the local word there),
 * or not (a page the target no longer has, a fork child's copy, a later
 * write by the mutation).  The zero run, a reduction of zeros, left what the
 * element was when the call wrote it, or what it became.  So the model of
 * the reduction is zero + local where the plain call's word is the local
 * word, and zero elsewhere.  Return: differing pages.
 */
static unsigned long check_reduce_view(const struct xcase *c, int k,
				       const struct saved *plain,
				       const struct saved *zero,
				       const struct view *red)
{
	const struct view *pv = (const void *)plain->view[k];
	const struct view *zv = (const void *)zero->view[k];
	const unsigned char *pb = (const unsigned char *)(pv + 1);
	const unsigned char *zb = (const unsigned char *)(zv + 1);
	const uint64_t *lw = (const uint64_t *)plain->local;
	static uint64_t model[65536 / 8];
	size_t moved_ = plain->r.ret > 0 ? plain->r.ret : 0, e, t;
	unsigned int i, j = 0;
	unsigned long bad = 0;

	for (i = 0; i < c->npages; i++) {
		int x = j < c->nxfer && c->xfer[j] == i;

		if (!x || zv->bad[i]) {
			bad += red->hash[i] != zv->hash[i];
			j += x;
			continue;
		}
		memcpy(model, zb + j * page, page);
		for (e = 0; e < page / 8; e++) {
			uint64_t pw, l;

			t = transfer_offset(c, i * page + e * 8);
			if (t == SIZE_MAX || t >= moved_)
				continue;
			l = lw[(local_addr(c, t) - LOCAL_BASE) / 8];
			memcpy(&pw, pb + j * page + e * 8, 8);
			if (pw == l)
				model[e] += l;
		}
		bad += red->hash[i] != hash_page(mix64(i), model);
		j++;
	}
	return bad;
}

struct flagstats {
	unsigned long checked, differ, skipped;
	unsigned long by_variant[NR_VARIANTS];
};

/*
 * The flag variant of case @c (by its index, so the same cases get the
 * same variant on every run), or V_PLAIN if there is none to run.
 */
static enum variant pick_variant(const struct xcase *c)
{
	static const enum variant order[4] = {
		V_PIDFD, V_NOWAIT, V_REDUCE, V_PIDFD_NOWAIT,
	};
	enum variant v = order[c->idx % 4];

	/* MADV_PAGEOUT may leave a page that needs I/O to come back */
	if ((v == V_NOWAIT || v == V_PIDFD_NOWAIT) && c->mut == M_PAGEOUT)
		v = V_PIDFD;
	if (v == V_REDUCE && !c->reduce_ok)
		v = V_PIDFD;
	return v;
}

static void flag_line(const struct xcase *c, enum variant v, const char *res,
		      const struct run *r)
{
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "stall-flag %s %s", res, variant_names[v]);
	print_case(prefix, c, r);
}

static void check_flags(const struct xcase *c, struct saved *plain,
			struct saved *zero, struct flagstats *fs)
{
	enum variant v = pick_variant(c);
	unsigned long bad = 0;
	struct run r, z;
	int k;

	if (plain->r.skipped)
		return;
	if (v == V_REDUCE && c->write) {
		run_case(c, V_REDUCE_ZERO, &z);
		save_run(c, zero, &z);
	}
	run_case(c, v, &r);
	if (r.thp != plain->r.thp || r.skipped) {
		fs->skipped++;
		flag_line(c, v, "skipped(thp)", &r);
		return;
	}
	fs->checked++;
	fs->by_variant[v]++;
	if (v != V_REDUCE) {
		bad = !same_outcome(&r, &plain->r, SAME_LOCAL | SAME_VIEWS);
	} else if (!c->write) {
		/* the target's side is as the plain call left it */
		bad = !same_outcome(&r, &plain->r, SAME_VIEWS) +
		      check_reduce_read(c, plain);
	} else {
		/* the local side is; the views follow the model */
		bad = !same_outcome(&r, &plain->r, SAME_LOCAL) ||
		      !same_outcome(&z, &plain->r, 0);
		for (k = 0; k < 2 && !bad; k++) {
			int st = k ? r.cstate : r.tstate;

			if (st == VIEW_OK)
				bad += check_reduce_view(c, k, plain, zero, views[k]);
		}
	}
	flag_line(c, v, bad ? "DIFFERS" : "same", &r);
	if (bad) {
		fs->differ++;
		print_case("stall-flag plain", c, &plain->r);
	}
}

/* ---- running ----------------------------------------------------------- */

struct timing {
	unsigned long cases[NR_KINDS];
	double secs[NR_KINDS];
};

struct seedstats {
	unsigned long cases, parked, skipped, repeat_differ, repeat_thp;
	/* pre=ksm cases with pages to merge; all merged, some merged */
	unsigned long ksm_cases, ksm_all, ksm_some;
	struct flagstats fs;
};

static void run_seed(uint64_t seed, uint64_t first, uint64_t cases,
		     unsigned int repeat, struct seedstats *st,
		     struct timing *tm, struct saved *plain, struct saved *zero)
{
	static struct xcase c;
	struct run r, again;
	unsigned int k;
	uint64_t i;
	double t0;

	for (i = first; i < first + cases; i++) {
		gen_case(&c, seed, i);
		if (verbose)
			print_detail(&c);
		t0 = now_s();
		run_case(&c, V_PLAIN, &r);
		tm->secs[c.kind] += now_s() - t0;
		tm->cases[c.kind]++;
		print_case("stall-case", &c, &r);
		st->cases++;
		st->parked += r.parked == 1;
		st->skipped += r.skipped;
		if (c.pre == P_KSM && !r.skipped && r.ksm_pages > 1) {
			st->ksm_cases++;
			st->ksm_all += r.ksm_merged >= r.ksm_pages;
			st->ksm_some += r.ksm_merged > 0;
		}
		if (have_flags)
			save_run(&c, plain, &r);
		for (k = 1; k < repeat; k++) {
			run_case(&c, V_PLAIN, &again);
			/* THP or not is the machine's, as for stall-compare.sh */
			if (again.thp != r.thp) {
				st->repeat_thp++;
				continue;
			}
			if (same_outcome(&again, &r, SAME_LOCAL | SAME_VIEWS))
				continue;
			st->repeat_differ++;
			print_case("stall-repeat-differs", &c, &again);
		}
		if (have_flags)
			check_flags(&c, plain, zero, &st->fs);
	}
}

/* ---- setup ------------------------------------------------------------- */

/* The caller's buffer, every page there, then registered with userfaultfd */
static void setup_local(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {
		.range = { .start = LOCAL_BASE, .len = LOCAL_PAGES * page },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	void *p = mmap((void *)LOCAL_BASE, LOCAL_PAGES * page,
		       PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED || (uintptr_t)p != LOCAL_BASE)
		fatal("mmap of the local buffer");
	madvise(p, LOCAL_PAGES * page, MADV_NOHUGEPAGE);
	madvise(p, LOCAL_PAGES * page, MADV_DONTFORK);
	memset(p, 1, LOCAL_PAGES * page);

	/* kernel-mode faults too: no UFFD_USER_MODE_ONLY, so root only */
	uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0)
		fatal("userfaultfd");
	if (ioctl(uffd, UFFDIO_API, &api))
		fatal("UFFDIO_API");
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		fatal("UFFDIO_REGISTER");
}

/* The report area: shared with the targets and their children */
static void setup_report(void)
{
	size_t hdr = page;
	unsigned char *p;

	view_bytes = (sizeof(struct view) + MAX_XFER_PAGES * page + page - 1) &
		     ~(page - 1);
	p = mmap(NULL, hdr + 2 * view_bytes, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		fatal("mmap of the report area");
	rep = (struct report *)p;
	views[0] = (struct view *)(p + hdr);
	views[1] = (struct view *)(p + hdr + view_bytes);
	resolve_buf = map_private(page);
}

static void setup_saved(struct saved *s)
{
	s->local = map_private(LOCAL_PAGES * page);
	s->view[0] = map_private(view_bytes);
	s->view[1] = map_private(view_bytes);
}

/* The flag variants need the flags and the REDUCE that they use */
static int cma_has_flags(void)
{
	return !cma_probe(CMA_KNOWN_FLAGS) &&
	       !cma_probe(CMA_REDUCE(CMA_OP_SUM, CMA_TYPE_U64));
}

/* ---- options ----------------------------------------------------------- */

struct options {
	uint64_t seeds[MAX_SEEDS];
	unsigned int nseeds, repeat;
	uint64_t first, cases;
};

static void usage(void)
{
	printf("usage: stall --seed S[,S...] --cases N [--first I] [--repeat R] [--verbose]\n");
	exit(2);
}

static void parse_args(struct options *o, int argc, char **argv)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->repeat = 1;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			parse_seed_list(o->seeds, &o->nseeds, MAX_SEEDS,
					argv[++i]);
		else if (!strcmp(argv[i], "--cases") && i + 1 < argc)
			o->cases = number(argv[++i]);
		else if (!strcmp(argv[i], "--first") && i + 1 < argc)
			o->first = number(argv[++i]);
		else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
			o->repeat = number(argv[++i]);
		else if (!strcmp(argv[i], "--verbose"))
			verbose = 1;
		else
			usage();
	}
	if (!o->nseeds || !o->cases || !o->repeat)
		usage();
}

static void print_timing(const struct timing *tm)
{
	unsigned int k;

	for (k = 0; k < NR_KINDS; k++)
		if (tm->cases[k])
			ksft_print_msg("stall %s kind %-8s %5lu cases, %.2f ms per case\n",
				       CMA_ABI, kind_names[k], tm->cases[k],
				       1e3 * tm->secs[k] / tm->cases[k]);
}

static void report_seed(uint64_t seed, const struct seedstats *st,
			unsigned int repeat, double t)
{
	const struct flagstats *fs = &st->fs;
	unsigned long long s = seed;

	ksft_print_msg("stall %s seed %llu: %lu cases (%lu parked, %lu skipped) in %.1f s\n",
		       CMA_ABI, s, st->cases, st->parked, st->skipped, t);
	/* not in the transcript: whether ksmd merged is the machine's */
	if (st->ksm_cases)
		ksft_print_msg("stall %s seed %llu: pre=ksm %lu cases with alike pages, all merged before the call in %lu, some in %lu (ksm %d)\n",
			       CMA_ABI, s, st->ksm_cases, st->ksm_all,
			       st->ksm_some, ksm_on);
	ksft_test_result_pass("stall_%s_seed_%llu (transcript only: compare it with stall-compare.sh)\n",
			      CMA_ABI, s);
	if (repeat > 1)
		ksft_test_result(!st->repeat_differ,
				 "stall_%s_seed_%llu_repeat: every case gave the same line %u times, %lu differ (%lu skipped: THP on one run only)\n",
				 CMA_ABI, s, repeat, st->repeat_differ, st->repeat_thp);
	if (!have_flags) {
		ksft_test_result_skip("stall_%s_seed_%llu_flags: no PROCESS_VM flags, the probe returned EINVAL\n",
				      CMA_ABI, s);
		return;
	}
	ksft_print_msg("stall %s seed %llu flags: pidfd %lu, nowait %lu, pidfd+nowait %lu, reduce %lu, skipped %lu\n",
		       CMA_ABI, s, fs->by_variant[V_PIDFD], fs->by_variant[V_NOWAIT],
		       fs->by_variant[V_PIDFD_NOWAIT], fs->by_variant[V_REDUCE],
		       fs->skipped);
	ksft_test_result(!fs->differ && fs->checked,
			 "stall_%s_seed_%llu_flags: %lu flag cases equal the plain call or the REDUCE model, %lu differ\n",
			 CMA_ABI, s, fs->checked - fs->differ, fs->differ);
}

int main(int argc, char **argv)
{
	static struct saved plain, zero;
	static struct timing tm;
	struct options o;
	struct pins p0, p1;
	unsigned int s;
	int balanced;
	double t0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_args(&o, argc, argv);
	ksft_print_header();
	ksft_set_plan(o.nseeds * (o.repeat > 1 ? 3 : 2) + 1);
	if (getuid() != 0)
		ksft_exit_fail_msg("stall must run as root (kernel-mode userfaultfd faults, huge pages, KSM)\n");
	page = sysconf(_SC_PAGESIZE);
	if (page > 65536)
		ksft_exit_fail_msg("pages of %zu bytes: at most 64 KiB\n", page);
	small_pages = SMALL_BYTES / page > SMALL_MIN_PAGES ? SMALL_BYTES / page : SMALL_MIN_PAGES;
	xfer_pages = XFER_BYTES / page > XFER_MIN_PAGES ? XFER_BYTES / page : XFER_MIN_PAGES;
	gap_max = GAP_BYTES > 2 * page ? 2 * page : GAP_BYTES;
	signal(SIGPIPE, SIG_IGN);
	/* a target's child whose parent exited comes back to us */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (pins_read(&p0))
		p0.acquired = p0.released = -1;
	probe_env();
	make_pairs();
	setup_local();
	setup_report();
	setup_saved(&plain);
	setup_saved(&zero);
	have_flags = cma_has_flags();
	ksft_print_msg("stall %s: page %zu, thp %zu, hugetlb %zu, numa nodes %d, ksm %d, flags %d, %u (kind, pre, mutation) pairs\n",
		       CMA_ABI, page, thp_size, huge_size, numa_nodes, ksm_on,
		       have_flags, nr_pairs);

	for (s = 0; s < o.nseeds; s++) {
		struct seedstats st;

		memset(&st, 0, sizeof(st));
		t0 = now_s();
		run_seed(o.seeds[s], o.first, o.cases, o.repeat, &st, &tm,
			 &plain, &zero);
		report_seed(o.seeds[s], &st, o.repeat, now_s() - t0);
	}
	print_timing(&tm);

	restore_env();
	balanced = p0.acquired >= 0 ?
		   pins_settle_to(&p1, p0.acquired - p0.released, 5) : -1;
	if (balanced < 0) {
		ksft_test_result_skip("stall_%s_pins: /proc/vmstat has no nr_foll_pin_* counters\n",
				      CMA_ABI);
	} else {
		ksft_print_msg("nr_foll_pin_acquired %lld released %lld (outstanding %lld at the start)\n",
			       p1.acquired, p1.released, p0.acquired - p0.released);
		ksft_test_result(balanced,
				 "stall_%s_pins: every FOLL_PIN taken during the run was released\n",
				 CMA_ABI);
	}
	ksft_finished();
}
