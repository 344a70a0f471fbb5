// SPDX-License-Identifier: GPL-2.0
/*
 * Collectives over large buffers, every byte checked on every rank:
 * MPI_Bcast from each root and MPI_Alltoall, at sizes well above the
 * eager limit so that Open MPI's vader BTL moves them with
 * process_vm_readv.  Rank 0 prints TAP and the number of single-copy
 * reads the schedule implies for the eager limit in argv[1]: Open MPI's
 * tuned component sends a broadcast among two ranks as one message of the
 * whole buffer (nranks - 1 messages in all), and an all-to-all as one
 * message per ordered pair of distinct ranks.  Each such message above the
 * eager limit is one process_vm_readv of its full size.
 */
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "pattern.h"

#define MAX_SIZE	(16UL << 20)

static const size_t bcast_sizes[] = { 64UL << 10, 1UL << 20, 16UL << 20 };
static const size_t alltoall_blocks[] = { 64UL << 10, 1UL << 20, 4UL << 20 };

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct schedule {
	unsigned long eager_limit;
	unsigned long long reads, bytes;
};

static void expect_messages(struct schedule *s, unsigned long long n, size_t size)
{
	if (!single_copy(size, s->eager_limit))
		return;
	s->reads += n;
	s->bytes += n * size;
}

static uint64_t seed_of(int op, size_t size, int from, int to)
{
	return (uint64_t)size << 16 | (uint64_t)op << 12 | (uint64_t)from << 6 | to;
}

static size_t bcast_one(unsigned char *buf, size_t size, int root, int rank)
{
	uint64_t seed = seed_of(1, size, root, 0);
	size_t first = 0, bad;

	if (rank == root)
		pattern_fill(buf, size, seed);
	else
		pattern_poison(buf, size, seed);
	MPI_Bcast(buf, (int)size, MPI_BYTE, root, MPI_COMM_WORLD);
	bad = pattern_check(buf, size, seed, &first);
	if (bad)
		printf("# rank %d: bcast %zu from %d: first bad byte %zu\n",
		       rank, size, root, first);
	return bad;
}

/* Block i of rank r's send buffer is pattern (r -> i); it must land as block r at i. */
static size_t alltoall_one(unsigned char *sbuf, unsigned char *rbuf, size_t block,
			   int rank, int nranks)
{
	size_t first = 0, bad = 0;
	int i;

	for (i = 0; i < nranks; i++) {
		pattern_fill(sbuf + i * block, block, seed_of(2, block, rank, i));
		pattern_poison(rbuf + i * block, block, seed_of(2, block, i, rank));
	}
	MPI_Alltoall(sbuf, (int)block, MPI_BYTE, rbuf, (int)block, MPI_BYTE,
		     MPI_COMM_WORLD);
	for (i = 0; i < nranks; i++) {
		size_t b = pattern_check(rbuf + i * block, block,
					 seed_of(2, block, i, rank), &first);

		if (b)
			printf("# rank %d: alltoall %zu block from %d: first bad byte %zu\n",
			       rank, block, i, first);
		bad += b;
	}
	return bad;
}

static void report(struct tap *tap, int rank, size_t bad, const char *what)
{
	size_t total;

	MPI_Reduce(&bad, &total, 1, MPI_UNSIGNED_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
	if (rank == 0) {
		char line[160];

		snprintf(line, sizeof(line), "%s: %zu bad bytes", what, total);
		tap_result(tap, total == 0, line);
	}
}

int main(int argc, char **argv)
{
	struct schedule sched = { 0 };
	unsigned char *sbuf, *rbuf;
	struct tap tap = { 0 };
	const int nranks = 2;	/* mpi_start() sees to it */
	int rank, root;
	char what[96];
	size_t i;

	sched.eager_limit = mpi_start(&argc, &argv, &rank);
	sbuf = malloc(MAX_SIZE * nranks);
	rbuf = malloc(MAX_SIZE * nranks);
	if (!sbuf || !rbuf)
		MPI_Abort(MPI_COMM_WORLD, 1);
	if (rank == 0)
		printf("TAP version 13\n");

	for (i = 0; i < ARRAY_SIZE(bcast_sizes); i++) {
		for (root = 0; root < nranks; root++) {
			snprintf(what, sizeof(what), "MPI_Bcast %zu bytes from rank %d",
				 bcast_sizes[i], root);
			report(&tap, rank, bcast_one(rbuf, bcast_sizes[i], root, rank), what);
			expect_messages(&sched, nranks - 1, bcast_sizes[i]);
		}
	}
	for (i = 0; i < ARRAY_SIZE(alltoall_blocks); i++) {
		snprintf(what, sizeof(what), "MPI_Alltoall %zu bytes per rank pair",
			 alltoall_blocks[i]);
		report(&tap, rank,
		       alltoall_one(sbuf, rbuf, alltoall_blocks[i], rank, nranks), what);
		expect_messages(&sched, (unsigned long long)nranks * (nranks - 1),
				alltoall_blocks[i]);
	}

	if (rank == 0) {
		printf("# cma-expect: reads %llu bytes %llu (eager limit %lu)\n",
		       sched.reads, sched.bytes, sched.eager_limit);
		printf("1..%d\n", tap.n);
	}
	free(sbuf);
	free(rbuf);
	MPI_Finalize();
	return rank == 0 ? tap_totals(&tap) : 0;
}
