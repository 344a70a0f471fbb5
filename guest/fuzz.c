// SPDX-License-Identifier: GPL-2.0
/*
 * Differential fuzzer for process_vm_readv() and process_vm_writev().
 *
 * Call i of seed S is generated from (S, i) alone: the iovec counts and
 * shapes, the lengths (zero, small, page crossing, huge, negative), the
 * placement of both iovec arrays (normal, straddling into an unreadable page,
 * NULL, kernel or wild pointers), flags, the pid (a child target, an
 * unprivileged child, ourselves, a zombie, a reaped pid, init, kthreadd,
 * nonsense values) and whether we call as uid 1000.  Memory lives at fixed
 * addresses, so the same call sees the same memory on any kernel.
 *
 * The program cannot know the right answers; it only reports them.  For each
 * call it hashes the return value, errno and the bytes of every page the
 * call could have touched, and prints one digest line per block of calls.
 * scripts/fuzz-compare.sh compares those lines between our kernel and the
 * reference kernel; --verbose prints every call, for finding the one that
 * differs.
 *
 * The reference kernel has no flags, so it cannot judge PROCESS_VM_PIDFD and
 * PROCESS_VM_NOWAIT: flags drawn at random always carry an unknown bit
 * (EINVAL on every kernel).  Where the probe finds the flags, every call
 * without flags is made a second time with PIDFD, NOWAIT or both (chosen by
 * the call's index), from the same memory, and must give exactly the same
 * result and bytes: a pidfd names what the pid named, and the arenas are
 * resident.  A difference fails the seed's equivalence test; the digests
 * are not affected.  It exits 0 unless its own setup fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include "kselftest.h"
#include "abi.h"
#include "args.h"
#include "rng.h"
#include "util.h"

#define BLOCK_CALLS	1000
#define MAX_ENTRIES	1025	/* one past IOV_MAX */
#define DATA_PAGES	24
#define MAX_PAGES	64
#define MAX_SEEDS	64
#define UNPRIV_ID	1000

/*
 * Fixed addresses where nothing of the program itself can be: the heap
 * starts at a random place up to 32 MiB (32-bit) or 1 GiB (64-bit) after
 * the program, the stack and mmap()s come down from the top.  Random wild
 * pointers go to WILD_BASE + [0, WILD_SIZE), also always unmapped: an
 * address that may hit the randomised heap or stack on one boot and miss it
 * on the other would be a difference of the boots, not of the kernels.
 */
#if ULONG_MAX > 0xffffffffUL
#define LOCAL_BASE	0x100000000UL
#define REMOTE_BASE	0x108000000UL
#define WILD_BASE	0x200000000UL
#define WILD_SIZE	0x200000000UL
#else
#define LOCAL_BASE	0x30000000UL
#define REMOTE_BASE	0x38000000UL
#define WILD_BASE	0x40000000UL
#define WILD_SIZE	0x40000000UL
#endif

/*
 * Page kinds of the data pages: w read-write, r read-only, n PROT_NONE,
 * h hole (unmapped).  The remote layout applies in the target children only;
 * our own view of the remote arena is a read-write MAP_SHARED mapping of
 * the same pages, so we can fill and hash them without the calls under test.
 */
static const char local_layout[DATA_PAGES + 1] = "wwwrwwhwwnwwwwrrwhhwwnww";
static const char remote_layout[DATA_PAGES + 1] = "wwwwwhwwrwwnnwwwwrwwhwww";

#define BITS_PER_UL	(8 * sizeof(unsigned long))

struct arena {
	uintptr_t base;
	unsigned int npages;
	char kind[MAX_PAGES];		/* as seen by this process */
	unsigned char touched[MAX_PAGES];
};

/*
 * The local arena: data pages, the local iovec array area, a PROT_NONE
 * guard, the remote iovec array area, and a hole after it.
 */
static struct arena local, remote;
static uintptr_t liov_area, riov_area, iov_area_bytes;
static size_t page;

enum pid_kind {
	PID_TARGET, PID_UNPRIV_TARGET, PID_SELF, PID_ZOMBIE, PID_REAPED,
	PID_ZERO, PID_MINUS_ONE, PID_INIT, PID_KTHREADD, PID_INT_MAX,
	PID_INT_MIN, PID_TARGET_HIGH_BITS, PID_UNUSED, NR_PID_KINDS
};

static const char *const pid_names[NR_PID_KINDS] = {
	"target", "unpriv_target", "self", "zombie", "reaped", "0", "-1",
	"init", "kthreadd", "INT_MAX", "INT_MIN", "target|1<<32", "unused",
};

enum placement { AT_NORMAL, AT_STRADDLE, AT_NULL, AT_WILD, NR_PLACEMENTS };
static const char *const placement_names[NR_PLACEMENTS] = {
	"normal", "straddle", "null", "wild",
};

struct side {
	unsigned long cnt;	/* the count passed to the kernel */
	unsigned int n;		/* entries generated */
	unsigned int place;
	int tame;		/* no wild pointers, no huge lengths */
	uintptr_t addr;		/* where the array is */
	size_t stored;		/* bytes of it in readable memory */
	struct iovec iov[MAX_ENTRIES];
};

struct call {
	uint64_t idx;
	int write;
	int unpriv;
	enum pid_kind pid_kind;
	unsigned long pid;
	unsigned long flags;
	struct side l, r;
	long ret;
	int err;
	uint64_t data;		/* hash of the touched pages afterwards */
};

struct stats {
	unsigned long calls, ok, zero, efault, einval, esrch, eperm, enomem;
	unsigned long other;
	unsigned long long bytes;
	uint64_t digest;
};

static pid_t target_pid, unpriv_pid, zombie_pid, reaped_pid;

/* A pidfd for each pid kind that has one, else -1; set if flags exist */
static int pidfds[NR_PID_KINDS];
static int have_flags;

struct equiv {
	unsigned long checked, differ;
};

/* ---- memory ------------------------------------------------------------ */

static void *map_fixed(uintptr_t addr, size_t len, int flags)
{
	void *p = mmap((void *)addr, len, PROT_READ | PROT_WRITE,
		       flags | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED || (uintptr_t)p != addr)
		fatal("mmap at %#lx", (unsigned long)addr);
	return p;
}

/* Give the pages of @a the kinds in @kinds (the rest stay read-write). */
static void apply_layout(const struct arena *a, const char *kinds)
{
	unsigned int i;

	for (i = 0; i < a->npages; i++) {
		void *p = (void *)(a->base + i * page);
		int rc = 0;

		if (kinds[i] == 'h')
			rc = munmap(p, page);
		else if (kinds[i] == 'n')
			rc = mprotect(p, page, PROT_NONE);
		else if (kinds[i] == 'r')
			rc = mprotect(p, page, PROT_READ);
		if (rc)
			fatal("layout of page %u", i);
	}
}

/* Fill pattern: a function of the address and the call */
static void fill_page(uintptr_t addr, uint64_t salt)
{
	pattern_fill((void *)addr, page, addr ^ salt);
}

static uint64_t hash_page(uint64_t h, uintptr_t addr)
{
	return hash_words(mix64(h ^ addr), (const void *)addr, page);
}

static int readable(char kind)
{
	return kind == 'w' || kind == 'r';
}

/* Mark the pages of @a that [addr, addr + len) covers. */
static void mark_span(struct arena *a, uintptr_t addr, size_t len)
{
	uint64_t start = addr, end = (uint64_t)addr + len;
	uint64_t lo = a->base, hi = a->base + (uint64_t)a->npages * page;
	uint64_t p;

	if (end < start)		/* wraps on 64-bit */
		end = UINT64_MAX;
	if (!len || end <= lo || start >= hi)
		return;
	start = start < lo ? lo : start;
	end = end > hi ? hi : end;
	for (p = (start - lo) / page; p < (end - lo + page - 1) / page; p++)
		a->touched[p] = 1;
}

static void mark_side(const struct side *s)
{
	size_t i, whole = s->stored / sizeof(struct iovec);

	for (i = 0; i < whole && i < s->n; i++) {
		mark_span(&local, (uintptr_t)s->iov[i].iov_base, s->iov[i].iov_len);
		mark_span(&remote, (uintptr_t)s->iov[i].iov_base, s->iov[i].iov_len);
	}
}

/* Refill the touched writable pages of @a (all of them if @all). */
static void fill_arena(struct arena *a, uint64_t salt, int all)
{
	unsigned int i;

	for (i = 0; i < a->npages; i++)
		if ((all || a->touched[i]) && a->kind[i] == 'w')
			fill_page(a->base + i * page, salt);
}

static uint64_t hash_arena(const struct arena *a, uint64_t h, int all)
{
	unsigned int i;

	for (i = 0; i < a->npages; i++)
		if ((all || a->touched[i]) && readable(a->kind[i]))
			h = hash_page(h, a->base + i * page);
	return h;
}

/* ---- processes --------------------------------------------------------- */

static int pidfd_open(pid_t pid)
{
	return syscall(__NR_pidfd_open, pid, 0);
}

/*
 * A target: the remote arena with its holes and protections, and nothing
 * else of ours.  An unprivileged one (arg set) drops every id to UNPRIV_ID
 * and stays dumpable, so that an unprivileged caller may attach to it and
 * not to the root one.
 */
static int target_setup(struct target *t)
{
	apply_layout(&remote, remote_layout);
	if (t->arg && (setresgid(UNPRIV_ID, UNPRIV_ID, UNPRIV_ID) ||
		       setresuid(UNPRIV_ID, UNPRIV_ID, UNPRIV_ID) ||
		       prctl(PR_SET_DUMPABLE, 1)))
		return errno;
	return 0;
}

static struct target targets[2] = {
	{ .setup = target_setup, .flags = TARGET_PDEATHSIG },
	{ .setup = target_setup, .flags = TARGET_PDEATHSIG, .arg = "unpriv" },
};

static pid_t start_target(struct target *t)
{
	if (target_start(t))
		fatal("a target did not start");
	return t->pid;
}

static void start_processes(void)
{
	siginfo_t info;

	remote.base = REMOTE_BASE;
	remote.npages = DATA_PAGES;
	memset(remote.kind, 'w', sizeof(remote.kind));
	map_fixed(remote.base, remote.npages * page, MAP_SHARED);

	target_pid = start_target(&targets[0]);
	unpriv_pid = start_target(&targets[1]);

	reaped_pid = fork();
	if (reaped_pid == 0)
		_exit(0);
	/* its pidfd, taken before the reaping, must keep giving ESRCH */
	pidfds[PID_REAPED] = reaped_pid > 0 ? pidfd_open(reaped_pid) : -1;
	if (reaped_pid < 0 || waitpid(reaped_pid, NULL, 0) != reaped_pid)
		fatal("reaped child");

	zombie_pid = fork();
	if (zombie_pid == 0)
		_exit(0);
	/* WNOWAIT: wait until it is a zombie, and leave it one */
	if (zombie_pid < 0 ||
	    waitid(P_PID, zombie_pid, &info, WEXITED | WNOWAIT))
		fatal("zombie child");
}

/*
 * Pidfds for the kinds a pidfd can name.  The kinds that are not a process
 * (0, -1, INT_MAX, ...) have none: a descriptor number is not a pid.
 */
static void open_pidfds(void)
{
	pidfds[PID_TARGET] = pidfd_open(target_pid);
	pidfds[PID_UNPRIV_TARGET] = pidfd_open(unpriv_pid);
	pidfds[PID_SELF] = pidfd_open(getpid());
	pidfds[PID_ZOMBIE] = pidfd_open(zombie_pid);
	pidfds[PID_INIT] = pidfd_open(1);
	pidfds[PID_KTHREADD] = pidfd_open(2);
	pidfds[PID_TARGET_HIGH_BITS] = pidfds[PID_TARGET];
	if (pidfds[PID_TARGET] < 0 || pidfds[PID_SELF] < 0 ||
	    pidfds[PID_ZOMBIE] < 0 || pidfds[PID_REAPED] < 0)
		fatal("pidfd_open");
}

static void stop_processes(void)
{
	target_stop(&targets[0]);
	target_stop(&targets[1]);
	waitpid(zombie_pid, NULL, 0);
}

/* After the targets: they must not have these pages. */
static void map_local(void)
{
	unsigned int k = (MAX_ENTRIES * sizeof(struct iovec) + page - 1) / page;
	unsigned int i;

	local.base = LOCAL_BASE;
	local.npages = DATA_PAGES + 2 * k + 1;
	if (local.npages > MAX_PAGES)
		fatal("local arena of %u pages", local.npages);
	memcpy(local.kind, local_layout, DATA_PAGES);
	for (i = DATA_PAGES; i < local.npages; i++)
		local.kind[i] = 'w';
	local.kind[DATA_PAGES + k] = 'n';	/* guard after the local array */
	liov_area = local.base + DATA_PAGES * page;
	riov_area = liov_area + (k + 1) * page;
	iov_area_bytes = k * page;
	/* and after the remote array, the hole where nothing is mapped */
	map_fixed(local.base, local.npages * page, MAP_PRIVATE);
	apply_layout(&local, local.kind);
	/* read-only pages are never written again: fill them once, for good */
	for (i = 0; i < local.npages; i++) {
		if (local.kind[i] != 'r')
			continue;
		mprotect((void *)(local.base + i * page), page, PROT_READ | PROT_WRITE);
		fill_page(local.base + i * page, 0);
		mprotect((void *)(local.base + i * page), page, PROT_READ);
	}
}

/* Drop to UNPRIV_ID in real and effective ids, keeping saved root to come back. */
static void set_unpriv(int on)
{
	int rc;

	if (on)
		rc = setresgid(UNPRIV_ID, UNPRIV_ID, 0) ||
		     setresuid(UNPRIV_ID, UNPRIV_ID, 0);
	else
		rc = setresuid(0, 0, 0) || setresgid(0, 0, 0);
	if (rc)
		fatal("setres[ug]id(%s)", on ? "unprivileged" : "root");
}

/* ---- generation -------------------------------------------------------- */

static uintptr_t kernel_pointer(void)
{
#if defined(__x86_64__) && !defined(__ILP32__)
	return 0xffff888000000000UL;
#elif defined(__powerpc64__)
	return 0xc000000000000000UL;
#elif defined(__aarch64__)
	return 0xffff000000000000UL;	/* the linear map, 48-bit VA */
#elif defined(__riscv) && __riscv_xlen == 64
	return 0xffffffd800000000UL;	/* the linear map, Sv39 */
#elif defined(__s390x__)
	return 0x100000UL;	/* own address space: the kernel's image address */
#else
	return 0xc0000000UL;	/* user space under a 64-bit kernel */
#endif
}

static uintptr_t wild_pointer(void)
{
	static const uintptr_t wild[] = {
		1, 4096, (uintptr_t)-1, (uintptr_t)-4096, (uintptr_t)-16,
		(uintptr_t)1 << (BITS_PER_UL - 1), 0x7ffff000,
#if ULONG_MAX > 0xffffffffUL
		0x0000800000000000UL, 0x8000000000001000UL,
#endif
#if defined(__x86_64__) && !defined(__ILP32__)
		0x00007ffffffff000UL,	/* the first page past user space */
#elif defined(__powerpc64__)
		0x0010000000000000UL, 0x000fffffffff0000UL,	/* 4 PiB */
#elif defined(__aarch64__)
		0x0001000000000000UL,	/* the first byte past 48-bit user space */
		0x0100000000001000UL,	/* a tag in the top byte (TBI) */
#elif defined(__riscv) && __riscv_xlen == 64
		0x0000004000000000UL,	/* the first byte past Sv39 user space */
#endif
	};
	unsigned long r = below(10);

	if (r < 2)
		return kernel_pointer() + below(1 << 20);
#if ULONG_MAX > 0xffffffffUL
	if (r == 2)
		return (uintptr_t)rnd() | (uintptr_t)1 << 63;
#endif
	if (r < 4)
		return WILD_BASE + below(WILD_SIZE);
	return wild[below(sizeof(wild) / sizeof(wild[0]))];
}

static size_t gen_len(int tame)
{
	unsigned long r = below(tame ? 90 : 100);

	if (r < 10)
		return 0;
	if (r < 40)
		return 1 + below(64);
	if (r < 65)
		return 1 + below(page);
	if (r < 80)
		return 1 + below(4 * page);
	if (r < 90)
		return 1 + below(DATA_PAGES * page);
	if (r < 93)
		return (size_t)SSIZE_MAX - below(3);		/* huge */
	if (r < 95)
		return (size_t)-1 - below(4);			/* negative */
	if (r < 97)
		return ((size_t)1 << (BITS_PER_UL - 1)) + below(2);
	return (size_t)rnd();
}

/* A data address in @a: anywhere, or near a page boundary. */
static uintptr_t arena_pointer(const struct arena *a, unsigned int pages)
{
	uintptr_t p = a->base + below(pages) * page;

	if (below(3))
		return p + below(page);
	return p + page - 16 + below(32);
}

static uintptr_t gen_base(const struct call *c, const struct side *s,
			  unsigned int i, int is_local)
{
	const struct arena *own = is_local ? &local : &remote;
	const struct arena *other = is_local ? &remote : &local;
	unsigned long r = below(100);

	/* tame pieces: in the arenas, right after or on the previous one */
	if (s->tame && r >= 85)
		r = r < 95 ? 96 : 0;

	/* A call on ourselves must not copy between overlapping buffers */
	if (c->pid_kind == PID_SELF && r >= 75 && r < 80)
		r = 0;
	if (r < 75)
		return arena_pointer(own, DATA_PAGES);
	if (r < 80)
		return arena_pointer(other, DATA_PAGES);
	if (r < 85)	/* the arena's edges and what lies past them */
		return arena_pointer(own, own->npages + 2);
	if (r < 88)
		return below(2) ? 0 : below(page);
	if (r < 96)
		return wild_pointer();
	if (!i)
		return arena_pointer(own, DATA_PAGES);
	/*
	 * Right after, or on top of, the previous piece; after a huge one that
	 * could be anywhere, the randomised heap or stack included.
	 */
	if (below(2) && s->iov[i - 1].iov_len <= DATA_PAGES * page)
		return (uintptr_t)s->iov[i - 1].iov_base + s->iov[i - 1].iov_len;
	return (uintptr_t)s->iov[i - 1].iov_base;
}

static void gen_count(struct side *s)
{
	unsigned long r = below(100);

	if (r < 5)
		s->n = 0;
	else if (r < 30)
		s->n = 1;
	else if (r < 70)
		s->n = 2 + below(7);
	else if (r < 85)
		s->n = 9 + below(56);
	else if (r < 92)
		s->n = 65 + below(960);
	else if (r < 94)
		s->n = 1024;
	else if (r < 96)
		s->n = 1025;
	else if (r < 98)
		s->n = 0;		/* the array pointer may still be wild */
	else
		s->n = 1 + below(8);
	s->cnt = s->n;
	if (r >= 98) {
		/* counts are unsigned long: high bits set, or all of them */
		if (below(4) == 0)
			s->cnt = ULONG_MAX;
		else
			s->cnt |= (unsigned long)1 << (BITS_PER_UL - 1 - below(BITS_PER_UL / 2));
	}
}

/* Where the array goes; entries past an unreadable edge are not stored. */
static void place_side(struct side *s, uintptr_t area)
{
	size_t bytes = s->n * sizeof(struct iovec), room, k, part;
	unsigned long r = below(100);

	s->stored = 0;
	if (r < 85 || !s->n) {
		s->place = AT_NORMAL;
		room = iov_area_bytes - bytes;
		s->addr = area + room - below(room / 8 + 1) * 8;
		if (below(10) == 0 && s->addr > area)
			s->addr -= 1 + below(7);	/* misaligned */
		s->stored = bytes;
	} else if (r < 93) {
		/* k whole entries and part of one more, then the unreadable page */
		s->place = AT_STRADDLE;
		k = below(s->n);
		part = below(sizeof(struct iovec));
		s->stored = k * sizeof(struct iovec) + part;
		s->addr = area + iov_area_bytes - s->stored;
	} else if (r < 96) {
		s->place = AT_NULL;
		s->addr = 0;
	} else {
		s->place = AT_WILD;
		s->addr = wild_pointer();
	}
}

static void gen_side(struct call *c, struct side *s, int is_local)
{
	unsigned int i;

	gen_count(s);
	/* a wild piece in most long arrays would make them all fail early */
	s->tame = below(4) != 0;
	for (i = 0; i < s->n; i++) {
		s->iov[i].iov_base = (void *)gen_base(c, s, i, is_local);
		s->iov[i].iov_len = gen_len(s->tame);
	}
	place_side(s, is_local ? liov_area : riov_area);
}

static void gen_pid(struct call *c)
{
	static const unsigned char weights[NR_PID_KINDS] = {
		56, 8, 12, 3, 3, 2, 2, 2, 2, 2, 2, 3, 3,
	};
	unsigned long r = below(100), k;

	for (k = 0; k < NR_PID_KINDS - 1 && r >= weights[k]; k++)
		r -= weights[k];
	c->pid_kind = k;
	switch (c->pid_kind) {
	case PID_TARGET: c->pid = target_pid; break;
	case PID_UNPRIV_TARGET: c->pid = unpriv_pid; break;
	case PID_SELF: c->pid = getpid(); break;
	case PID_ZOMBIE: c->pid = zombie_pid; break;
	case PID_REAPED: c->pid = reaped_pid; break;
	case PID_ZERO: c->pid = 0; break;
	case PID_MINUS_ONE: c->pid = (unsigned long)-1; break;
	case PID_INIT: c->pid = 1; break;
	case PID_KTHREADD: c->pid = 2; break;
	case PID_INT_MAX: c->pid = INT_MAX; break;
	case PID_INT_MIN: c->pid = (unsigned long)(long)INT_MIN; break;
	case PID_TARGET_HIGH_BITS:
		/* pid_t is int: the kernel must ignore the upper half */
		c->pid = target_pid;
#if ULONG_MAX > 0xffffffffUL
		c->pid |= 1UL << 32;
#endif
		break;
	default: c->pid = 0x40000000 + below(0x3fffffff); break;
	}
}

static void gen_call(struct call *c, uint64_t seed, uint64_t idx)
{
	rng_state = seed ^ mix64(idx + 1);
	c->idx = idx;
	c->write = below(2);
	gen_pid(c);
	c->unpriv = below(100) < 12;
	c->flags = 0;
	if (below(100) < 4)
		c->flags = below(2) ? (unsigned long)1 << below(BITS_PER_UL) :
				      (unsigned long)rnd();
	/*
	 * Known flags, or a reduction, only with a bit that no kernel knows
	 * (2-7, or 24 and up): EINVAL on every kernel.
	 */
	if (c->flags &&
	    !(c->flags & ~(CMA_KNOWN_FLAGS | CMA_REDUCE_FIELDS))) {
		unsigned int bit = below(BITS_PER_UL - 18);

		c->flags |= (unsigned long)1 << (bit < 6 ? 2 + bit : 18 + bit);
	}
	gen_side(c, &c->l, 1);
	gen_side(c, &c->r, 0);
}

/* ---- running ----------------------------------------------------------- */

static void print_call(uint64_t seed, const struct call *c);

static void store_side(const struct side *s)
{
	if (s->stored)
		memcpy((void *)s->addr, s->iov, s->stored);
}

static void run_call(struct call *c)
{
	memset(local.touched, 0, sizeof(local.touched));
	memset(remote.touched, 0, sizeof(remote.touched));
	mark_side(&c->l);
	mark_side(&c->r);
	fill_arena(&local, c->idx + 1, 0);
	fill_arena(&remote, c->idx + 1, 0);
	/* after the fill: the arrays may lie on pages a span covers */
	store_side(&c->l);
	store_side(&c->r);

	if (c->unpriv)
		set_unpriv(1);
	errno = 0;
	c->ret = syscall(c->write ? CMA_NR_WRITEV : CMA_NR_READV, c->pid,
			 c->l.addr, c->l.cnt, c->r.addr, c->r.cnt, c->flags);
	c->err = c->ret < 0 ? errno : 0;
	if (c->unpriv)
		set_unpriv(0);

	c->data = hash_arena(&remote, hash_arena(&local, 0, 0), 0);
}

/*
 * The same call again with PIDFD, NOWAIT or both: it must give what the
 * plain call gave.  The variant is chosen by the index, so no random draw
 * is spent and the calls stay the same on every kernel.
 */
static void check_equivalence(const struct call *c, struct equiv *eq,
			      uint64_t seed)
{
	static const unsigned long variants[] = {
		CMA_PIDFD, CMA_NOWAIT, CMA_PIDFD | CMA_NOWAIT,
	};
	static struct call v;

	if (!have_flags || c->flags)
		return;
	v = *c;
	v.flags = variants[c->idx % 3];
	if (v.flags & CMA_PIDFD) {
		if (pidfds[c->pid_kind] < 0)
			v.flags &= ~CMA_PIDFD;
		else
			/* a pid's upper half is ignored, and so is a pidfd's */
			v.pid = (c->pid & ~0xffffffffUL) |
				(unsigned int)pidfds[c->pid_kind];
		if (!v.flags)
			return;
	}
	run_call(&v);
	eq->checked++;
	if (v.ret == c->ret && v.err == c->err && v.data == c->data)
		return;
	eq->differ++;
	printf("fuzz-equiv-differs flags=%#lx: ", v.flags);
	print_call(seed, &v);
	printf("fuzz-equiv-differs plain:      ");
	print_call(seed, c);
}

static uint64_t call_digest(const struct call *c)
{
	return mix64(c->data ^ mix64((uint64_t)c->ret ^ ((uint64_t)c->err << 48)));
}

static void count(struct stats *st, const struct call *c)
{
	st->calls++;
	st->digest = mix64(st->digest ^ call_digest(c));
	if (c->ret > 0) {
		st->ok++;
		st->bytes += c->ret;
		return;
	}
	switch (c->ret ? c->err : -1) {
	case -1: st->zero++; break;
	case EFAULT: st->efault++; break;
	case EINVAL: st->einval++; break;
	case ESRCH: st->esrch++; break;
	case EPERM: st->eperm++; break;
	case ENOMEM: st->enomem++; break;
	default: st->other++; break;
	}
}

static void print_side(const char *name, const struct side *s)
{
	unsigned int i, show = s->n < 4 ? s->n : 4;

	printf(" %s=[cnt=%#lx %s %s@%#lx", name, s->cnt, s->tame ? "tame" : "wild",
	       placement_names[s->place], (unsigned long)s->addr);
	if (s->place == AT_STRADDLE)
		printf("(%zu bytes readable)", s->stored);
	for (i = 0; i < show; i++)
		printf(" %#lx+%#lx", (unsigned long)s->iov[i].iov_base,
		       (unsigned long)s->iov[i].iov_len);
	if (show < s->n)
		printf(" +%u more", s->n - show);
	printf("]");
}

/* One line per call; the part after "->" is what the kernels must agree on. */
static void print_call(uint64_t seed, const struct call *c)
{
	printf("fuzz-call abi=%s seed=%llu i=%llu %s pid=%s%s flags=%#lx",
	       CMA_ABI, (unsigned long long)seed, (unsigned long long)c->idx,
	       c->write ? "writev" : "readv", pid_names[c->pid_kind],
	       c->unpriv ? " uid=1000" : "", c->flags);
	print_side("local", &c->l);
	print_side("remote", &c->r);
	printf(" -> ret=%ld errno=%d data=%016llx\n", c->ret, c->err,
	       (unsigned long long)c->data);
}

static void print_block(uint64_t seed, uint64_t first, const struct stats *st,
			uint64_t arena)
{
	printf("fuzz-digest abi=%s seed=%llu first=%llu calls=%lu digest=%016llx arena=%016llx ok=%lu zero=%lu bytes=%llu EFAULT=%lu EINVAL=%lu ESRCH=%lu EPERM=%lu ENOMEM=%lu other=%lu\n",
	       CMA_ABI, (unsigned long long)seed,
	       (unsigned long long)first, st->calls,
	       (unsigned long long)st->digest, (unsigned long long)arena,
	       st->ok, st->zero, st->bytes, st->efault, st->einval, st->esrch,
	       st->eperm, st->enomem, st->other);
}

/*
 * Calls [first, first + calls) of @seed.  Every block starts from arenas
 * filled afresh, so a block gives the same digest run alone or in sequence,
 * and the whole-arena hash at its end catches a write outside any span.
 */
static void run_seed(uint64_t seed, uint64_t first, uint64_t calls, int verbose,
		     struct equiv *eq)
{
	static struct call c;
	struct stats st;
	uint64_t i, start = first, arena;

	for (i = first; i < first + calls; i++) {
		if (i == start) {
			memset(&st, 0, sizeof(st));
			fill_arena(&local, (seed << 32) ^ start, 1);
			fill_arena(&remote, (seed << 32) ^ start, 1);
		}
		gen_call(&c, seed, i);
		run_call(&c);
		count(&st, &c);
		if (verbose)
			print_call(seed, &c);
		check_equivalence(&c, eq, seed);
		if ((i + 1) % BLOCK_CALLS == 0 || i + 1 == first + calls) {
			arena = hash_arena(&remote, hash_arena(&local, 0, 1), 1);
			print_block(seed, start, &st, arena);
			start = i + 1;
		}
	}
}

/* ---- options ----------------------------------------------------------- */

struct options {
	uint64_t seeds[MAX_SEEDS];
	unsigned int nseeds;
	uint64_t first, calls;
	int verbose;
};

static void usage(void)
{
	printf("usage: fuzz --seed S[,S...] --calls N [--first I] [--verbose]\n"
	       "       fuzz --env   (the same from cmafuzz_seeds, cmafuzz_calls[_ABI],\n"
	       "                     cmafuzz_first, cmafuzz_verbose, cmafuzz_abi)\n");
	exit(2);
}

/*
 * The boot command line's unknown name=value words are init's environment,
 * and init passes it on: so one initramfs serves any fuzz run.  Returns 0 if
 * the run is for another ABI.
 */
static int parse_env(struct options *o)
{
	const char *abi = getenv("cmafuzz_abi"), *calls;
	char name[64];

	if (abi && strcmp(abi, CMA_ABI))
		return 0;
	snprintf(name, sizeof(name), "cmafuzz_calls_%s", CMA_ABI);
	calls = getenv(name) ? getenv(name) : getenv("cmafuzz_calls");
	parse_seed_list(o->seeds, &o->nseeds, MAX_SEEDS,
			getenv("cmafuzz_seeds"));
	o->calls = number(calls);
	if (getenv("cmafuzz_first"))
		o->first = number(getenv("cmafuzz_first"));
	o->verbose = getenv("cmafuzz_verbose") != NULL;
	return o->calls != 0;
}

static int parse_args(struct options *o, int argc, char **argv)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--env"))
			return parse_env(o);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			parse_seed_list(o->seeds, &o->nseeds, MAX_SEEDS,
					argv[++i]);
		else if (!strcmp(argv[i], "--calls") && i + 1 < argc)
			o->calls = number(argv[++i]);
		else if (!strcmp(argv[i], "--first") && i + 1 < argc)
			o->first = number(argv[++i]);
		else if (!strcmp(argv[i], "--verbose"))
			o->verbose = 1;
		else
			usage();
	}
	if (!o->nseeds || !o->calls)
		usage();
	return 1;
}

int main(int argc, char **argv)
{
	struct options o;
	unsigned int s;
	double t0, t;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	if (!parse_args(&o, argc, argv)) {
		ksft_set_plan(1);
		ksft_test_result_skip("fuzz_%s: this run is for another ABI\n", CMA_ABI);
		ksft_finished();
	}
	ksft_set_plan(2 * o.nseeds);
	if (getuid() != 0)
		ksft_exit_fail_msg("fuzz must run as root (it calls as uid %d too)\n",
				   UNPRIV_ID);
	page = sysconf(_SC_PAGESIZE);
	memset(pidfds, -1, sizeof(pidfds));
	start_processes();
	map_local();
	have_flags = !cma_probe(CMA_KNOWN_FLAGS);
	if (have_flags)
		open_pidfds();

	for (s = 0; s < o.nseeds; s++) {
		struct equiv eq = { 0, 0 };

		t0 = now_s();
		run_seed(o.seeds[s], o.first, o.calls, o.verbose, &eq);
		t = now_s() - t0;
		/* the figures go on a comment line: the kernels' times may differ */
		ksft_print_msg("fuzz %s seed %llu: %llu calls from %llu in %.1f s, %.0f calls/s\n",
			       CMA_ABI, (unsigned long long)o.seeds[s],
			       (unsigned long long)o.calls,
			       (unsigned long long)o.first, t, o.calls / (t > 0 ? t : 1));
		ksft_test_result_pass("fuzz_%s_seed_%llu (digests only: compare them with fuzz-compare.sh)\n",
				      CMA_ABI, (unsigned long long)o.seeds[s]);
		if (!have_flags)
			ksft_test_result_skip("fuzz_%s_seed_%llu_flags: no PROCESS_VM flags, the probe returned EINVAL\n",
					      CMA_ABI, (unsigned long long)o.seeds[s]);
		else
			ksft_test_result(eq.differ == 0 && eq.checked > 0,
					 "fuzz_%s_seed_%llu_flags: %lu calls with PIDFD/NOWAIT equal the plain call, %lu differ\n",
					 CMA_ABI, (unsigned long long)o.seeds[s],
					 eq.checked - eq.differ, eq.differ);
	}
	stop_processes();
	ksft_finished();
}
