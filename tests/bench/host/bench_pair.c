/*
 * The host benchmark's workloads over struct bench_stack (bench_pair.h):
 *
 *   PAIR setup               the two stacks and the listener, nothing more
 *   PAIR bulk BYTES          one connection, BYTES from 10.0.0.1 to 10.0.0.2
 *   PAIR rr COUNT SIZE       one connection, COUNT request/responses of SIZE
 *   PAIR conn COUNT          COUNT times: connect, a 1-byte echo, close
 *
 * host.py counts instructions of each under callgrind, less the setup
 * run, and times them plainly. The last line of output says what was done.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/bench/host/bench_pair.h"

#define BENCH_PORT	5001
#define IDLE_MAX	1000	/* timer runs without progress: the pair is stuck */

static const struct bench_stack *S = &bench_stack;
static unsigned char txbuf[65536], rxbuf[65536];
static unsigned long timer_runs;

/* Nothing to read, or no room to write, with the wires empty: let time pass. */
static int wait_timer(unsigned int *idle)
{
	if (++*idle > IDLE_MAX || !S->advance())
		return -ETIMEDOUT;
	timer_runs++;
	return 0;
}

/* No room to write: deliver what is queued, or else let time pass. */
static int stall(unsigned int *idle)
{
	if (S->pump()) {
		*idle = 0;
		return 0;
	}
	return wait_timer(idle);
}

static int write_all(struct bench_conn *c, const void *buf, size_t len)
{
	unsigned int idle = 0;
	size_t sent = 0;

	while (sent < len) {
		long n = S->write(c, (const char *)buf + sent, len - sent);

		if (n < 0)
			return (int)n;
		sent += (size_t)n;
		if (n == 0 && stall(&idle))
			return -ETIMEDOUT;
	}
	return 0;
}

/*
 * As an event loop reads: only once what is in flight has arrived (the
 * wire runs dry first), so no read finds nothing but a stalled pair.
 */
static long read_some(struct bench_conn *c, void *buf, size_t len,
		      unsigned int *idle)
{
	long n;

	if (S->pump())
		*idle = 0;
	n = S->read(c, buf, len);
	if (n > 0)
		*idle = 0;
	else if (n == 0 && wait_timer(idle))
		return -ETIMEDOUT;
	return n;
}

static int read_exact(struct bench_conn *c, void *buf, size_t len)
{
	unsigned int idle = 0;
	size_t got = 0;

	while (got < len) {
		long n = read_some(c, (char *)buf + got, len - got, &idle);

		if (n < 0)
			return n == -1 ? -EPIPE : (int)n;
		got += (size_t)n;
	}
	return 0;
}

/* Read until the peer's FIN, discarding. */
static int read_eof(struct bench_conn *c)
{
	unsigned int idle = 0;
	long n;

	while ((n = read_some(c, rxbuf, sizeof(rxbuf), &idle)) != -1)
		if (n < 0)
			return (int)n;
	return 0;
}

static int close_pair(struct bench_conn *c, struct bench_conn *s)
{
	int err;

	S->close(c);
	err = read_eof(s);
	S->close(s);
	S->pump();
	return err;
}

/* The sender writes what fits, the wire runs dry, the receiver reads all. */
static int run_bulk(size_t total)
{
	struct bench_conn *c, *s;
	size_t sent = 0, got = 0;
	unsigned int idle = 0;
	int err = S->connect(BENCH_PORT, false, &c, &s);

	while (!err && got < total) {
		bool moved = false;
		long n;

		while (sent < total) {
			size_t off = sent % sizeof(txbuf);
			size_t len = sizeof(txbuf) - off;

			n = S->write(c, txbuf + off, len < total - sent ? len : total - sent);
			if (n <= 0)
				break;
			sent += (size_t)n;
			moved = true;
		}
		moved |= S->pump() > 0;
		while ((n = S->read(s, rxbuf, sizeof(rxbuf))) > 0) {
			got += (size_t)n;
			moved = true;
		}
		if (n < 0)
			return n == -1 ? -EPIPE : (int)n;
		if (moved)
			idle = 0;
		else if (stall(&idle))
			err = -ETIMEDOUT;
	}
	return err ? err : close_pair(c, s);
}

static int run_rr(unsigned long count, size_t size)
{
	struct bench_conn *c, *s;
	int err = S->connect(BENCH_PORT, true, &c, &s);

	for (unsigned long i = 0; !err && i < count; i++) {
		txbuf[0] = (unsigned char)i;
		err = write_all(c, txbuf, size);
		if (!err)
			err = read_exact(s, rxbuf, size);
		if (!err)
			err = write_all(s, rxbuf, size);
		if (!err)
			err = read_exact(c, rxbuf, size);
		if (!err && memcmp(rxbuf, txbuf, size))
			err = -EBADMSG;
	}
	return err ? err : close_pair(c, s);
}

static int run_conn(unsigned long count)
{
	for (unsigned long i = 0; i < count; i++) {
		struct bench_conn *c, *s;
		unsigned char b = (unsigned char)i;
		int err = S->connect(BENCH_PORT, true, &c, &s);

		if (!err)
			err = write_all(c, &b, 1);
		if (!err)
			err = read_exact(s, rxbuf, 1);
		if (!err)
			err = write_all(s, rxbuf, 1);
		if (!err)
			err = read_exact(c, rxbuf, 1);
		if (!err && rxbuf[0] != b)
			err = -EBADMSG;
		if (!err)
			err = close_pair(c, s);
		if (err)
			return err;
	}
	return 0;
}

static int usage(const char *prog)
{
	fprintf(stderr, "usage: %s setup | bulk BYTES | rr COUNT SIZE | conn COUNT\n",
		prog);
	return 2;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int err;

	for (size_t i = 0; i < sizeof(txbuf); i++)
		txbuf[i] = (unsigned char)(i * 7 + 1);
	err = S->setup();
	if (!err)
		err = S->listen(BENCH_PORT);
	S->pump();	/* what the stacks announce as they come up */
	if (err) {
		fprintf(stderr, "%s: setup: %d\n", S->name, err);
		return 1;
	}
	if (!strcmp(mode, "setup") && argc == 2)
		err = 0;
	else if (!strcmp(mode, "bulk") && argc == 3)
		err = run_bulk(strtoull(argv[2], NULL, 0));
	else if (!strcmp(mode, "rr") && argc == 4 && atoi(argv[3]) > 0 &&
		 (size_t)atoi(argv[3]) <= sizeof(txbuf))
		err = run_rr(strtoul(argv[2], NULL, 0), (size_t)atoi(argv[3]));
	else if (!strcmp(mode, "conn") && argc == 3)
		err = run_conn(strtoul(argv[2], NULL, 0));
	else
		return usage(argv[0]);
	if (err) {
		fprintf(stderr, "%s %s: failed: %d (%s)\n", S->name, mode, err,
			strerror(-err));
		return 1;
	}
	printf("%s %s ok frames=%lu timer_runs=%lu\n", S->name, mode,
	       S->frames(), timer_runs);
	return 0;
}
