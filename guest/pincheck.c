// SPDX-License-Identifier: GPL-2.0
/*
 * pincheck: every page pinned since boot has been unpinned again.  Run it
 * last in a suite, after every program that called process_vm_readv or
 * process_vm_writev has exited: nr_foll_pin_acquired must then equal
 * nr_foll_pin_released in /proc/vmstat.  If no page was ever pinned the
 * check proves nothing, and says so with a skip.
 */
#include <stdio.h>

#include "pins.h"

int main(void)
{
	struct pins p;
	int ok;

	printf("TAP version 13\n1..1\n");
	ok = pins_settle(&p, 5);
	if (ok < 0) {
		printf("not ok 1 pins: /proc/vmstat has no nr_foll_pin_* counters\n");
		printf("# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0\n");
		return 1;
	}
	printf("# nr_foll_pin_acquired %lld nr_foll_pin_released %lld\n",
	       p.acquired, p.released);
	if (ok && !p.acquired) {
		printf("ok 1 pins: balanced # SKIP no page was pinned since boot\n");
		printf("# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:1 error:0\n");
		return 0;
	}
	if (!ok) {
		printf("# %lld pinned page references were never released\n",
		       p.acquired - p.released);
		printf("not ok 1 pins: every FOLL_PIN acquired was released\n");
		printf("# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0\n");
		return 1;
	}
	printf("ok 1 pins: every FOLL_PIN acquired was released\n");
	printf("# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0\n");
	return 0;
}
