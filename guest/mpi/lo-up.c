// SPDX-License-Identifier: GPL-2.0
/*
 * Bring the loopback interface up: Open MPI's runtime talks to its ranks
 * over TCP on lo, and a minbase root file system has no ip(8).  The kernel
 * gives lo 127.0.0.1 when it comes up.
 */
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

int main(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0) {
		perror("lo-up: socket");
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		perror("lo-up: SIOCGIFFLAGS lo");
		return 1;
	}
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0) {
		perror("lo-up: SIOCSIFFLAGS lo");
		return 1;
	}
	close(fd);
	return 0;
}
