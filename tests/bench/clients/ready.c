/*
 * ready ADDR PORT TIMEOUT_S: connect to ADDR:PORT until it works and print
 * {"ready_at": S}, the CLOCK_MONOTONIC second it did (the boot-to-ready
 * waiter; bench.py starts it before QEMU). Each attempt is a non-blocking
 * connect given 20 ms: before the guest answers ARP the SYN waits in the
 * host's neighbour queue, and the guest's gratuitous ARP at link-up
 * releases it at once; a refusal (nothing listening yet) is retried after
 * 1 ms. Python's connect loop here cost milliseconds a try.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include "common.h"

#define ATTEMPT_MS	20

/* 1 if a connect to @sa completed within ATTEMPT_MS, else 0. */
static int try_connect(const struct sockaddr_in *sa)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int err = 0, ok = 0;
	socklen_t len = sizeof(err);

	if (fd < 0)
		die("socket");
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0)
		ok = 1;
	else if (errno == EINPROGRESS && poll(&p, 1, ATTEMPT_MS) == 1 &&
		 getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0)
		ok = 1;
	close(fd);
	return ok;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int64_t end;

	if (argc != 4 || inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
		fprintf(stderr, "usage: ready ADDR PORT TIMEOUT_S\n");
		return 2;
	}
	sa.sin_port = htons((uint16_t)arg_num(argv[2], "PORT"));
	end = now_ns() + (int64_t)(arg_num(argv[3], "TIMEOUT_S") * NSEC_PER_SEC);
	while (now_ns() < end) {
		if (try_connect(&sa)) {
			printf("{\"ready_at\": %.6f}\n", (double)now_ns() / NSEC_PER_SEC);
			return 0;
		}
		usleep(1000);
	}
	printf("{\"ready_at\": null}\n");
	return 0;
}
