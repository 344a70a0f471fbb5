// SPDX-License-Identifier: GPL-2.0
/*
 * What `make` shows: one process reads another's memory and writes into it
 * with a single system call each.  No timings: under plain QEMU TCG the
 * kernel's copy is emulated far more slowly than user space's vector
 * memcpy, so any speed figure taken here would mislead; scripts/demo.sh
 * prints what `make bench` measured instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include "kselftest.h"

struct shared {
	volatile int phase;
	int seen_ok;		/* the target found the reader's reply */
	char *greeting;		/* in the target's address space */
};

static struct shared *sh;

static void target(void)
{
	char *greeting = calloc(1, 64);

	strcpy(greeting, "hello from the target process");

	sh->greeting = greeting;
	sh->phase = 1;
	while (sh->phase != 2)
		usleep(1000);
	printf("  target %d now holds: \"%s\"\n", getpid(), greeting);
	sh->seen_ok = !strcmp(greeting, "written by the reader, one copy");
	fflush(stdout);
	sh->phase = 3;
	pause();
}

int main(void)
{
	char buf[64] = "", reply[] = "written by the reader, one copy";
	int read_ok, write_ok;
	ssize_t ret;
	struct iovec l, r;
	pid_t pid;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 1;
	pid = fork();
	if (pid == 0)
		target();
	while (sh->phase != 1)
		usleep(1000);

	l.iov_base = buf;
	l.iov_len = sizeof(buf);
	r.iov_base = sh->greeting;
	r.iov_len = sizeof(buf);
	ret = process_vm_readv(pid, &l, 1, &r, 1, 0);
	printf("  reader %d: process_vm_readv(%d, ...) = %zd: \"%s\"\n", getpid(), pid,
	       ret, buf);
	read_ok = ret == sizeof(buf) && !strcmp(buf, "hello from the target process");
	l.iov_base = reply;
	l.iov_len = r.iov_len = sizeof(reply);
	ret = process_vm_writev(pid, &l, 1, &r, 1, 0);
	printf("  reader %d: process_vm_writev(%d, ...) = %zd\n", getpid(), pid, ret);
	sh->phase = 2;
	while (sh->phase != 3)
		usleep(1000);
	write_ok = ret == sizeof(reply) && sh->seen_ok;

	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	/* The host reads these: the demonstration must also be right */
	ksft_print_header();
	ksft_set_plan(2);
	ksft_test_result(read_ok, "reader_read_the_target_greeting\n");
	ksft_test_result(write_ok, "target_holds_the_reader_reply\n");
	ksft_finished();
}
