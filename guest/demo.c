// SPDX-License-Identifier: GPL-2.0
/*
 * What `make` shows: one process reads another's memory and writes into it
 * with a single system call each.  No timings: under plain QEMU TCG the
 * kernel's copy is emulated far more slowly than user space's vector
 * memcpy, so any speed figure taken here would mislead; scripts/demo.sh
 * prints what `make bench` measured instead.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>
#include "kselftest.h"
#include "util.h"

#define GREETING	"hello from the target process"
#define REPLY		"written by the reader, one copy"

/* The target's greeting, in its own address space */
static int target_greet(struct target *t)
{
	char *greeting = calloc(1, 64);

	if (!greeting)
		return ENOMEM;
	strcpy(greeting, GREETING);
	*(char **)t->shared = greeting;
	return 0;
}

/* At the end the target says what it holds: 0 if the reader's reply */
static int target_show(struct target *t)
{
	char *greeting = *(char **)t->shared;

	printf("  target %d now holds: \"%s\"\n", getpid(), greeting);
	fflush(stdout);
	return strcmp(greeting, REPLY) != 0;
}

int main(void)
{
	struct target t = {
		.setup = target_greet,
		.finish = target_show,
		.shared_size = sizeof(char *),
	};
	char buf[64] = "", reply[] = REPLY;
	int read_ok, write_ok, status;
	ssize_t ret;
	struct iovec l, r;

	if (target_start(&t))
		return 1;

	l.iov_base = buf;
	l.iov_len = sizeof(buf);
	r.iov_base = *(char **)t.shared;
	r.iov_len = sizeof(buf);
	ret = process_vm_readv(t.pid, &l, 1, &r, 1, 0);
	printf("  reader %d: process_vm_readv(%d, ...) = %zd: \"%s\"\n", getpid(), t.pid,
	       ret, buf);
	read_ok = ret == sizeof(buf) && !strcmp(buf, GREETING);
	l.iov_base = reply;
	l.iov_len = r.iov_len = sizeof(reply);
	ret = process_vm_writev(t.pid, &l, 1, &r, 1, 0);
	printf("  reader %d: process_vm_writev(%d, ...) = %zd\n", getpid(), t.pid, ret);
	status = target_finish(&t);
	write_ok = ret == sizeof(reply) && status == 0;

	/* The host reads these: the demonstration must also be right */
	ksft_print_header();
	ksft_set_plan(2);
	ksft_test_result(read_ok, "reader_read_the_target_greeting\n");
	ksft_test_result(write_ok, "target_holds_the_reader_reply\n");
	ksft_finished();
}
