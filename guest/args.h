/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line numbers and seed lists, for the guest programs that replay
 * seeded runs (fuzz, stall).  The including program defines usage(), which
 * prints how to call it and exits; the parsing itself is util.c's.
 */
#ifndef CMA_GUEST_ARGS_H
#define CMA_GUEST_ARGS_H

#include <stdint.h>
#include <string.h>
#include "util.h"

static void usage(void);

/* A whole number in C notation (0x.., 0..), or usage() */
static inline uint64_t number(const char *s)
{
	uint64_t v;

	if (parse_number(s, &v))
		usage();
	return v;
}

/* Append the comma-separated numbers of @list to @seeds[*@n], at most @max */
static inline void parse_seed_list(uint64_t *seeds, unsigned int *n,
				   unsigned int max, const char *list)
{
	char buf[512], *tok, *save = NULL;

	if (!list || strlen(list) >= sizeof(buf))
		usage();
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*n == max)
			usage();
		seeds[(*n)++] = number(tok);
	}
}

#endif
