/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seeded generator of the guest programs that replay a run from its
 * seed (fuzz, stall): splitmix64, whose mixer also hashes what they print.
 */
#ifndef CMA_GUEST_RNG_H
#define CMA_GUEST_RNG_H

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

#endif
