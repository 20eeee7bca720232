/*
 * The host benchmark's workloads (issue 9, tests/bench/host.py), written
 * once over a small interface that each stack's pair implements: unisock's
 * two namespaces on the host simulator (unisock_pair.c) and lwIP's two
 * netifs in one process (lwip_pair.c). So both stacks do the very same
 * work, step for step; only the stack underneath differs.
 *
 * The wire between the two ends is lossless and has no delay: a frame
 * stays queued until the driver loop hands it to the other end (one copy
 * into a fresh receive buffer, as a NIC's DMA would). Time does not pass
 * while frames are queued; only when both wires are empty and the work is
 * stalled does the pair run its next timer (a delayed ACK, say).
 */
#ifndef TESTS_BENCH_HOST_BENCH_PAIR_H
#define TESTS_BENCH_HOST_BENCH_PAIR_H

#include <stdbool.h>
#include <stddef.h>

struct bench_conn;

struct bench_stack {
	const char *name;
	/* Two stacks (or netifs) 10.0.0.1/24 and 10.0.0.2/24 joined by the wire. */
	int (*setup)(void);
	/* A listener on 10.0.0.2:@port. */
	int (*listen)(unsigned short port);
	/* Connect 10.0.0.1 to 10.0.0.2:@port; *@c and the accepted *@s. */
	int (*connect)(unsigned short port, bool nodelay, struct bench_conn **c,
		       struct bench_conn **s);
	/* Bytes the stack took (0: send buffer full), or -errno. */
	long (*write)(struct bench_conn *conn, const void *buf, size_t len);
	/* Bytes read (0: nothing queued), -1 at EOF, or another -errno. */
	long (*read)(struct bench_conn *conn, void *buf, size_t len);
	/* Close; the stack lingers through FIN and TIME_WAIT on its own. */
	void (*close)(struct bench_conn *conn);
	/* Deliver queued frames both ways until both wires are empty; how many. */
	unsigned long (*pump)(void);
	/* Let time pass to the next timer; false when none is armed. */
	bool (*advance)(void);
	/* Segments each end sent, for the report (frames on the wire). */
	unsigned long (*frames)(void);
};

extern const struct bench_stack bench_stack;

#endif
