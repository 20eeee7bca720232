/*
 * Bulk TCP for SECONDS: "send" streams 64 KiB writes into the discard
 * port and counts only what the peer acknowledged (SIOCOUTQ is what is
 * still unacknowledged, tcp(7)); "recv" reads the chargen port. Prints
 * Mbit/s and bytes.
 *
 *     bulk send|recv ADDR PORT SECONDS
 */
#include "common.h"

#include <errno.h>
#include <linux/sockios.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define BULK_CHUNK	65536

static long long bulk_send(int fd, int64_t end)
{
	static char buf[BULK_CHUNK];
	long long sent = 0;
	int unacked;

	memset(buf, 'd', sizeof(buf));
	while (now_ns() < end) {
		ssize_t w = send(fd, buf, sizeof(buf), 0);

		if (w < 0 && errno != EAGAIN && errno != EINTR)
			die("send");
		if (w > 0)
			sent += w;
	}
	if (ioctl(fd, SIOCOUTQ, &unacked))
		die("SIOCOUTQ");
	return sent - unacked;
}

static long long bulk_recv(int fd, int64_t end)
{
	static char buf[4 * BULK_CHUNK];
	long long got = 0;

	while (now_ns() < end) {
		ssize_t r = recv(fd, buf, sizeof(buf), 0);

		if (r == 0)
			break;
		if (r < 0 && errno != EAGAIN && errno != EINTR)
			die("recv");
		if (r > 0)
			got += r;
	}
	return got;
}

int main(int argc, char **argv)
{
	int64_t t0, end, elapsed;
	long long bytes;
	int fd, tx;

	if (argc != 5 || (strcmp(argv[1], "send") && strcmp(argv[1], "recv"))) {
		fprintf(stderr, "usage: bulk send|recv ADDR PORT SECONDS\n");
		return 2;
	}
	tx = !strcmp(argv[1], "send");
	fd = connect_to(argv[2], (int)arg_num(argv[3], "PORT"), SOCK_STREAM);
	if (fd < 0)
		die("connect");
	t0 = now_ns();
	end = t0 + (int64_t)(arg_num(argv[4], "SECONDS") * NSEC_PER_SEC);
	bytes = tx ? bulk_send(fd, end) : bulk_recv(fd, end);
	elapsed = now_ns() - t0;
	close(fd);
	printf("{\"mbit\": %.1f, \"bytes\": %lld}\n",
	       (double)bytes * 8 * 1e3 / (double)elapsed, bytes);
	return 0;
}
