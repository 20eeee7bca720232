/*
 * ttcp: a TCP throughput tool in the spirit of the classic ttcp, to measure
 * from inside the guest and to test a guest that connects out.
 *
 *   ttcp -t HOST PORT MIB    connect, send MIB MiB of a known pattern, close
 *   ttcp -r PORT             accept one connection, read it to EOF
 *
 * Both print the byte count, the time, the rate and an FNV-1a hash of the
 * bytes, so the other end (or a test) can check every byte. The pattern is
 * byte i = (i * 7 + i / 4096) & 0xff. POSIX only: it runs on Linux too.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHUNK	65536

static unsigned long long fnv = 0xcbf29ce484222325ULL;

static void hash(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fnv ^= p[i];
		fnv *= 0x100000001b3ULL;
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "ttcp: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void report(const char *verb, unsigned long long bytes, double secs)
{
	printf("ttcp: %s %llu bytes in %.3f s = %.1f Mbit/s, fnv1a %016llx\n", verb,
	       bytes, secs, secs > 0 ? (double)bytes * 8 / secs / 1e6 : 0.0, fnv);
}

static int transmit(const char *host, int port, long mib)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	unsigned long long off = 0, total = (unsigned long long)mib << 20;
	static unsigned char buf[CHUNK];
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	double t0;

	if (fd < 0)
		die("socket");
	if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
		fprintf(stderr, "ttcp: %s: not an IPv4 address\n", host);
		return 2;
	}
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("connect");
	t0 = now();
	while (off < total) {
		size_t n = total - off < CHUNK ? (size_t)(total - off) : CHUNK;
		ssize_t w;

		for (size_t i = 0; i < n; i++)
			buf[i] = (unsigned char)(((off + i) * 7 + (off + i) / 4096) & 0xff);
		hash(buf, n);
		for (size_t done = 0; done < n; done += (size_t)w) {
			w = send(fd, buf + done, n - done, MSG_NOSIGNAL);
			if (w < 0)
				die("send");
		}
		off += n;
	}
	if (shutdown(fd, SHUT_WR) < 0)
		die("shutdown");
	while (read(fd, buf, sizeof(buf)) > 0)	/* the peer's close */
		;
	report("sent", total, now() - t0);
	close(fd);
	return 0;
}

static int receive(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	static unsigned char buf[CHUNK];
	unsigned long long total = 0;
	int one = 1, l = socket(AF_INET, SOCK_STREAM, 0), fd;
	double t0;
	ssize_t n;

	if (l < 0)
		die("socket");
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 1) < 0)
		die("bind/listen");
	printf("ttcp: listening on port %d\n", port);
	fflush(stdout);
	fd = accept(l, NULL, NULL);
	if (fd < 0)
		die("accept");
	t0 = now();
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		hash(buf, (size_t)n);
		total += (unsigned long long)n;
	}
	if (n < 0)
		die("read");
	report("received", total, now() - t0);
	close(fd);
	close(l);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "-t"))
		return transmit(argv[2], atoi(argv[3]), atol(argv[4]));
	if (argc == 3 && !strcmp(argv[1], "-r"))
		return receive(atoi(argv[2]));
	fprintf(stderr, "usage: ttcp -t HOST PORT MIB | ttcp -r PORT\n");
	return 2;
}
