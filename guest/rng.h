/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seeded generator of the guest programs that replay a run from its
 * seed (fuzz, stall): splitmix64, whose mixer also hashes what they print,
 * and the page patterns and page hashes their digests are made of.
 */
#ifndef CMA_GUEST_RNG_H
#define CMA_GUEST_RNG_H

#include <stddef.h>
#include <stdint.h>

/* splitmix64: the generator and the mixer of every hash here */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state += 0x9e3779b97f4a7c15ULL;
	return mix64(rng_state);
}

static unsigned long below(unsigned long n)
{
	return n ? rnd() % n : 0;
}

/*
 * Word @i of the pattern of @seed.  A seed made of the page's address and
 * a salt of the call means that a stale byte from another call or another
 * place never looks right.
 */
static inline uint64_t pattern_word(uint64_t seed, size_t i)
{
	return mix64(seed) ^ (i * 0x9e3779b97f4a7c15ULL);
}

/* The pattern of @seed at @dst, @bytes a multiple of 8 */
static inline void pattern_fill(void *dst, size_t bytes, uint64_t seed)
{
	uint64_t *w = dst, s = mix64(seed);
	size_t i;

	for (i = 0; i < bytes / 8; i++)
		w[i] = s ^ (i * 0x9e3779b97f4a7c15ULL);
}

/* @h with the 64-bit words of @bytes at @src folded in (FNV-1a's way) */
static inline uint64_t hash_words(uint64_t h, const void *src, size_t bytes)
{
	const uint64_t *w = src;
	size_t i;

	for (i = 0; i < bytes / 8; i++)
		h = (h ^ w[i]) * 0x100000001b3ULL;
	return h;
}

#endif
