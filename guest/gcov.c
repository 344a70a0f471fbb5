// SPDX-License-Identifier: GPL-2.0
/*
 * gcov reset | dump NAME...: the coverage counters of a gcov kernel
 * (configs/gcov.config) for the host.
 *
 * "reset" zeroes every counter (/sys/kernel/debug/gcov/reset), so that a
 * dump counts only what the suites after it did.  "dump" finds each file
 * called NAME (e.g. process_vm_access.gcda) under /sys/kernel/debug/gcov
 * and prints it on the console in hex, where scripts/gcov-report.py
 * reads it back; every NAME must be found:
 *
 *   cma-gcov: begin PATH SIZE CRC32
 *   cma-gcov: OFFSET HEX...          (64 bytes a line)
 *   cma-gcov: end PATH
 *
 * Hex, not base64: lower-case hex can never spell one of the kernel
 * reports check-log.sh looks for ("Oops", "UBSAN"), and the offsets and
 * the CRC let the host notice a line lost or cut by a kernel message.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kselftest.h"
#include "util.h"

#define GCOV_DIR "/sys/kernel/debug/gcov"
#define LINE_BYTES 64

static const char *wanted;
static int found, bad;

/* CRC-32 of zlib (and of Python's zlib.crc32). */
static unsigned int crc32(const unsigned char *p, size_t n)
{
	unsigned int crc = ~0U;
	int k;

	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320U & -(crc & 1));
	}
	return ~crc;
}

/* Read a whole debugfs file: its size is known only at its end. */
static unsigned char *slurp(const char *path, size_t *len)
{
	size_t size = 0, cap = 65536;
	unsigned char *buf = malloc(cap), *more;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || !buf) {
		ksft_print_msg("open %s: %s\n", path, strerror(errno));
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((n = read(fd, buf + size, cap - size)) > 0) {
		size += n;
		if (size == cap) {
			more = realloc(buf, cap *= 2);
			if (!more) {
				n = -1;
				break;
			}
			buf = more;
		}
	}
	if (n < 0) {
		ksft_print_msg("read %s: %s\n", path, strerror(errno));
		free(buf);
		buf = NULL;
	}
	close(fd);
	*len = size;
	return buf;
}

static void dump(const char *path)
{
	unsigned char *buf;
	size_t len, off, i;

	buf = slurp(path, &len);
	if (!buf) {
		bad++;
		return;
	}
	printf("cma-gcov: begin %s %zu %08x\n", path, len, crc32(buf, len));
	for (off = 0; off < len; off += LINE_BYTES) {
		printf("cma-gcov: %06zx ", off);
		for (i = off; i < len && i < off + LINE_BYTES; i++)
			printf("%02x", buf[i]);
		printf("\n");
	}
	printf("cma-gcov: end %s\n", path);
	ksft_print_msg("%s: %zu bytes\n", path, len);
	free(buf);
	found++;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	if (type == FTW_F && !strcmp(path + ftw->base, wanted))
		dump(path);
	return 0;
}

int main(int argc, char **argv)
{
	int i, missing = 0;

	if (!(argc == 2 && !strcmp(argv[1], "reset")) &&
	    !(argc >= 3 && !strcmp(argv[1], "dump"))) {
		fprintf(stderr, "usage: gcov reset | gcov dump NAME.gcda...\n");
		return 2;
	}
	ksft_print_header();
	ksft_set_plan(1);
	if (access(GCOV_DIR, F_OK)) {
		ksft_print_msg("%s: %s\n", GCOV_DIR, strerror(errno));
		ksft_test_result_fail("gcov: no counters (is this a gcov kernel?)\n");
		ksft_finished();
	}
	if (!strcmp(argv[1], "reset")) {
		ksft_test_result(!knob_set(GCOV_DIR "/reset", "1"),
				 "gcov: counters reset\n");
		ksft_finished();
	}
	for (i = 2; i < argc; i++) {
		wanted = argv[i];
		found = 0;
		/* FTW_PHYS: each .gcno there is a symlink into the build tree. */
		if (nftw(GCOV_DIR, visit, 16, FTW_PHYS))
			ksft_print_msg("walking %s: %s\n", GCOV_DIR, strerror(errno));
		if (!found) {
			ksft_print_msg("no %s under %s (not profiled: GCOV_PROFILE_x.o=y?)\n",
				       wanted, GCOV_DIR);
			missing++;
		}
	}
	ksft_test_result(!missing && !bad, "gcov: counters dumped\n");
	ksft_finished();
}
