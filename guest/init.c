// SPDX-License-Identifier: GPL-2.0
/*
 * PID 1 of the test guests.  Mounts what the tests need, runs the programs
 * that /suites/NAME lists for the suite named on the kernel command line
 * (cmasuite=NAME), and powers the machine off.  The host reads the console:
 * "cma-run:" lines frame each program, so a program that hangs or dies is
 * seen as such and never taken for a pass.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define MAX_ARGS 32

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("cma-run: ");
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static void mount_one(const char *type, const char *dir, const char *opts)
{
	mkdir(dir, 0755);
	if (mount(type, dir, type, 0, opts) && errno != EBUSY)
		say("note: mount %s on %s: %s\n", type, dir, strerror(errno));
}

static void setup(void)
{
	int fd;

	mount_one("devtmpfs", "/dev", NULL);
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	mount_one("proc", "/proc", NULL);
	mount_one("sysfs", "/sys", NULL);
	mount_one("tmpfs", "/tmp", "mode=1777");
	mount_one("hugetlbfs", "/dev/hugepages", NULL);
	/* gup_test lives here; kmemleak and fault injection on debug kernels. */
	if (mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL) &&
	    errno != ENODEV && errno != ENOENT)
		say("note: mount debugfs: %s\n", strerror(errno));
	setenv("PATH", "/bin:/sbin", 1);
	setenv("TMPDIR", "/tmp", 1);
}

/* Run one program, killing its whole process group after @timeout seconds. */
static void run(char **argv, const char *name, int timeout)
{
	struct timespec t0, t1;
	int status = 0;
	pid_t pid, w;
	int waited = 0;

	say("begin %s\n", name);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		execv(argv[0], argv);
		printf("exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		say("end %s fork-failed\n", name);
		return;
	}
	for (;;) {
		w = waitpid(-1, &status, WNOHANG);
		if (w == pid)
			break;
		if (w > 0)
			continue;	/* an orphan reparented to us */
		if (waited >= timeout * 10) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			say("end %s timeout after %d s\n", name, timeout);
			return;
		}
		usleep(100000);
		waited++;
	}
	kill(-pid, SIGKILL);	/* leftovers of the program's own */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (WIFEXITED(status))
		say("end %s exit=%d (%ld s)\n", name, WEXITSTATUS(status),
		    (long)(t1.tv_sec - t0.tv_sec));
	else
		say("end %s signal=%d\n", name, WTERMSIG(status));
}

/* Each line of a suite file: NAME TIMEOUT PROGRAM [ARG...] */
static void run_suite(const char *suite)
{
	char path[256], line[1024];
	char *argv[MAX_ARGS + 1];
	FILE *f;

	snprintf(path, sizeof(path), "/suites/%s", suite);
	f = fopen(path, "r");
	if (!f) {
		say("error: no suite %s: %s\n", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *name, *tmo;
		int argc = 0;

		name = strtok_r(line, " \t\n", &save);
		if (!name || name[0] == '#')
			continue;
		tmo = strtok_r(NULL, " \t\n", &save);
		while (argc < MAX_ARGS &&
		       (argv[argc] = strtok_r(NULL, " \t\n", &save)))
			argc++;
		argv[argc] = NULL;
		if (!tmo || argc == 0) {
			say("error: bad line in %s for %s\n", path, name);
			continue;
		}
		run(argv, name, atoi(tmo));
	}
	fclose(f);
}

int main(void)
{
	const char *suite = getenv("cmasuite");
	char *s, *tok, *save = NULL;

	setup();
	say("init on %s\n", suite ? suite : "(no suite)");
	if (suite) {
		s = strdup(suite);
		for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			run_suite(tok);
	}
	say("done\n");
	sync();
	reboot(RB_POWER_OFF);
	reboot(RB_AUTOBOOT);	/* QEMU -no-reboot turns this into an exit */
	for (;;)
		pause();
}
