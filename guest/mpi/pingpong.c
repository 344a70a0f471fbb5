// SPDX-License-Identifier: GPL-2.0
/*
 * Two-rank ping-pong, 1 KiB to 16 MiB, every byte of every message checked
 * on arrival.  Rank 0 prints TAP and, from the message schedule, how many
 * messages are sent by rendezvous under the eager limit given as argv[1]
 * (btl_vader_eager_limit; see single_copy()): with Open
 * MPI's vader BTL each of those is moved by the receiver with
 * process_vm_readv (single copy) when Cross Memory Attach works, which the
 * run script compares with what strace saw.
 *
 * Buffers start at a different odd offset for each size, so the kernel
 * copies between pages that do not line up.
 */
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "pattern.h"

#define MIN_SIZE	(1UL << 10)
#define MAX_SIZE	(16UL << 20)
#define ROUND_TRIPS	2
#define MAX_OFFSET	4096

struct schedule {
	unsigned long eager_limit;
	unsigned long long big_messages, big_bytes;
};

static uint64_t seed_of(size_t size, int trip, int from)
{
	return (uint64_t)size << 8 | (uint64_t)trip << 1 | (uint64_t)from;
}

/* An odd, size-dependent start within the first page. */
static size_t offset_of(size_t size)
{
	return (size / 1024 * 37 + 1) % MAX_OFFSET | 1;
}

/* Send @len bytes of pattern @seed to @peer. */
static void send_pattern(unsigned char *buf, size_t len, uint64_t seed, int peer)
{
	pattern_fill(buf, len, seed);
	MPI_Send(buf, (int)len, MPI_BYTE, peer, 0, MPI_COMM_WORLD);
}

/* Receive from @peer and count the bytes that are not pattern @seed. */
static size_t recv_check(unsigned char *buf, size_t len, uint64_t seed, int peer,
			 size_t *first)
{
	MPI_Status st;
	int count;
	size_t bad;

	pattern_poison(buf, len, seed);
	MPI_Recv(buf, (int)len, MPI_BYTE, peer, 0, MPI_COMM_WORLD, &st);
	MPI_Get_count(&st, MPI_BYTE, &count);
	bad = pattern_check(buf, len, seed, first);
	if ((size_t)count != len) {
		printf("# rank got %d bytes, expected %zu\n", count, len);
		bad += len;
	}
	return bad;
}

static size_t one_size(int rank, unsigned char *mem, size_t size, size_t *first)
{
	unsigned char *buf = mem + offset_of(size);
	int peer = !rank, trip;
	size_t bad = 0;

	for (trip = 0; trip < ROUND_TRIPS; trip++) {
		if (rank == 0) {
			send_pattern(buf, size, seed_of(size, trip, 0), peer);
			bad += recv_check(buf, size, seed_of(size, trip, 1), peer, first);
		} else {
			bad += recv_check(buf, size, seed_of(size, trip, 0), peer, first);
			send_pattern(buf, size, seed_of(size, trip, 1), peer);
		}
	}
	return bad;
}

static void count_schedule(struct schedule *s, size_t size)
{
	if (!single_copy(size, s->eager_limit))
		return;
	s->big_messages += 2 * ROUND_TRIPS;
	s->big_bytes += 2ULL * ROUND_TRIPS * size;
}

int main(int argc, char **argv)
{
	struct schedule sched = { 0 };
	struct tap tap = { 0 };
	unsigned char *mem;
	int rank;
	size_t size;

	sched.eager_limit = mpi_start(&argc, &argv, &rank);
	mem = malloc(MAX_SIZE + MAX_OFFSET);
	if (!mem)
		MPI_Abort(MPI_COMM_WORLD, 1);
	if (rank == 0)
		printf("TAP version 13\n");

	for (size = MIN_SIZE; size <= MAX_SIZE; size *= 2) {
		size_t first = 0, bad, total;
		char what[128];

		bad = one_size(rank, mem, size, &first);
		MPI_Reduce(&bad, &total, 1, MPI_UNSIGNED_LONG, MPI_SUM, 0,
			   MPI_COMM_WORLD);
		count_schedule(&sched, size);
		if (rank != 0)
			continue;
		if (bad)
			printf("# rank 0: first bad byte at offset %zu\n", first);
		snprintf(what, sizeof(what),
			 "pingpong %zu bytes x %d round trips, offset %zu: %zu bad bytes",
			 size, ROUND_TRIPS, offset_of(size), total);
		tap_result(&tap, total == 0, what);
	}

	if (rank == 0) {
		printf("# cma-expect: reads %llu bytes %llu (eager limit %lu)\n",
		       sched.big_messages, sched.big_bytes, sched.eager_limit);
		printf("1..%d\n", tap.n);
	}
	free(mem);
	MPI_Finalize();
	return rank == 0 ? tap_totals(&tap) : 0;
}
