/*
 * A packet-level script harness for TCP, in the spirit of packetdrill: the
 * test plays the remote peer (10.0.0.2) of one stack (10.0.0.1) on a fake
 * device. Segments are injected relative to the connection (sequence
 * numbers as offsets from each side's ISN), the stack's answers are
 * expected exactly, and the virtual clock is advanced between them.
 */
#ifndef TESTS_HOST_TCP_SCRIPT_H
#define TESTS_HOST_TCP_SCRIPT_H

#include "lib/types.h"
#include "net/socket.h"
#include "net/tcp.h"

#define TS_STACK_PORT	8080
#define TS_PEER_PORT	40000

/* Options on an injected segment; zero fields are left out. */
struct ts_opts {
	u16 mss;
	u8 ws;			/* shift + 1 */
	bool ts;
	u32 tsval, tsecr;
	bool sack_perm;
	u8 nsacks;
	u32 sack[4][2];		/* [start, end) relative to the stack's ISN */
};

/* A segment the stack sent, parsed. */
struct ts_seg {
	u8 flags;
	u32 seq, ack;		/* relative to the stack's / the peer's ISN */
	u32 abs_seq;
	u16 win;
	u16 urg;
	unsigned int len;
	u8 data[2048];
	struct tcp_options_received opt;
	bool has_mss;
	u8 nsacks;
	u32 sack[4][2];		/* relative to the peer's ISN */
};

struct tcp_script {
	struct net_device *dev;
	__be32 stack_addr, peer_addr;
	u16 stack_port, peer_port;
	u32 peer_isn;		/* the test's ISN */
	u32 stack_isn;		/* learned from the stack's SYN or SYN-ACK */
	bool stack_isn_known;
};

extern struct tcp_script ts;

/* Fresh stack with the device and address; TIME_WAIT shortened to @tw_ms. */
void ts_setup(u64 tw_ms);
/* Close nothing: assert every TCP object, timer and skb is gone. */
void ts_assert_no_leaks(void);

/* Inject a segment from the peer: seq = peer_isn + @seq_off, ack =
 * stack_isn + @ack_off. */
void ts_inject(u8 flags, u32 seq_off, u32 ack_off, const void *data,
	       unsigned int len, u16 win, const struct ts_opts *o);
/* Inject with an absolute sequence number. */
void ts_inject_abs(u8 flags, u32 seq, u32 ack, const void *data,
		   unsigned int len, u16 win, const struct ts_opts *o);
/* The next TCP segment the stack sent (ARP answered on the way); asserts one exists. */
void ts_next(struct ts_seg *seg);
/* Expect exactly @flags with seq/ack offsets and @len data; returns it in @seg. */
void ts_expect(u8 flags, u32 seq_off, u32 ack_off, unsigned int len,
	       struct ts_seg *seg);
/* Nothing more was sent. */
void ts_expect_none(void);
unsigned int ts_pending(void);
void ts_run_ms(u64 ms);

/* Sockets for the stack side, non-blocking calls through the ops. */
struct socket *ts_socket(void);
struct socket *ts_listen(u16 port, int backlog);
struct socket *ts_accept(struct socket *l);
int ts_connect(struct socket *s, __be32 addr, u16 port);
int ts_send(struct socket *s, const void *buf, size_t len);
int ts_recv(struct socket *s, void *buf, size_t len, int flags);
int ts_setsockopt_int(struct socket *s, int level, int opt, int val);

/* A connection established by the script: the stack listening and
 * accepting (passive) or connecting (active). Options as given. */
struct socket *ts_passive_open(const struct ts_opts *syn_opts, u16 win);
struct socket *ts_active_open(const struct ts_opts *synack_opts, u16 win);

#endif
