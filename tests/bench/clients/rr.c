/*
 * Request/response over one TCP connection or one connected UDP socket:
 * send SIZE bytes to the echo port, wait for them back, again, for
 * SECONDS. Prints p50 and p99 latency (us), transactions/s, the count and,
 * for UDP, how many requests got no answer within a second (each UDP
 * request carries a sequence number, so a late answer is never counted
 * for a later request).
 *
 *     rr tcp|udp ADDR PORT SIZE SECONDS
 */
#include "common.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#define RR_MAX_SIZE	65536
#define UDP_WAIT_US	1000000

struct rr_run {
	int fd;
	size_t size;
	int64_t *lat;		/* ns per transaction */
	size_t n, cap;
	unsigned long lost;
};

static void rr_record(struct rr_run *r, int64_t ns)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 65536;
		r->lat = realloc(r->lat, r->cap * sizeof(*r->lat));
		if (!r->lat)
			die("realloc");
	}
	r->lat[r->n++] = ns;
}

static void tcp_once(struct rr_run *r, char *out, char *in)
{
	int64_t t = now_ns();
	size_t sent = 0;

	while (sent < r->size) {
		ssize_t w = send(r->fd, out + sent, r->size - sent, 0);

		if (w <= 0)
			die("send");
		sent += (size_t)w;
	}
	if (recv_exact(r->fd, in, r->size))
		die("recv");
	rr_record(r, now_ns() - t);
}

/* The sequence number in the first (up to) 4 bytes of a datagram. */
static void seq_put(char *buf, size_t size, uint32_t seq)
{
	memcpy(buf, &seq, size < 4 ? size : 4);
}

static int seq_is(const char *buf, size_t size, uint32_t seq)
{
	uint32_t got = 0;

	memcpy(&got, buf, size < 4 ? size : 4);
	if (size < 4)
		seq &= (1u << (8 * size)) - 1;
	return got == seq;
}

static void udp_once(struct rr_run *r, char *out, char *in, uint32_t seq)
{
	int64_t t = now_ns(), deadline = t + UDP_WAIT_US * 1000LL;

	seq_put(out, r->size, seq);
	if (send(r->fd, out, r->size, 0) != (ssize_t)r->size)
		die("send");
	while (now_ns() < deadline) {
		ssize_t got = recv(r->fd, in, RR_MAX_SIZE, 0);

		if (got < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (got < 0)
			die("recv");
		if ((size_t)got == r->size && seq_is(in, r->size, seq)) {
			rr_record(r, now_ns() - t);
			return;
		}
	}
	r->lost++;
}

static void set_udp_wait(int fd)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = UDP_WAIT_US / 4 };

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die("SO_RCVTIMEO");
}

int main(int argc, char **argv)
{
	static char out[RR_MAX_SIZE], in[RR_MAX_SIZE];
	struct rr_run r = { 0 };
	int64_t t0, end, elapsed;
	int one = 1, udp;
	uint32_t seq = 0;

	if (argc != 6 || (strcmp(argv[1], "tcp") && strcmp(argv[1], "udp"))) {
		fprintf(stderr, "usage: rr tcp|udp ADDR PORT SIZE SECONDS\n");
		return 2;
	}
	udp = !strcmp(argv[1], "udp");
	r.size = (size_t)arg_num(argv[4], "SIZE");
	if (r.size < 1 || r.size > RR_MAX_SIZE) {
		fprintf(stderr, "rr: SIZE must be 1..%d\n", RR_MAX_SIZE);
		return 2;
	}
	memset(out, 'x', r.size);
	r.fd = connect_to(argv[2], (int)arg_num(argv[3], "PORT"), udp ? SOCK_DGRAM : SOCK_STREAM);
	if (r.fd < 0)
		die("connect");
	if (udp)
		set_udp_wait(r.fd);
	else if (setsockopt(r.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)))
		die("TCP_NODELAY");
	t0 = now_ns();
	end = t0 + (int64_t)(arg_num(argv[5], "SECONDS") * NSEC_PER_SEC);
	while (now_ns() < end) {
		if (udp)
			udp_once(&r, out, in, seq++);
		else
			tcp_once(&r, out, in);
	}
	elapsed = now_ns() - t0;
	close(r.fd);
	printf("{\"p50_us\": %.1f, \"p99_us\": %.1f, \"tps\": %.1f, \"n\": %zu, \"lost\": %lu}\n",
	       percentile(r.lat, r.n, 50) / 1e3, percentile(r.lat, r.n, 99) / 1e3,
	       (double)r.n * NSEC_PER_SEC / (double)elapsed, r.n, r.lost);
	free(r.lat);
	return 0;
}
