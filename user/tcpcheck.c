/*
 * tcpcheck: TCP through the socket API on 127.0.0.1, in one process with
 * poll (issue 6): listen, a non-blocking connect (EINPROGRESS, then
 * writable), accept, N MiB each way at once with a rolling checksum,
 * half-close, EOF both ways, close. Runs the same on Linux.
 *
 *   tcpcheck [MIB]     default 4; the last line is PASS or FAIL
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct end {
	int fd;
	size_t to_send, sent, received;
	unsigned long long sum_tx, sum_rx;
	int shut, eof;
};

static unsigned char pattern(size_t off, int salt)
{
	return (unsigned char)((off * 131 + (off >> 9) + (size_t)salt) & 0xff);
}

static void fail(const char *what)
{
	printf("tcpcheck: %s: %s\ntcpcheck: FAIL\n", what, strerror(errno));
	exit(1);
}

static void nonblock(int fd)
{
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0)
		fail("fcntl");
}

static void pump(struct end *e, int salt, short rev)
{
	static unsigned char buf[65536];
	ssize_t n;

	if ((rev & POLLOUT) && e->sent < e->to_send) {
		size_t len = e->to_send - e->sent;

		if (len > sizeof(buf))
			len = sizeof(buf);
		for (size_t i = 0; i < len; i++)
			buf[i] = pattern(e->sent + i, salt);
		n = send(e->fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN)
			fail("send");
		for (ssize_t i = 0; i < n; i++)
			e->sum_tx = e->sum_tx * 31 + buf[i];
		if (n > 0)
			e->sent += (size_t)n;
	}
	if (e->sent == e->to_send && !e->shut) {
		if (shutdown(e->fd, SHUT_WR) < 0)
			fail("shutdown");
		e->shut = 1;
	}
	if (rev & (POLLIN | POLLHUP)) {
		n = recv(e->fd, buf, sizeof(buf), 0);
		if (n < 0 && errno != EAGAIN)
			fail("recv");
		if (n == 0)
			e->eof = 1;
		for (ssize_t i = 0; i < n; i++)
			e->sum_rx = e->sum_rx * 31 + buf[i];
		if (n > 0)
			e->received += (size_t)n;
	}
}

static int connect_pair(int *c, int *s)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	struct pollfd p;
	int l, err = 0;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(l, 4) < 0 || getsockname(l, (struct sockaddr *)&sin, &len) < 0)
		fail("listen");
	*c = socket(AF_INET, SOCK_STREAM, 0);
	nonblock(*c);
	if (connect(*c, (struct sockaddr *)&sin, sizeof(sin)) == 0 ||
	    errno != EINPROGRESS)
		fail("connect should be in progress");
	*s = accept(l, NULL, NULL);
	if (*s < 0)
		fail("accept");
	p = (struct pollfd){ .fd = *c, .events = POLLOUT };
	if (poll(&p, 1, 5000) != 1 || !(p.revents & POLLOUT))
		fail("connect never became writable");
	len = sizeof(err);
	if (getsockopt(*c, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err)
		fail("SO_ERROR");
	nonblock(*s);
	close(l);
	return 0;
}

int main(int argc, char **argv)
{
	size_t bytes = (size_t)(argc > 1 ? atoi(argv[1]) : 4) << 20;
	struct end a = { .to_send = bytes }, b = { .to_send = bytes };
	struct timespec t0, t1;
	long ms;

	connect_pair(&a.fd, &b.fd);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!a.eof || !b.eof) {
		struct pollfd p[2] = {
			{ .fd = a.fd, .events = (short)(POLLIN | (a.shut ? 0 : POLLOUT)) },
			{ .fd = b.fd, .events = (short)(POLLIN | (b.shut ? 0 : POLLOUT)) },
		};

		if (poll(p, 2, 10000) <= 0)
			fail("poll timed out");
		pump(&a, 1, p[0].revents);
		pump(&b, 2, p[1].revents);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	printf("tcpcheck: %zu bytes each way in %ld ms\n", bytes, ms);
	if (a.received != bytes || b.received != bytes || a.sum_rx != b.sum_tx ||
	    b.sum_rx != a.sum_tx) {
		printf("tcpcheck: got %zu/%zu bytes, sums %s\ntcpcheck: FAIL\n",
		       a.received, b.received,
		       a.sum_rx == b.sum_tx && b.sum_rx == a.sum_tx ? "equal" : "differ");
		return 1;
	}
	close(a.fd);
	close(b.fd);
	printf("tcpcheck: PASS\n");
	return 0;
}
