/*
 * sockcheck: the socket API as a program sees it, the same binary run on
 * Linux and in unisock (issue 5). Lines starting "sk| " must be identical
 * on both; the last line says PASS or FAIL.
 *
 *   sockcheck                 the checks, on 127.0.0.1 only
 *   sockcheck echo PORT       a UDP echo server (forever)
 *   sockcheck ping ADDR [N]   N ICMP echo requests over a raw socket
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int failures;

static const char *ename(int e)
{
	static const struct { int e; const char *n; } t[] = {
		{ EBADF, "EBADF" }, { ENOTSOCK, "ENOTSOCK" }, { EINVAL, "EINVAL" },
		{ EFAULT, "EFAULT" }, { EAFNOSUPPORT, "EAFNOSUPPORT" },
		{ EPROTONOSUPPORT, "EPROTONOSUPPORT" }, { EADDRINUSE, "EADDRINUSE" },
		{ EADDRNOTAVAIL, "EADDRNOTAVAIL" }, { EDESTADDRREQ, "EDESTADDRREQ" },
		{ EAGAIN, "EAGAIN" }, { ENOTCONN, "ENOTCONN" }, { EOPNOTSUPP, "EOPNOTSUPP" },
		{ ECONNREFUSED, "ECONNREFUSED" }, { EACCES, "EACCES" },
		{ ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT" }, { EMSGSIZE, "EMSGSIZE" },
	};

	for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].e == e)
			return t[i].n;
	return "E?";
}

/* Print "sk| what = ret" or "= -1 ENAME", and check it against @want. */
static void check(const char *what, long ret, long want)
{
	if (ret < 0)
		printf("sk| %s = -1 %s\n", what, ename(errno));
	else
		printf("sk| %s = %ld\n", what, ret);
	if ((want < 0 && (ret != -1 || errno != -want)) || (want >= 0 && ret != want)) {
		printf("sk! %s: want %ld\n", what, want);
		failures++;
	}
}

static struct sockaddr_in sin_of(const char *a, int port)
{
	struct sockaddr_in s = { .sin_family = AF_INET, .sin_port = htons(port) };

	inet_pton(AF_INET, a, &s.sin_addr);
	return s;
}

#define SA(x) ((struct sockaddr *)&(x))

static void check_errors(void)
{
	struct sockaddr_in a = sin_of("127.0.0.1", 7007), far = sin_of("10.9.9.9", 7007);
	int u = socket(AF_INET, SOCK_DGRAM, 0), v = socket(AF_INET, SOCK_DGRAM, 0);
	int val = 4096, pair[2];
	socklen_t len = sizeof(val);
	char buf[8];

	check("socket(46 = AF_MAX, DGRAM)", socket(46, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	check("socket(-1, DGRAM)", socket(-1, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	check("socket(AF_INET, RAW, 0)", socket(AF_INET, SOCK_RAW, 0), -EPROTONOSUPPORT);
	check("socket(AF_INET, DGRAM, TCP)", socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP),
	      -EPROTONOSUPPORT);
	check("socket(AF_INET, 15, 0)", socket(AF_INET, 15, 0), -EINVAL);
	check("bind(99)", bind(99, SA(a), sizeof(a)), -EBADF);
	check("bind(stdout)", bind(1, SA(a), sizeof(a)), -ENOTSOCK);
	check("bind(len 8)", bind(u, SA(a), 8), -EINVAL);
	check("bind(NULL)", bind(u, NULL, sizeof(a)), -EFAULT);
	check("bind(10.9.9.9)", bind(u, SA(far), sizeof(far)), -EADDRNOTAVAIL);
	check("bind(127.0.0.1:7007)", bind(u, SA(a), sizeof(a)), 0);
	check("bind again", bind(u, SA(a), sizeof(a)), -EINVAL);
	check("bind(other, same port)", bind(v, SA(a), sizeof(a)), -EADDRINUSE);
	check("sendto(unconnected, no address)", send(v, "x", 1, 0), -EDESTADDRREQ);
	check("recv(MSG_DONTWAIT)", recv(u, buf, sizeof(buf), MSG_DONTWAIT), -EAGAIN);
	check("getpeername(unconnected)", getpeername(u, SA(a), &len), -ENOTCONN);
	check("listen(udp)", listen(u, 5), -EOPNOTSUPP);
	check("accept(udp)", accept(u, NULL, NULL), -EOPNOTSUPP);
	check("socketpair(AF_INET)", socketpair(AF_INET, SOCK_DGRAM, 0, pair), -EOPNOTSUPP);
	check("setsockopt(SO_RCVBUF, NULL)", setsockopt(u, SOL_SOCKET, SO_RCVBUF, NULL, 4),
	      -EFAULT);
	check("setsockopt(SO_RCVBUF, 4096)",
	      setsockopt(u, SOL_SOCKET, SO_RCVBUF, &val, sizeof(val)), 0);
	check("getsockopt(SO_RCVBUF)", getsockopt(u, SOL_SOCKET, SO_RCVBUF, &val, &len), 0);
	check("  value", val, 8192);
	check("getsockopt(SO_TYPE)", getsockopt(u, SOL_SOCKET, SO_TYPE, &val, &len), 0);
	check("  value", val, SOCK_DGRAM);
	check("shutdown(unconnected)", shutdown(v, SHUT_RDWR), -ENOTCONN);
	close(u);
	close(v);
}

/* select(2) on one fd with a zero timeout: 1 if readable. */
static int select_readable(int fd)
{
	struct timeval tv = { 0, 0 };
	fd_set in;

	FD_ZERO(&in);
	FD_SET(fd, &in);
	return select(fd + 1, &in, NULL, NULL, &tv) == 1 && FD_ISSET(fd, &in);
}

static void check_echo(void)
{
	struct sockaddr_in srv = sin_of("127.0.0.1", 7007), from, me;
	socklen_t flen = sizeof(from), mlen = sizeof(me);
	int s = socket(AF_INET, SOCK_DGRAM, 0), c = socket(AF_INET, SOCK_DGRAM, 0);
	int ep = epoll_create1(0), n = -1;
	struct pollfd p = { s, POLLIN, 0 };
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 77 };
	char buf[64];

	check("echo: bind server", bind(s, SA(srv), sizeof(srv)), 0);
	check("echo: sendto", sendto(c, "hello", 5, 0, SA(srv), sizeof(srv)), 5);
	getsockname(c, SA(me), &mlen);
	check("echo: client port is ephemeral",
	      ntohs(me.sin_port) >= 32768 && ntohs(me.sin_port) <= 60999, 1);
	check("echo: poll(server)", poll(&p, 1, 2000), 1);
	check("echo: FIONREAD", ioctl(s, FIONREAD, &n) ?: n, 5);
	check("echo: select(server readable)", select_readable(s), 1);
	check("echo: recvfrom(MSG_PEEK|MSG_TRUNC, 2)",
	      recvfrom(s, buf, 2, MSG_PEEK | MSG_TRUNC, NULL, NULL), 5);
	check("echo: recvfrom", recvfrom(s, buf, sizeof(buf), 0, SA(from), &flen), 5);
	check("echo: sender is the client", from.sin_port == me.sin_port, 1);
	check("echo: sendto(sender)", sendto(s, buf, 5, 0, SA(from), flen), 5);
	check("echo: epoll_ctl", epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev), 0);
	check("echo: epoll_wait", epoll_wait(ep, &ev, 1, 2000), 1);
	check("echo: event data", ev.data.u32, 77);
	check("echo: recv", recv(c, buf, sizeof(buf), 0), 5);
	check("echo: payload", memcmp(buf, "hello", 5), 0);
	close(ep);
	close(s);
	close(c);
}

static void check_refused_and_timeout(void)
{
	struct sockaddr_in nobody = sin_of("127.0.0.1", 7999);
	struct timeval tv = { 0, 100000 };
	struct timespec t0, t1;
	int c = socket(AF_INET, SOCK_DGRAM, 0);
	struct pollfd p = { c, POLLIN, 0 };
	char buf[8];
	long ms;

	check("refused: connect", connect(c, SA(nobody), sizeof(nobody)), 0);
	check("refused: send", send(c, "?", 1, 0), 1);
	check("refused: poll sees POLLERR", poll(&p, 1, 2000) == 1 && (p.revents & POLLERR), 1);
	check("refused: recv", recv(c, buf, sizeof(buf), 0), -ECONNREFUSED);
	check("timeout: SO_RCVTIMEO", setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	check("timeout: recv", recv(c, buf, sizeof(buf), 0), -EAGAIN);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	/*
	 * A timeout in jiffies starts part-way through a tick, on Linux as
	 * here: 100 ms may end up to one tick (4 ms at Linux's HZ=250) short
	 * of 100 ms of wall time, never more.
	 */
	check("timeout: not early (>= 100 ms less one tick)", ms >= 96, 1);
	check("timeout: not late (< 1 s)", ms < 1000, 1);
	close(c);
}

static unsigned short icmp_csum(const void *data, int len)
{
	const unsigned char *p = data;
	unsigned long sum = 0;

	for (int i = 0; i + 1 < len; i += 2)
		sum += (unsigned)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (unsigned)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (unsigned short)~sum;
}

/* One echo request; the reply (type 0, our id) within 2 s: its length, or -1. */
static int ping_once(int r, struct sockaddr_in *to, int seq, int *ttl)
{
	unsigned char req[64] = { 8, 0, 0, 0, 0x42, 0x42, 0, (unsigned char)seq };
	unsigned char buf[256];
	struct pollfd p = { r, POLLIN, 0 };
	unsigned short sum;

	memcpy(req + 8, "unisock ping payload", 20);
	sum = icmp_csum(req, 28);
	req[2] = sum >> 8;
	req[3] = sum & 0xff;
	if (sendto(r, req, 28, 0, (struct sockaddr *)to, sizeof(*to)) != 28)
		return -1;
	while (poll(&p, 1, 2000) == 1) {
		int n = (int)recv(r, buf, sizeof(buf), 0);
		int ihl = (buf[0] & 0xf) * 4;

		if (n >= ihl + 8 && buf[ihl] == 0 && buf[ihl + 4] == 0x42 &&
		    buf[ihl + 5] == 0x42 && buf[ihl + 7] == seq) {
			*ttl = buf[8];
			return n - ihl;
		}
	}
	return -1;
}

static void check_ping(void)
{
	struct sockaddr_in lo = sin_of("127.0.0.1", 0);
	int r = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), ttl = 0;

	check("ping: socket(AF_INET, RAW, ICMP)", r >= 0, 1);
	check("ping: reply bytes", ping_once(r, &lo, 1, &ttl), 28);
	check("ping: reply ttl", ttl, 64);
	close(r);
}

/*
 * perror() in one write(): musl's perror writes its parts one by one, and
 * the monitor's prompt, printed by another thread at boot, could land
 * between them on the shared console.
 */
static void report_errno(const char *what)
{
	fprintf(stderr, "%s: %s\n", what, strerror(errno));
}

static int run_echo(int port)
{
	struct sockaddr_in a = sin_of("0.0.0.0", port), from;
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	static char buf[65536];

	if (s < 0 || bind(s, SA(a), sizeof(a))) {
		report_errno("sockcheck echo");
		return 1;
	}
	printf("sockcheck: udp echo on port %d\n", port);
	fflush(stdout);
	for (;;) {
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(s, buf, sizeof(buf), 0, SA(from), &flen);

		if (n >= 0)
			sendto(s, buf, (size_t)n, 0, SA(from), flen);
	}
}

static int run_ping(const char *addr, int count)
{
	struct sockaddr_in to = sin_of(addr, 0);
	int r = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), got = 0, ttl;

	if (r < 0) {
		report_errno("sockcheck ping");
		return 1;
	}
	for (int seq = 1; seq <= count; seq++) {
		int n = ping_once(r, &to, seq, &ttl);

		if (n > 0) {
			printf("%d bytes from %s: icmp_seq=%d ttl=%d\n", n, addr, seq, ttl);
			got++;
		}
	}
	printf("%d packets transmitted, %d received\n", count, got);
	return got == count ? 0 : 1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "echo"))
		return run_echo(atoi(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "ping"))
		return run_ping(argv[2], argc >= 4 ? atoi(argv[3]) : 3);
	check_errors();
	check_echo();
	check_ping();
	check_refused_and_timeout();
	printf("sockcheck: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}
