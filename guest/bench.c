// SPDX-License-Identifier: GPL-2.0
/*
 * The guest half of `make bench` (doc/design.md section 6): process_vm_readv()
 * and process_vm_writev() against the other ways one process can move
 * another's data, all in one run so that every figure comes from the same
 * kernel, boot and memory state.
 *
 *   readv, writev  one call per transfer; iovec shapes 1x1, 1x64 (remote
 *                  pieces) and 16x1 (local pieces, UCX's pattern); remote
 *                  memory in 4 KiB pages, THP and hugetlbfs
 *   readv prof64   the profiler pattern: 64 scattered reads of 8-256 bytes
 *                  as one call (riovcnt 64), and as 64 calls (prof64-calls)
 *   many           1, 2 and 4 reader processes reading one target at once
 *   null           getppid(): the cost of entering and leaving the kernel
 *   empty          no transfer at all: the timing loop's own cost, which
 *                  every figure includes once per transfer
 *   kcopy          the copy alone: the same bytes moved in user space with
 *                  the instruction the kernel's copy_user uses on this CPU
 *                  (rep movsb with FSRM or ERMS, else rep movsq), so that a
 *                  figure splits into null + copy + CMA's own overhead
 *   memcpy         in-process copy: the single-copy limit
 *   double         two memcpys through a MAP_SHARED buffer: what CMA replaces
 *   procmem        pread() of /proc/PID/mem
 *   vmsplice       a sender vmsplice()s into a pipe, the receiver read()s it
 *
 * Every figure moves a known pattern once and checks it before it is timed.
 * Output is one CSV line per figure, times in ns per transfer (for "many":
 * per round, every reader moving one transfer; under QEMU -icount shift=0 a
 * guest ns is one guest instruction):
 *
 *   bench,OP,SHAPE,MEM,READERS,SIZE,REPS,INNER,MIN,MEDIAN,MAX
 *
 * plus "info,"/"note," lines and TAP ("ok N ...", "# Totals: ...") so that
 * check-log.sh can judge a run.  --quick runs every method once at one tiny
 * size.  The exit status is non-zero if any method failed or moved wrong
 * data.
 */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#include "kselftest.h"
#include "abi.h"
#include "util.h"

#define MAX_PIECES	64
#define MAX_READERS	4
#define MAX_SIZES	16
#define CHUNK		MIB	/* bounce buffer of the write checks */
#define PROF_READS	64	/* the profiler pattern: reads per round */
#define PROF_SPAN	MIB	/* ... scattered over this much of the target */

enum kind { K_4K, K_THP, K_HUGETLB, NR_KINDS };
static const char *const kind_name[NR_KINDS] = { "4k", "thp", "hugetlb" };

struct shape {
	const char *name;
	unsigned long nl, nr;	/* local and remote iovec counts */
};

static const struct shape shapes[] = {
	{ "1x1", 1, 1 },
	{ "1x64", 1, 64 },
	{ "16x1", 16, 1 },
};

/* What the target mapped, in its own address space; in a MAP_SHARED page. */
struct target_info {
	char *mem[NR_KINDS];
	size_t len[NR_KINDS];
	int err[NR_KINDS];	/* errno of a mapping that could not be made */
};

struct ctx;

/* One transfer between the local buffer and "remote" data */
struct xfer {
	struct iovec liov[MAX_PIECES], riov[MAX_PIECES];
	unsigned long nl, nr;
	size_t size;
	char *rbase;		/* start of the pattern the remote side holds */
	ssize_t (*fn)(struct ctx *c, const struct xfer *x);
	int write;		/* data goes from liov to riov */
	int readers;		/* "many": this many child readers at once */
};

struct ctx {
	pid_t target;		/* t's pid */
	struct target_info *ti;	/* in t's shared page */
	int memfd;		/* /proc/TARGET/mem */
	char *local;		/* the reader's buffer: 2 * max size */
	char *src;		/* memcpy's and kcopy's source: the pattern */
	char *shm;		/* double copy's MAP_SHARED buffer */
	char *bounce;		/* CHUNK bytes for the write checks */
	pid_t sender;		/* vmsplice: requests in ctl_wr, data in data_rd */
	int ctl_wr, data_rd;
	pid_t reader[MAX_READERS];
	int cmd_wr[MAX_READERS], done_rd;
	int nreaders;
	size_t thp_grew;	/* AnonHugePages growth over the target's set-up */
	struct target t;
};

static struct {
	struct figure_opts fig;
	size_t sizes[MAX_SIZES];
	int nsizes;
	size_t max;		/* largest size: buffers are sized for it */
	size_t pieces_max;	/* largest size for the 1x64 and 16x1 shapes */
	size_t kinds_max;	/* largest size for THP and hugetlbfs */
	size_t many_sizes[MAX_SIZES];
	int nmany;
} opt;

static size_t page_size, thp_size, huge_size;

/* Bytes of the local buffer and of the target's 4 KiB-page memory */
static size_t local_size(void)
{
	return 2 * opt.max > PROF_SPAN ? 2 * opt.max : PROF_SPAN;
}

/* ---- the pattern: a word per 8-byte offset, so checks go a word at a time */

static inline uint64_t pat_word(size_t k)
{
	return ((uint64_t)k + 1) * 0x9e3779b97f4a7c15ULL;
}

/* Byte @off of the pattern, the same on either endianness */
static inline unsigned char pat_byte(size_t off)
{
	uint64_t w = pat_word(off / 8);

	return ((const unsigned char *)&w)[off % 8];
}

/* Write the pattern's bytes [@off, @off + @len) to @p */
static void pat_fill(char *p, size_t off, size_t len)
{
	for (; len && off % 8; len--)
		*p++ = pat_byte(off++);
	for (; len >= 8; len -= 8, p += 8, off += 8) {
		uint64_t w = pat_word(off / 8);

		memcpy(p, &w, 8);
	}
	for (; len; len--)
		*p++ = pat_byte(off++);
}

/* 0 if @p holds the pattern's bytes [@off, @off + @len), else -1 */
static int pat_check(const char *p, size_t off, size_t len)
{
	for (; len && off % 8; len--)
		if ((unsigned char)*p++ != pat_byte(off++))
			return -1;
	for (; len >= 8; len -= 8, p += 8, off += 8) {
		uint64_t w;

		memcpy(&w, p, 8);
		if (w != pat_word(off / 8))
			return -1;
	}
	for (; len; len--)
		if ((unsigned char)*p++ != pat_byte(off++))
			return -1;
	return 0;
}

/* ---- small helpers */

/* "Key:   N kB" of /proc/meminfo, in bytes */
static size_t meminfo(const char *key)
{
	long long kb = read_field("/proc/meminfo", key, 0);

	return kb > 0 ? kb * KIB : 0;
}

/*
 * Anonymous private memory of one kind, @len rounded up to its page size,
 * not yet touched.  4 KiB pages are asked for explicitly: the guest kernels
 * default THP to "always".  NULL with errno set on failure.
 */
static char *map_kind(enum kind k, size_t *len)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	char *p;

	switch (k) {
	case K_4K:
		*len = round_up(*len, page_size);
		return map_base_pages(*len);
	case K_THP:
		/* Over-map to place the buffer on a huge page boundary */
		*len = round_up(*len, thp_size);
		p = mmap(NULL, *len + thp_size, PROT_READ | PROT_WRITE, flags,
			 -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		p = (char *)round_up((uintptr_t)p, thp_size);
		if (madvise(p, *len, MADV_HUGEPAGE))
			return NULL;
		return p;
	case K_HUGETLB:
		if (!huge_size) {	/* no hugetlbfs in this kernel */
			errno = ENODEV;
			return NULL;
		}
		*len = round_up(*len, huge_size);
		p = mmap(NULL, *len, PROT_READ | PROT_WRITE,
			 flags | MAP_HUGETLB, -1, 0);
		return p == MAP_FAILED ? NULL : p;
	default:
		errno = EINVAL;
		return NULL;
	}
}

/* A 4 KiB-page buffer filled with the pattern; exits on failure */
static char *pattern_buffer(size_t len)
{
	char *p = map_kind(K_4K, &len);

	if (!p)
		fatal("mmap");
	pat_fill(p, 0, len);
	return p;
}

/* ---- the kernel's copy, in user space */

/*
 * How x86-64's copy_user_generic() moves bytes between user space and the
 * kernel (arch/x86/include/asm/uaccess_64.h, arch/x86/lib/copy_user_64.S):
 * with FSRM one rep movsb; otherwise rep_movs_alternative, which uses rep
 * movsb from 64 bytes on with ERMS, and without it an unaligned first word,
 * rep movsq on the destination-aligned rest and a byte loop for the tail;
 * below 64 bytes, word and byte loops.  Under QEMU -icount every iteration
 * of a rep prefix counts as an instruction, so this is what makes the copy
 * cost one instruction per byte (movsb) or per 8 bytes (movsq).
 */
enum kcopy_how { KC_MEMCPY, KC_FSRM, KC_ERMS, KC_MOVSQ };
static const char *const kcopy_name[] = {
	"memcpy (kcopy follows copy_user in x86-64 builds only)", "rep movsb (FSRM)",
	"rep movsb from 64 B (ERMS)", "rep movsq (no ERMS, no FSRM)",
};
static enum kcopy_how kcopy_how;

static void kcopy_detect(void)
{
#if defined(__x86_64__) && !defined(__ILP32__)
	unsigned int a, b, c, d;

	kcopy_how = KC_MOVSQ;
	if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
		if (d & (1u << 4))
			kcopy_how = KC_FSRM;
		else if (b & (1u << 9))
			kcopy_how = KC_ERMS;
	}
#else
	kcopy_how = KC_MEMCPY;
#endif
}

static void kcopy(void *dst, const void *src, size_t len)
{
#if defined(__x86_64__) && !defined(__ILP32__)
	char *d = dst;
	const char *s = src;
	size_t n;

	if (kcopy_how == KC_FSRM || (kcopy_how == KC_ERMS && len >= 64)) {
		asm volatile("rep movsb"
			     : "+D"(d), "+S"(s), "+c"(len) : : "memory");
		return;
	}
	if (kcopy_how == KC_MOVSQ && len >= 64) {
		memcpy(d, s, 8);	/* the first word, unaligned */
		n = 8 - ((uintptr_t)d & 7);
		d += n;
		s += n;
		len -= n;
		n = len / 8;
		len %= 8;
		asm volatile("rep movsq"
			     : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	}
	for (; len >= 8; len -= 8, d += 8, s += 8)
		memcpy(d, s, 8);
	while (len--)
		*(volatile char *)d++ = *s++;
#else
	memcpy(dst, src, len);
#endif
}

/* ---- the processes */

/*
 * The target: maps each memory kind, fills it with the pattern, says where
 * and sleeps (target_start()).  It never runs again, so under icount it
 * adds no instructions to anyone's figures.
 */
static int target_setup(struct target *t)
{
	struct target_info *ti = t->shared;
	size_t len[NR_KINDS] = {
		/* the pieced shapes leave a gap after every piece */
		local_size(), opt.kinds_max, opt.kinds_max,
	};
	int k;

	for (k = 0; k < NR_KINDS; k++) {
		ti->mem[k] = map_kind(k, &len[k]);
		ti->err[k] = ti->mem[k] ? 0 : errno;
		if (ti->mem[k]) {
			ti->len[k] = len[k];
			pat_fill(ti->mem[k], 0, len[k]);
		}
	}
	return 0;
}

/* The vmsplice sender: for each length requested, splice that much */
static void sender_main(int ctl, int data)
{
	char *buf = pattern_buffer(opt.max);
	size_t len;

	while (read(ctl, &len, sizeof(len)) == sizeof(len)) {
		size_t done = 0;

		while (done < len) {
			struct iovec v = { buf + done, len - done };
			ssize_t n = vmsplice(data, &v, 1, 0);

			if (n <= 0)
				_exit(1);
			done += n;
		}
	}
	_exit(0);
}

struct many_cmd {
	size_t size;
	unsigned int count;
	int verify;
};

/*
 * One of the "many" readers: on each command, read the target's 4 KiB-page
 * buffer @count times (checking the data the first time if asked), then
 * report one status byte.  Blocking on pipes, never spinning: a spinning
 * vCPU would add its instructions to the virtual clock.
 */
static void reader_main(struct ctx *c, int cmd, int done)
{
	struct many_cmd m;

	while (read(cmd, &m, sizeof(m)) == sizeof(m)) {
		struct iovec l = { c->local, m.size };
		struct iovec r = { c->ti->mem[K_4K], m.size };
		char st = 0;
		unsigned int i;

		if (m.verify) {
			memset(c->local, 0, m.size);
			if (syscall(CMA_NR_READV, c->target, &l, 1UL, &r, 1UL,
				    0UL) != (ssize_t)m.size ||
			    pat_check(c->local, 0, m.size))
				st = 1;
		}
		for (i = 0; i < m.count; i++)
			if (syscall(CMA_NR_READV, c->target, &l, 1UL, &r, 1UL,
				    0UL) != (ssize_t)m.size)
				st = 1;
		if (write(done, &st, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

static void start_sender(struct ctx *c)
{
	int ctl[2], data[2];

	if (pipe(ctl) || pipe(data))
		fatal("pipe");
	/* Fewer wake-ups per transfer; 1 MiB is the default unprivileged cap */
	fcntl(data[1], F_SETPIPE_SZ, (int)MIB);
	c->sender = fork_or_die();
	if (!c->sender) {
		close(ctl[1]);
		close(data[0]);
		sender_main(ctl[0], data[1]);
	}
	close(ctl[0]);
	close(data[1]);
	c->ctl_wr = ctl[1];
	c->data_rd = data[0];
}

static void start_readers(struct ctx *c)
{
	int done[2], cmd[2], i;

	if (pipe(done))
		fatal("pipe");
	for (i = 0; i < MAX_READERS; i++) {
		if (pipe(cmd))
			fatal("pipe");
		c->reader[i] = fork_or_die();
		if (!c->reader[i]) {
			close(cmd[1]);
			close(done[0]);
			reader_main(c, cmd[0], done[1]);
		}
		close(cmd[0]);
		c->cmd_wr[i] = cmd[1];
	}
	close(done[1]);
	c->done_rd = done[0];
	c->nreaders = MAX_READERS;
}

static void stop_all(struct ctx *c)
{
	pid_t pids[1 + MAX_READERS] = { c->sender };
	int i, n = 1;

	target_stop(&c->t);
	for (i = 0; i < c->nreaders; i++)
		pids[n++] = c->reader[i];
	for (i = 0; i < n; i++) {
		if (pids[i] <= 0)
			continue;
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
}

/* ---- one transfer of each method; each returns the bytes moved */

static ssize_t op_readv(struct ctx *c, const struct xfer *x)
{
	return syscall(CMA_NR_READV, c->target, x->liov, x->nl, x->riov, x->nr,
		       0UL);
}

static ssize_t op_writev(struct ctx *c, const struct xfer *x)
{
	return syscall(CMA_NR_WRITEV, c->target, x->liov, x->nl, x->riov,
		       x->nr, 0UL);
}

/* The profiler pattern as one call per piece, into consecutive local bytes */
static ssize_t op_readv_each(struct ctx *c, const struct xfer *x)
{
	char *l = x->liov[0].iov_base;
	ssize_t done = 0, n;
	unsigned long j;

	for (j = 0; j < x->nr; j++) {
		struct iovec v = { l + done, x->riov[j].iov_len };

		n = syscall(CMA_NR_READV, c->target, &v, 1UL, &x->riov[j], 1UL,
			    0UL);
		if (n != (ssize_t)v.iov_len)
			return -1;
		done += n;
	}
	return done;
}

/* Nothing: what the timing loop itself costs per transfer */
static ssize_t op_empty(struct ctx *c, const struct xfer *x)
{
	(void)c;
	return x->size;
}

/* A system call that does next to nothing: moves 0 bytes */
static ssize_t op_null(struct ctx *c, const struct xfer *x)
{
	(void)c;
	(void)x;
	return syscall(SYS_getppid) > 0 ? 0 : -1;
}

static ssize_t op_kcopy(struct ctx *c, const struct xfer *x)
{
	(void)c;
	kcopy(x->liov[0].iov_base, x->riov[0].iov_base, x->size);
	return x->size;
}

/* The copy alone of a pieced transfer: each remote piece to the next bytes */
static ssize_t op_kcopy_pieces(struct ctx *c, const struct xfer *x)
{
	char *l = x->liov[0].iov_base;
	size_t done = 0;
	unsigned long j;

	for (j = 0; j < x->nr; j++) {
		kcopy(l + done, c->src + ((char *)x->riov[j].iov_base - x->rbase),
		      x->riov[j].iov_len);
		done += x->riov[j].iov_len;
	}
	return done;
}

static ssize_t op_memcpy(struct ctx *c, const struct xfer *x)
{
	(void)c;
	memcpy(x->liov[0].iov_base, x->riov[0].iov_base, x->size);
	return x->size;
}

/* The sender's copy in and the receiver's copy out of a shared buffer */
static ssize_t op_double(struct ctx *c, const struct xfer *x)
{
	memcpy(c->shm, x->riov[0].iov_base, x->size);
	memcpy(x->liov[0].iov_base, c->shm, x->size);
	return x->size;
}

static ssize_t op_procmem(struct ctx *c, const struct xfer *x)
{
	return pread(c->memfd, x->liov[0].iov_base, x->size,
		     (off_t)(uintptr_t)x->riov[0].iov_base);
}

static ssize_t op_vmsplice(struct ctx *c, const struct xfer *x)
{
	char *dst = x->liov[0].iov_base;
	size_t len = x->size, done = 0;

	if (write(c->ctl_wr, &len, sizeof(len)) != sizeof(len))
		return -1;
	while (done < len) {
		ssize_t n = read(c->data_rd, dst + done, len - done);

		if (n <= 0)
			return -1;
		done += n;
	}
	return done;
}

/* ---- building and checking transfers */

/*
 * Split @size bytes at @base into @n equal pieces.  Pieces of a split side
 * are a piece apart, so that no two are adjacent and the kernel cannot
 * treat them as one range.
 */
static void split(struct iovec *iov, char *base, size_t size, unsigned long n)
{
	size_t piece = size / n;
	unsigned long i;

	for (i = 0; i < n; i++) {
		iov[i].iov_base = base + i * (n > 1 ? 2 * piece : 0);
		iov[i].iov_len = piece;
	}
}

/* Bytes from the first piece's start to the last one's end */
static size_t span(const struct iovec *iov, unsigned long n)
{
	return (char *)iov[n - 1].iov_base + iov[n - 1].iov_len -
	       (char *)iov[0].iov_base;
}

/*
 * Walk the transfer as the kernel consumes it, both sides in order, calling
 * @fn on each run that is contiguous on both sides with the local address
 * and the offset in the remote pattern.  Stops at the first non-zero return.
 */
static int walk(const struct xfer *x, int (*fn)(char *l, size_t roff, size_t n))
{
	unsigned long i = 0, j = 0;
	size_t li = 0, rj = 0;

	while (i < x->nl && j < x->nr) {
		size_t n = x->liov[i].iov_len - li;
		size_t roff = (char *)x->riov[j].iov_base - x->rbase + rj;

		if (n > x->riov[j].iov_len - rj)
			n = x->riov[j].iov_len - rj;
		if (fn((char *)x->liov[i].iov_base + li, roff, n))
			return -1;
		li += n;
		rj += n;
		if (li == x->liov[i].iov_len) {
			i++;
			li = 0;
		}
		if (rj == x->riov[j].iov_len) {
			j++;
			rj = 0;
		}
	}
	return 0;
}

static int seg_fill(char *l, size_t roff, size_t n)
{
	pat_fill(l, roff, n);
	return 0;
}

static int seg_check(char *l, size_t roff, size_t n)
{
	return pat_check(l, roff, n);
}

/* 0 if the local bytes between pieces are still zero */
static int gaps_zero(const struct xfer *x)
{
	unsigned long i;

	for (i = 0; i + 1 < x->nl; i++) {
		const char *p = (char *)x->liov[i].iov_base + x->liov[i].iov_len;

		for (; p < (char *)x->liov[i + 1].iov_base; p++)
			if (*p)
				return -1;
	}
	return 0;
}

/* One transfer into a zeroed local side must leave the pattern, gaps zero */
static int check_read(struct ctx *c, const struct xfer *x)
{
	memset(x->liov[0].iov_base, 0, span(x->liov, x->nl));
	if (x->fn(c, x) != (ssize_t)x->size)
		return -1;
	return walk(x, seg_check) || gaps_zero(x) ? -1 : 0;
}

/*
 * Zero the remote pieces through /proc/PID/mem (a path that is not ours),
 * write the pattern back with one transfer, and read the whole remote span
 * back the same way: pieces and the gaps between them must hold the pattern.
 * This leaves the target as it was for the figures that follow.
 */
static int check_write(struct ctx *c, const struct xfer *x)
{
	char *r0 = x->riov[0].iov_base;
	size_t len = span(x->riov, x->nr), done, n;
	unsigned long j;

	memset(c->bounce, 0, CHUNK);
	for (j = 0; j < x->nr; j++)
		for (done = 0; done < x->riov[j].iov_len; done += n) {
			n = x->riov[j].iov_len - done;
			n = n < CHUNK ? n : CHUNK;
			if (pwrite(c->memfd, c->bounce, n, (off_t)(uintptr_t)
				   ((char *)x->riov[j].iov_base + done)) != (ssize_t)n)
				return -1;
		}
	walk(x, seg_fill);
	if (x->fn(c, x) != (ssize_t)x->size)
		return -1;
	for (done = 0; done < len; done += n) {
		n = len - done < CHUNK ? len - done : CHUNK;
		if (pread(c->memfd, c->bounce, n, (off_t)(uintptr_t)(r0 + done))
		    != (ssize_t)n ||
		    pat_check(c->bounce, r0 - x->rbase + done, n))
			return -1;
	}
	return 0;
}

/* ---- timing */

/* One round of the "many" group: @readers readers, @count transfers each */
static int many_round(struct ctx *c, const struct xfer *x, unsigned int count,
		      int verify)
{
	struct many_cmd m = { x->size, count, verify };
	int i, bad = 0;
	char st;

	for (i = 0; i < x->readers; i++)
		if (write(c->cmd_wr[i], &m, sizeof(m)) != sizeof(m))
			return -1;
	for (i = 0; i < x->readers; i++) {
		if (read(c->done_rd, &st, 1) != 1)
			return -1;
		bad |= st;
	}
	return bad ? -1 : 0;
}

/* Time @count transfers; 0 on failure (a real figure is never 0 ns) */
static uint64_t timed(struct ctx *c, const struct xfer *x, unsigned int count)
{
	uint64_t t0 = now_ns(), t;
	unsigned int i;

	if (x->readers) {
		if (many_round(c, x, count, 0))
			return 0;
	} else {
		for (i = 0; i < count; i++)
			if (x->fn(c, x) != (ssize_t)x->size)
				return 0;
	}
	t = now_ns() - t0;
	return t ? t : 1;
}

/*
 * Transfers per reader per round of "many".  A round carries a fixed cost
 * (pipe wake-ups on both sides) that the per-transfer figure includes, so
 * the count must depend on the size alone: calibrated on each kernel, it
 * could differ between the two and skew their ratio.
 */
static unsigned int many_count(size_t size)
{
	size_t n = 256 * KIB / size;

	return n < 1 ? 1 : n > 64 ? 64 : n;
}

/*
 * Check one figure's data, then time it.  A sample runs enough transfers to
 * last sample_ns, so clock reads do not dominate small sizes; there are as
 * many samples as fit budget_ns, within [min_reps, max_reps].  The first
 * timed call (also a warm-up) sizes both (figure_inner(), figure_reps()).
 */
static void figure(struct ctx *c, const char *op, const char *shape,
		   const char *mem, const struct xfer *x)
{
	uint64_t s[FIGURE_MAX_REPS], t;
	unsigned int inner = 1;
	int reps, i, bad;

	if (x->readers)
		bad = many_round(c, x, 1, 1);
	else
		bad = x->write ? check_write(c, x) : check_read(c, x);
	ksft_test_result(!bad, "%s %s %s readers=%d size=%zu\n", op, shape, mem,
			 x->readers, x->size);
	if (bad)
		return;

	t = timed(c, x, 1);
	if (!t)
		goto failed;
	if (x->readers)
		inner = opt.fig.quick ? 1 : many_count(x->size);
	else
		inner = figure_inner(&opt.fig, t);
	reps = figure_reps(&opt.fig, t * inner);
	for (i = 0; i < reps; i++) {
		s[i] = timed(c, x, inner);
		if (!s[i])
			goto failed;
	}
	print_figure(op, shape, mem, x->readers, x->size, s, reps, inner);
	return;
failed:
	ksft_test_result_fail("%s %s %s readers=%d size=%zu: failed while timed\n",
			      op, shape, mem, x->readers, x->size);
}

/* ---- the groups of figures */

static void baselines(struct ctx *c, size_t size)
{
	static const struct {
		const char *name;
		ssize_t (*fn)(struct ctx *c, const struct xfer *x);
	} ops[] = {
		{ "kcopy", op_kcopy },
		{ "memcpy", op_memcpy },
		{ "double", op_double },
		{ "procmem", op_procmem },
		{ "vmsplice", op_vmsplice },
	};
	struct xfer x = { .nl = 1, .nr = 1, .size = size };
	size_t i;

	x.liov[0] = (struct iovec){ c->local, size };
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		x.fn = ops[i].fn;
		if (x.fn == op_procmem) {
			x.rbase = c->ti->mem[K_4K];
		} else if (x.fn == op_vmsplice) {
			x.rbase = NULL;	/* the sender's buffer, from offset 0 */
		} else {
			x.rbase = c->src;
		}
		x.riov[0] = (struct iovec){ x.rbase, size };
		figure(c, ops[i].name, "1x1", "4k", &x);
	}
}

static void rw_figures(struct ctx *c, const struct shape *sh, enum kind k,
		       size_t size)
{
	struct xfer x = { .nl = sh->nl, .nr = sh->nr, .size = size };

	x.rbase = c->ti->mem[k];
	split(x.liov, c->local, size, sh->nl);
	split(x.riov, x.rbase, size, sh->nr);
	x.fn = op_readv;
	figure(c, "readv", sh->name, kind_name[k], &x);
	x.fn = op_writev;
	x.write = 1;
	figure(c, "writev", sh->name, kind_name[k], &x);
}

/*
 * What a sampling profiler or a debugger does: PROF_READS reads of 8 to 256
 * bytes at scattered places (a different 4 KiB stretch each, odd offsets)
 * of PROF_SPAN bytes of the target, into consecutive local bytes; once as
 * one call with riovcnt PROF_READS, once as PROF_READS calls.  The layout
 * is fixed, so both kernels and every run read the same bytes.
 */
static void prof_figures(struct ctx *c)
{
	struct xfer x = { .nl = 1, .nr = PROF_READS };
	uint32_t r = 1;
	unsigned long i;
	size_t stretches = PROF_SPAN / (4 * KIB);

	x.rbase = c->ti->mem[K_4K];
	for (i = 0; i < PROF_READS; i++) {
		size_t len, off, at;

		r = r * 1103515245u + 12345u;
		len = 8 + (r >> 8) % 249;
		r = r * 1103515245u + 12345u;
		off = (r >> 8) % (4 * KIB - 256);
		/* 97 is prime to the number of stretches: no stretch twice */
		at = (i * 97 + 13) % stretches * 4 * KIB + off;
		x.riov[i] = (struct iovec){ x.rbase + at, len };
		x.size += len;
	}
	x.liov[0] = (struct iovec){ c->local, x.size };
	x.fn = op_readv;
	figure(c, "readv", "prof64", kind_name[K_4K], &x);
	x.fn = op_readv_each;
	figure(c, "readv", "prof64-calls", kind_name[K_4K], &x);
	/* the same bytes from the reader's own copy of the pattern */
	x.fn = op_kcopy_pieces;
	figure(c, "kcopy", "prof64", kind_name[K_4K], &x);
}

static void null_figure(struct ctx *c)
{
	struct xfer x = { .nl = 1, .nr = 1, .fn = op_null };

	x.liov[0] = (struct iovec){ c->local, 0 };
	x.riov[0] = (struct iovec){ c->src, 0 };
	x.rbase = c->src;
	figure(c, "null", "getppid", "-", &x);
	x.fn = op_empty;
	figure(c, "empty", "loop", "-", &x);
}

static void many_figures(struct ctx *c, size_t size)
{
	struct xfer x = { .nl = 1, .nr = 1, .size = size };
	int n;

	for (n = 1; n <= MAX_READERS; n *= 2) {
		x.readers = n;
		figure(c, "many", "1x1", "4k", &x);
	}
}

/* ---- set-up and reporting of the environment */

/* AnonHugePages of the target's mapping at @addr, in bytes; -1 if unknown */
static long anon_huge(pid_t pid, const void *addr)
{
	long long kb = smaps_kb(pid, addr, "AnonHugePages");

	return kb < 0 ? -1 : kb * (long)KIB;
}

/*
 * Say which memory kinds the target really has: THP must show up as
 * AnonHugePages (and 4 KiB pages must not), hugetlbfs needs reserved pages.
 * A kind that did not take is reported and its figures skipped.  Without
 * smaps (CONFIG_PROC_PAGE_MONITOR, which tinyconfig drops) the THP check
 * falls back to what /proc/meminfo's AnonHugePages grew by while the
 * target set up: nothing else maps THP-eligible memory meanwhile.
 */
static int kind_ok(struct ctx *c, enum kind k)
{
	struct target_info *ti = c->ti;
	const char *how = "smaps";
	long huge;

	if (!ti->mem[k]) {
		printf("note,%s,unavailable: %s\n", kind_name[k],
		       strerror(ti->err[k]));
		return 0;
	}
	if (k == K_HUGETLB)
		return 1;
	huge = anon_huge(c->target, ti->mem[k]);
	if (huge < 0) {
		if (k == K_4K)
			return 1;	/* its growth is in THP's figure */
		how = "meminfo";
		huge = c->thp_grew;
	}
	printf("info,%s,AnonHugePages %ld kB of %zu kB (%s)\n", kind_name[k],
	       huge / (long)KIB, ti->len[k] / KIB, how);
	if (k == K_THP && huge < (long)ti->len[k]) {
		printf("note,thp,%s: AnonHugePages %ld kB of %zu kB\n",
		       huge > 0 ? "only partly taken" : "did not take",
		       huge / (long)KIB, ti->len[k] / KIB);
		return huge > 0;
	}
	if (k == K_4K && huge > 0)
		printf("note,4k,THP crept in: %ld kB\n", huge / (long)KIB);
	return 1;
}

/* Its figures are not taken: say so, for the reason kind_ok() noted */
static void kind_skip(struct ctx *c, enum kind k)
{
	char name[32];

	snprintf(name, sizeof(name), "%s memory", kind_name[k]);
	if (c->ti->mem[k])
		ksft_test_result_code(KSFT_SKIP, name, "did not take");
	else
		ksft_test_result_code(KSFT_SKIP, name, "unavailable: %s",
				      strerror(c->ti->err[k]));
}

static unsigned long hugetlb_had;	/* nr_hugepages before we grew it */

static void set_hugetlb(unsigned long n)
{
	knob_set("/proc/sys/vm/nr_hugepages", "%lu\n", n);
}

/*
 * Reserve enough hugetlbfs pages unless the kernel command line did; the
 * pool is given back at the end (bench also runs natively on a host).
 */
static void reserve_hugetlb(void)
{
	unsigned long need, have;

	if (!huge_size)		/* no hugetlbfs: the kind is skipped */
		return;
	need = round_up(opt.kinds_max, huge_size) / huge_size;
	have = read_number("/proc/sys/vm/nr_hugepages", 0);
	if (have >= need)
		return;
	hugetlb_had = have + 1;
	set_hugetlb(need);
}

static void restore_hugetlb(void)
{
	if (hugetlb_had)
		set_hugetlb(hugetlb_had - 1);
}

/*
 * Whether /proc/cpuinfo (the kernel's view, which picks copy_user's
 * instruction) lists the flags that decide how the kernel copies
 */
static const char *cpu_flags(void)
{
	static char out[128];
	char line[4096], *p;
	int erms = 0, fsrm = 0, seen = 0;
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && !seen && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		seen = 1;
		for (p = strtok(line, " \t\n"); p; p = strtok(NULL, " \t\n")) {
			erms |= !strcmp(p, "erms");
			fsrm |= !strcmp(p, "fsrm");
		}
	}
	if (f)
		fclose(f);
	if (!seen)
		return "no flags line";
	snprintf(out, sizeof(out), "erms %s fsrm %s", erms ? "yes" : "no",
		 fsrm ? "yes" : "no");
	return out;
}

static void print_info(void)
{
	struct utsname u;
	char cs[64];

	uname(&u);
	if (read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		      cs, sizeof(cs)))
		strcpy(cs, "?");
	printf("info,kernel,%s %s %s\n", u.release, u.version, u.machine);
	printf("info,abi,%s\n", CMA_ABI);
	printf("info,cpus,%ld\n", sysconf(_SC_NPROCESSORS_ONLN));
	printf("info,page,%zu\n", page_size);
	printf("info,thp,%zu\n", thp_size);
	printf("info,hugetlb,%zu,%lld pages\n", huge_size,
	       read_number("/proc/sys/vm/nr_hugepages", 0));
	printf("info,clocksource,%s\n", cs);
	printf("info,cpuinfo,%s\n", cpu_flags());
	/* what a system call's entry and exit pay for, on this kernel */
	if (!read_line("/sys/devices/system/cpu/vulnerabilities/meltdown", cs,
		       sizeof(cs)))
		printf("info,meltdown,%s\n", cs);
	printf("info,kcopy,%s\n", kcopy_name[kcopy_how]);
	printf("info,sample_ns,%" PRIu64 ",budget_ns,%" PRIu64 ",reps,%d-%d\n",
	       opt.fig.sample_ns, opt.fig.budget_ns, opt.fig.min_reps,
	       opt.fig.max_reps);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: bench [--quick] [--sizes LIST] [--many-sizes LIST]\n"
		"             [--pieces-max SIZE] [--kinds-max SIZE]\n"
		"             [--budget-ms N] [--sample-us N] [--reps MIN,MAX]\n"
		"sizes take K and M suffixes: --sizes 8,4K,1M\n");
	exit(2);
}

/* A list of sizes, at most MAX_SIZES, or usage() */
static int sizes(const char *list, size_t *out)
{
	int n = parse_sizes(list, out, MAX_SIZES);

	if (n < 0)
		usage();
	return n;
}

static size_t size_arg(const char *s)
{
	size_t n;

	if (parse_size(s, &n))
		usage();
	return n;
}

/*
 * Defaults are the full matrix of `make bench`.  --quick is what make
 * check runs: one tiny size, every method once with a data check, no
 * calibration.  In a guest, cmabench_sizes=LIST and cmabench_many=LIST on
 * the kernel command line (init's environment) stand for --sizes and
 * --many-sizes: a shorter run while working on the benchmark.
 */
static void parse_args(int argc, char **argv)
{
	int i;

	opt.nsizes = sizes("8,64,512,4K,64K,1M,4M,16M,64M", opt.sizes);
	opt.nmany = sizes("4K,64K,1M,16M", opt.many_sizes);
	opt.pieces_max = opt.kinds_max = 64 * MIB;
	figure_defaults(&opt.fig);
	if (getenv("cmabench_sizes"))
		opt.nsizes = sizes(getenv("cmabench_sizes"), opt.sizes);
	if (getenv("cmabench_many"))
		opt.nmany = sizes(getenv("cmabench_many"), opt.many_sizes);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--quick")) {
			figure_quick(&opt.fig);
			opt.nsizes = sizes("512", opt.sizes);
			opt.nmany = sizes("512", opt.many_sizes);
			continue;
		}
		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--sizes"))
			opt.nsizes = sizes(v, opt.sizes);
		else if (!strcmp(a, "--many-sizes"))
			opt.nmany = sizes(v, opt.many_sizes);
		else if (!strcmp(a, "--pieces-max"))
			opt.pieces_max = size_arg(v);
		else if (!strcmp(a, "--kinds-max"))
			opt.kinds_max = size_arg(v);
		else if (figure_arg(&opt.fig, a, v))
			usage();
	}
	if (!figure_opts_ok(&opt.fig) || !opt.nsizes)
		usage();
	for (i = 0; i < opt.nsizes; i++)
		if (opt.sizes[i] > opt.max)
			opt.max = opt.sizes[i];
	for (i = 0; i < opt.nmany; i++)
		if (opt.many_sizes[i] > opt.max)
			opt.max = opt.many_sizes[i];
	if (opt.pieces_max > opt.max)
		opt.pieces_max = opt.max;
	if (opt.kinds_max > opt.max)
		opt.kinds_max = opt.max;
}

static void setup(struct ctx *c)
{
	page_size = sysconf(_SC_PAGESIZE);
	kcopy_detect();
	thp_size = read_number("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size",
			       2 * MIB);
	huge_size = meminfo("Hugepagesize");
	reserve_hugetlb();
	print_info();

	/* The reader's buffers, each touched before any figure is timed */
	c->local = pattern_buffer(local_size());
	c->src = pattern_buffer(local_size());
	c->shm = mmap(NULL, opt.max, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	c->bounce = malloc(CHUNK);
	if (c->shm == MAP_FAILED || !c->bounce)
		fatal("buffers");
	memset(c->shm, 0, opt.max);

	c->thp_grew = meminfo("AnonHugePages");
	c->memfd = target_start_mem(&c->t);
	c->thp_grew = meminfo("AnonHugePages") - c->thp_grew;
	c->target = c->t.pid;
	c->ti = c->t.shared;
	start_sender(c);
	start_readers(c);
}

int main(int argc, char **argv)
{
	/* sibling readers attach too, whatever Yama's scope */
	struct ctx c = {
		.t = {
			.setup = target_setup,
			.shared_size = sizeof(struct target_info),
			.flags = TARGET_ANY_TRACER,
		},
	};
	int ok[NR_KINDS], i, k;
	size_t s;
	unsigned int j;

	signal(SIGPIPE, SIG_IGN);
	parse_args(argc, argv);
	ksft_print_header();
	setup(&c);

	for (k = 0; k < NR_KINDS; k++) {
		ok[k] = kind_ok(&c, k);
		if (!ok[k])
			kind_skip(&c, k);
	}

	null_figure(&c);
	for (i = 0; i < opt.nsizes; i++)
		baselines(&c, opt.sizes[i]);
	for (j = 0; j < sizeof(shapes) / sizeof(shapes[0]); j++)
		for (i = 0; i < opt.nsizes; i++) {
			s = opt.sizes[i];
			/* Pieces of at least a byte; trimmed big sizes */
			if (s % shapes[j].nl || s % shapes[j].nr ||
			    s < shapes[j].nl * shapes[j].nr ||
			    (j && s > opt.pieces_max))
				continue;
			rw_figures(&c, &shapes[j], K_4K, s);
		}
	for (k = K_THP; k < NR_KINDS; k++)
		for (i = 0; ok[k] && i < opt.nsizes; i++)
			if (opt.sizes[i] <= opt.kinds_max)
				rw_figures(&c, &shapes[0], k, opt.sizes[i]);
	prof_figures(&c);
	for (i = 0; i < opt.nmany; i++)
		many_figures(&c, opt.many_sizes[i]);

	stop_all(&c);
	restore_hugetlb();
	/* the plan last: how many figures there are is known only now */
	ksft_set_plan(ksft_test_num());
	ksft_finished();
}
