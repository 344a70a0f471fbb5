/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FOLL_PIN accounting, shared by stress, stall and pincheck.  Every page pinned
 * with pin_user_pages*() adds to nr_foll_pin_acquired and every unpin adds
 * to nr_foll_pin_released, so once nothing is pinned any more the two are
 * equal; a missing unpin anywhere leaves them apart for good.  The counters
 * are global, and nothing in our small guests pins pages except
 * process_vm_readv/writev (no io_uring, RDMA or VFIO), so any difference is
 * a leak.
 */
#ifndef CMA_PINS_H
#define CMA_PINS_H

#include <unistd.h>
#include "util.h"

struct pins {
	long long acquired;
	long long released;
};

/*
 * /proc/vmstat shows the global counters without the per-CPU deltas not yet
 * folded into them (up to the stat threshold per CPU); writing to
 * vm.stat_refresh folds every CPU's deltas first.
 */
static inline void vmstat_refresh(void)
{
	const char *path = "/proc/sys/vm/stat_refresh";

	/* without it (or root) the counters are shown as they are */
	if (!access(path, W_OK))
		knob_set(path, "1\n");
}

/* Value of counter @name in /proc/vmstat, -1 if there is no such counter */
static inline long long vmstat_value(const char *name)
{
	return read_field("/proc/vmstat", name, -1);
}

/* Return: 0, or -1 if the kernel does not count pins */
static inline int pins_read(struct pins *p)
{
	vmstat_refresh();
	p->acquired = vmstat_value("nr_foll_pin_acquired");
	p->released = vmstat_value("nr_foll_pin_released");
	return p->acquired < 0 || p->released < 0 ? -1 : 0;
}

/*
 * Read the counters until @outstanding pins are left (acquired - released),
 * at most @tries times a second apart: an unpin racing with the read (a
 * process still exiting) settles within that time, a leak never does.  A
 * program that may share the machine with other pinners (stall on a
 * development host) passes what was outstanding when it started.
 *
 * Return: 1 settled, 0 not settled, -1 no counters.
 */
static inline int pins_settle_to(struct pins *p, long long outstanding,
				 int tries)
{
	while (tries-- > 0) {
		if (pins_read(p))
			return -1;
		if (p->acquired - p->released == outstanding)
			return 1;
		if (tries)
			sleep(1);
	}
	return 0;
}

/* Return: 1 balanced, 0 not balanced, -1 no counters (pins_settle_to()) */
static inline int pins_settle(struct pins *p, int tries)
{
	return pins_settle_to(p, 0, tries);
}

#endif
