/*
 * ping: ICMP echo through a raw socket, printing what iputils' ping prints.
 *
 *   ping [-c COUNT] [-i INTERVAL_MS] [-s SIZE] A.B.C.D
 *
 * Exits 0 if any reply came, 1 if none did (as iputils does).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static unsigned short csum(const void *p, size_t n)
{
	const unsigned char *b = p;
	unsigned long s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (unsigned long)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		s += (unsigned long)b[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (unsigned short)~s;
}

/* Wait up to @ms for our echo reply with @seq; its TTL, or -1. */
static int await_reply(int fd, unsigned short id, unsigned short seq, double ms)
{
	double end = now_ms() + ms;

	for (;;) {
		unsigned char buf[2048];
		struct pollfd p = { fd, POLLIN, 0 };
		double left = end - now_ms();
		ssize_t n;
		size_t ihl;

		if (left <= 0 || poll(&p, 1, (int)left + 1) <= 0)
			return -1;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 20)
			continue;
		ihl = (size_t)(buf[0] & 15) * 4;
		if ((size_t)n < ihl + 8 || buf[ihl] != 0)	/* echo reply */
			continue;
		if ((buf[ihl + 4] << 8 | buf[ihl + 5]) == id &&
		    (buf[ihl + 6] << 8 | buf[ihl + 7]) == seq)
			return buf[8];
	}
}

int main(int argc, char **argv)
{
	int count = 4, interval = 1000, size = 56, opt, fd, got = 0;
	double tmin = 1e9, tmax = 0, tsum = 0, tsq = 0;
	struct sockaddr_in to = { .sin_family = AF_INET };
	unsigned short id = (unsigned short)getpid();

	while ((opt = getopt(argc, argv, "c:i:s:")) != -1) {
		if (opt == 'c')
			count = atoi(optarg);
		else if (opt == 'i')
			interval = atoi(optarg);
		else if (opt == 's')
			size = atoi(optarg);
		else
			goto usage;
	}
	if (optind != argc - 1 || inet_pton(AF_INET, argv[optind], &to.sin_addr) != 1 ||
	    size < 0 || size > 65000 || count < 1)
		goto usage;
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (fd < 0) {
		perror("ping: socket");
		return 2;
	}
	printf("PING %s %d(%d) bytes of data.\n", argv[optind], size, size + 28);
	for (int seq = 1; seq <= count; seq++) {
		unsigned char pkt[65536] = { 8, 0 };
		double t0 = now_ms(), rtt;
		int ttl;

		pkt[4] = (unsigned char)(id >> 8), pkt[5] = (unsigned char)id;
		pkt[6] = (unsigned char)(seq >> 8), pkt[7] = (unsigned char)seq;
		for (int i = 0; i < size; i++)
			pkt[8 + i] = (unsigned char)i;
		unsigned short c = csum(pkt, (size_t)size + 8);
		pkt[2] = (unsigned char)(c >> 8), pkt[3] = (unsigned char)c;
		if (sendto(fd, pkt, (size_t)size + 8, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
			printf("ping: sendto: %s\n", strerror(errno));
		} else if ((ttl = await_reply(fd, id, (unsigned short)seq, 2000)) >= 0) {
			rtt = now_ms() - t0;
			got++;
			tsum += rtt, tsq += rtt * rtt;
			tmin = rtt < tmin ? rtt : tmin;
			tmax = rtt > tmax ? rtt : tmax;
			printf("%d bytes from %s: icmp_seq=%d ttl=%d time=%.3f ms\n",
			       size + 8, argv[optind], seq, ttl, rtt);
		}
		if (seq < count && now_ms() - t0 < interval)
			usleep((useconds_t)((interval - (now_ms() - t0)) * 1000));
	}
	printf("\n--- %s ping statistics ---\n%d packets transmitted, %d received, "
	       "%d%% packet loss\n", argv[optind], count, got, (count - got) * 100 / count);
	if (got) {
		double avg = tsum / got;

		printf("rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms\n", tmin, avg, tmax,
		       sqrt(tsq / got - avg * avg > 0 ? tsq / got - avg * avg : 0));
	}
	return got ? 0 : 1;
usage:
	fprintf(stderr, "usage: ping [-c count] [-i interval_ms] [-s size] A.B.C.D\n");
	return 2;
}
