/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Data patterns, start-up and TAP output shared by the MPI test programs.  Every
 * 8-byte word of a message is a function of its position and of a seed
 * that names the message, so a byte that is stale, misplaced, shifted or
 * taken from another message is caught by a full comparison.
 */
#ifndef MPI_PATTERN_H
#define MPI_PATTERN_H

#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline uint64_t pattern_word(uint64_t seed, uint64_t i)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + i * 0xbf58476d1ce4e5b9ull;

	x ^= x >> 31;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 29);
}

/* Byte @pos of the pattern: byte pos % 8 of word pos / 8, on any endianness. */
static inline unsigned char pattern_byte(uint64_t word, size_t pos)
{
	return word >> (8 * (pos % 8));
}

/* @flip 0: the pattern; 0xff: its complement (a byte nobody wrote never passes). */
static inline void pattern_fill_flip(unsigned char *buf, size_t len,
				     uint64_t seed, unsigned char flip)
{
	uint64_t w = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (i % 8 == 0)
			w = pattern_word(seed, i / 8);
		buf[i] = pattern_byte(w, i) ^ flip;
	}
}

static inline void pattern_fill(unsigned char *buf, size_t len, uint64_t seed)
{
	pattern_fill_flip(buf, len, seed, 0);
}

static inline void pattern_poison(unsigned char *buf, size_t len, uint64_t seed)
{
	pattern_fill_flip(buf, len, seed, 0xff);
}

/* Number of bytes that differ from the pattern; *first gets the first. */
static inline size_t pattern_check(const unsigned char *buf, size_t len,
				   uint64_t seed, size_t *first)
{
	uint64_t w = 0;
	size_t i, bad = 0;

	for (i = 0; i < len; i++) {
		if (i % 8 == 0)
			w = pattern_word(seed, i / 8);
		if (buf[i] == pattern_byte(w, i))
			continue;
		if (!bad++)
			*first = i;
	}
	return bad;
}

/*
 * Whether pml ob1 sends a message of @size bytes by rendezvous, which on
 * vader with CMA means one process_vm_readv by the receiver (RGET) for the
 * whole message.  ob1 sends eagerly what fits in the eager limit together
 * with its match header (a few dozen bytes); our sizes and the limit are
 * multiples of 1 KiB, so that is every size below the limit.
 */
static inline int single_copy(size_t size, unsigned long eager_limit)
{
	return size >= eager_limit;
}

/*
 * MPI_Init for our two-rank programs, which take vader's eager limit as
 * their one argument (it decides which messages go through CMA); returns it.
 */
static inline unsigned long mpi_start(int *argc, char ***argv, int *rank)
{
	unsigned long eager_limit;
	int nranks;

	MPI_Init(argc, argv);
	MPI_Comm_rank(MPI_COMM_WORLD, rank);
	MPI_Comm_size(MPI_COMM_WORLD, &nranks);
	if (nranks != 2 || *argc != 2) {
		if (*rank == 0)
			fprintf(stderr, "usage: mpirun -n 2 %s EAGER_LIMIT\n", (*argv)[0]);
		MPI_Abort(MPI_COMM_WORLD, 2);
	}
	eager_limit = strtoul((*argv)[1], NULL, 0);
	if (!eager_limit || eager_limit % 1024) {
		if (*rank == 0)
			fprintf(stderr, "EAGER_LIMIT must be a multiple of 1024\n");
		MPI_Abort(MPI_COMM_WORLD, 2);
	}
	return eager_limit;
}

/* TAP as the harness reads it (scripts/check-log.sh); rank 0 prints it. */
struct tap {
	int n, pass, fail;
};

static inline void tap_result(struct tap *t, int ok, const char *what)
{
	t->n++;
	if (ok)
		t->pass++;
	else
		t->fail++;
	printf("%sok %d %s\n", ok ? "" : "not ", t->n, what);
	fflush(stdout);
}

static inline int tap_totals(const struct tap *t)
{
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n",
	       t->pass, t->fail);
	fflush(stdout);
	return t->fail ? 1 : 0;
}

#endif
