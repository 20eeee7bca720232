/*
 * Two stacks on a simulated link with a TCP connection between them, and
 * a bulk transfer both ways that checks every byte (tests/unit and
 * `make check-full` share it).
 */
#ifndef TESTS_HOST_TCP_PAIR_H
#define TESTS_HOST_TCP_PAIR_H

#include "lib/types.h"
#include "net/socket.h"
#include "tests/host/netsim.h"

struct tcp_transfer_params {
	u64 seed;
	size_t bytes_ab, bytes_ba;	/* each direction */
	unsigned int loss_pct, dup_pct;
	u64 delay_us, jitter_us;
	const char *ca;			/* congestion control; NULL: default */
	u64 deadline_ms;		/* virtual time allowed */
};

struct tcp_transfer_result {
	u64 elapsed_ms;			/* until both ends saw EOF */
	u64 retrans_a, retrans_b;
	bool ok;
};

/* Fresh pair of stacks: 10.0.0.1 (init_net) and 10.0.0.2 ("b"). */
void tcp_pair_setup(void);
/* Run one transfer; asserts every byte arrives in order and both ends close. */
void tcp_pair_transfer(const struct tcp_transfer_params *p,
		       struct tcp_transfer_result *r);
/* Connect a socket in init_net (*@a) to a listener in "b"; the accepted
 * socket is *@b. The link has @lp; the calls return with init_net current. */
void tcp_pair_connect(const struct sim_link_params *lp, struct socket **a,
		      struct socket **b);
extern struct net *tcp_pair_ns_b;

/* Everything is released: socks, timewait, skbs, timers. */
void tcp_pair_assert_clean(void);

#endif
