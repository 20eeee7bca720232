/*
 * What the make bench load generators share (tests/bench/bench.py runs
 * them inside the bench's network namespace): the clock, connecting with
 * a deadline, reading exactly n bytes, percentiles, giving up loudly.
 * Each prints one JSON object on stdout, its figures for bench.py.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define NSEC_PER_SEC	1000000000LL
/* No single call waits longer than this; a stuck guest ends the run. */
#define IO_TIMEOUT_S	5

/* CLOCK_MONOTONIC in ns. */
int64_t now_ns(void);
/* Print "prog: what: strerror(errno)" and exit 1. */
void die(const char *what);
/* Parse a decimal or fractional number argument, or exit with usage. */
double arg_num(const char *s, const char *name);
/* A socket of @type connected to @addr:@port, with I/O timeouts; -1 on error. */
int connect_to(const char *addr, int port, int type);
/* Read exactly @n bytes: 0, or -1 on error, timeout or end of stream. */
int recv_exact(int fd, void *buf, size_t n);
/* The @p-th percentile (0..100) of @n values, which it sorts. */
int64_t percentile(int64_t *v, size_t n, double p);

#endif
