// SPDX-License-Identifier: GPL-2.0
/*
 * pincheck: every page pinned since boot has been unpinned again.  Run it
 * last in a suite, after every program that called process_vm_readv or
 * process_vm_writev has exited: nr_foll_pin_acquired must then equal
 * nr_foll_pin_released in /proc/vmstat.  If no page was ever pinned the
 * check proves nothing, and says so with a skip.
 */
#include "kselftest.h"
#include "pins.h"

int main(void)
{
	struct pins p;
	int ok;

	ksft_print_header();
	ksft_set_plan(1);
	ok = pins_settle(&p, 5);
	if (ok < 0) {
		ksft_test_result_fail("pins: /proc/vmstat has no nr_foll_pin_* counters\n");
		ksft_exit_fail();
	}
	ksft_print_msg("nr_foll_pin_acquired %lld nr_foll_pin_released %lld\n",
		       p.acquired, p.released);
	if (ok && !p.acquired) {
		ksft_test_result_code(KSFT_SKIP, "pins: balanced",
				      "no page was pinned since boot");
		ksft_finished();
	}
	if (!ok)
		ksft_print_msg("%lld pinned page references were never released\n",
			       p.acquired - p.released);
	ksft_test_result(ok, "pins: every FOLL_PIN acquired was released\n");
	ksft_finished();
}
