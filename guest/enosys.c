// SPDX-License-Identifier: GPL-2.0
/*
 * On the pre-CMA base kernel both syscall numbers must be unallocated: any
 * other answer means the strip left part of the feature behind.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>
#include "kselftest.h"
#include "abi.h"

static void expect_enosys(const char *name, long nr)
{
	char buf[8];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	long ret;

	errno = 0;
	ret = syscall(nr, getpid(), &iov, 1UL, &iov, 1UL, 0UL);
	if (ret == -1 && errno == ENOSYS)
		ksft_test_result_pass("%s_%s_%ld_is_enosys\n", CMA_ABI, name, nr & 0xffff);
	else
		ksft_test_result_fail("%s_%s_%ld_is_enosys: returned %ld, errno %d (%s)\n",
				      CMA_ABI, name, nr & 0xffff, ret, errno, strerror(errno));
}

int main(void)
{
	ksft_print_header();
	ksft_set_plan(2);
	expect_enosys("process_vm_readv", CMA_NR_READV);
	expect_enosys("process_vm_writev", CMA_NR_WRITEV);
	ksft_finished();
}
