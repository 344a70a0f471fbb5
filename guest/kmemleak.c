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
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define KMEMLEAK "/sys/kernel/debug/kmemleak"
#define MIN_AGE_S 5	/* mm/kmemleak.c: MSECS_MIN_AGE */

static int command(const char *cmd)
{
	int fd = open(KMEMLEAK, O_WRONLY);
	int ok;

	if (fd < 0) {
		printf("# open %s: %s\n", KMEMLEAK, strerror(errno));
		return -1;
	}
	ok = write(fd, cmd, strlen(cmd)) == (ssize_t)strlen(cmd);
	if (!ok)
		printf("# %s > %s: %s\n", cmd, KMEMLEAK, strerror(errno));
	close(fd);
	return ok ? 0 : -1;
}

/* Print the report behind "# " and return how many objects it names. */
static int report(void)
{
	FILE *f = fopen(KMEMLEAK, "r");
	char line[512];
	int leaks = 0;

	if (!f) {
		printf("# read %s: %s\n", KMEMLEAK, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		printf("# %s", line);
		if (!strncmp(line, "unreferenced object", 19))
			leaks++;
	}
	fclose(f);
	return leaks;
}

static int verdict(int ok, const char *what)
{
	printf("%s 1 %s\n", ok ? "ok" : "not ok", what);
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n", ok, !ok);
	return !ok;
}

int main(int argc, char **argv)
{
	int leaks;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2 || (strcmp(argv[1], "clear") && strcmp(argv[1], "check"))) {
		fprintf(stderr, "usage: kmemleak clear|check\n");
		return 2;
	}
	printf("TAP version 13\n1..1\n");
	if (!strcmp(argv[1], "clear"))
		return verdict(!command("scan") && !command("clear"),
			       "kmemleak: boot-time objects set aside");

	sleep(MIN_AGE_S + 1);
	if (command("scan") || command("scan"))
		return verdict(0, "kmemleak: scan failed (is kmemleak on?)");
	leaks = report();
	printf("# kmemleak: %d unreferenced objects\n", leaks);
	return verdict(leaks == 0, "kmemleak: no leaks after the tests");
}
