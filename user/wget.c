/*
 * wget: fetch one URL over HTTP/1.1 and say how it went: status, body
 * bytes (checked against Content-Length), time, rate, and an FNV-1a hash
 * of the body. The body itself is not kept.
 *
 *   wget http://A.B.C.D[:PORT]/PATH
 *
 * Exits 0 for a 200 whose body length matched, 1 otherwise.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	char host[64], path[512] = "/", req[700], buf[65536];
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(80) };
	unsigned long long fnv = 0xcbf29ce484222325ULL, body = 0;
	long clen = -1;
	int port = 80, status = 0, fd, hdr_done = 0;
	size_t have = 0;
	double t0;
	ssize_t n;

	if (argc != 2 || sscanf(argv[1], "http://%63[0-9.]:%d%511s", host, &port, path) < 2) {
		if (argc != 2 || sscanf(argv[1], "http://%63[0-9.]%511s", host, path) < 1) {
			fprintf(stderr, "usage: wget http://A.B.C.D[:PORT]/PATH\n");
			return 2;
		}
	}
	a.sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
		fprintf(stderr, "wget: %s: not an IPv4 address\n", host);
		return 2;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	t0 = now();
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		fprintf(stderr, "wget: connect %s:%d: %s\n", host, port, strerror(errno));
		return 1;
	}
	n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s\r\n"
		     "Connection: close\r\n\r\n", path, host);
	if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
		perror("wget: send");
		return 1;
	}
	while ((n = read(fd, buf + have, sizeof(buf) - have - 1)) > 0) {
		size_t len = have + (size_t)n, skip = 0;

		if (!hdr_done) {
			char *end;

			buf[len] = '\0';
			end = strstr(buf, "\r\n\r\n");
			if (!end) {
				have = len;	/* headers not complete yet */
				continue;
			}
			sscanf(buf, "HTTP/1.%*d %d", &status);
			char *cl = strcasestr(buf, "\r\nContent-Length:");
			if (cl)
				clen = atol(cl + 17);
			skip = (size_t)(end + 4 - buf);
			hdr_done = 1;
			have = 0;
		}
		for (size_t i = skip; i < len; i++) {
			fnv ^= (unsigned char)buf[i];
			fnv *= 0x100000001b3ULL;
		}
		body += len - skip;
	}
	close(fd);
	double secs = now() - t0;
	printf("wget: %s: HTTP %d, %llu bytes (Content-Length %ld) in %.3f s = %.1f Mbit/s, "
	       "fnv1a %016llx\n", argv[1], status, body, clen, secs,
	       secs > 0 ? (double)body * 8 / secs / 1e6 : 0.0, fnv);
	return status == 200 && (clen < 0 || (unsigned long long)clen == body) ? 0 : 1;
}
