// SPDX-License-Identifier: GPL-2.0
/*
 * kmemleak clear | check: bracket a debug-kernel run with kmemleak.
 *
 * "clear" scans once and forgets what boot left behind, so that "check"
 * at the end reports only objects the tests leaked.  "check" waits out
 * kmemleak's minimum object age, scans twice (an object is reported once
 * it is seen unreferenced by a scan after it grew old enough) and fails
 * on any report, which it prints.  Automatic scanning is off in
 * configs/debug.config, so this is where leaks are looked for.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "kselftest.h"
#include "util.h"

#define KMEMLEAK "/sys/kernel/debug/kmemleak"
#define MIN_AGE_S 5	/* mm/kmemleak.c: MSECS_MIN_AGE */

/* Print the report behind "# " and return how many objects it names. */
static int report(void)
{
	FILE *f = fopen(KMEMLEAK, "r");
	char line[512];
	int leaks = 0;

	if (!f) {
		ksft_print_msg("read %s: %s\n", KMEMLEAK, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		ksft_print_msg("%s", line);
		if (!strncmp(line, "unreferenced object", 19))
			leaks++;
	}
	fclose(f);
	return leaks;
}

int main(int argc, char **argv)
{
	int leaks;

	if (argc != 2 || (strcmp(argv[1], "clear") && strcmp(argv[1], "check"))) {
		fprintf(stderr, "usage: kmemleak clear|check\n");
		return 2;
	}
	ksft_print_header();
	ksft_set_plan(1);
	if (!strcmp(argv[1], "clear")) {
		ksft_test_result(!knob_set(KMEMLEAK, "scan") &&
				 !knob_set(KMEMLEAK, "clear"),
				 "kmemleak: boot-time objects set aside\n");
		ksft_finished();
	}

	sleep(MIN_AGE_S + 1);
	if (knob_set(KMEMLEAK, "scan") || knob_set(KMEMLEAK, "scan")) {
		ksft_test_result_fail("kmemleak: scan failed (is kmemleak on?)\n");
		ksft_finished();
	}
	leaks = report();
	ksft_print_msg("kmemleak: %d unreferenced objects\n", leaks);
	ksft_test_result(leaks == 0, "kmemleak: no leaks after the tests\n");
	ksft_finished();
}
