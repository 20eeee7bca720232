/*
 * The user's side of the data path: blocking receive in sk_wait_data
 * (seed 004 §3.3) woken by arriving segments, MSG_WAITALL, MSG_PEEK,
 * SO_RCVLOWAT, blocking connect and send, poll readiness, errors.
 */
#include <criterion/criterion.h>
#include "kernel/fs.h"
#include "kernel/poll.h"
#include "kernel/time.h"
#include "lib/string.h"
#include "net/inet_sock.h"
#include "net/tcp.h"
#include "tests/host/platform.h"
#include "tests/host/tcp_pair.h"

static struct socket *a, *b;
static const struct sim_link_params lp = { .delay_ns = 1000000, .seed = 5 };

static void setup(void)
{
	tcp_pair_setup();
	tcp_pair_connect(&lp, &a, &b);
}

static void teardown(void)
{
	net_switch(tcp_pair_ns_b);
	if (b)
		sock_release(b);
	net_switch(&init_net);
	if (a)
		sock_release(a);
	for (int i = 0; i < 100 && tcp_live_objects(); i++)
		netsim_run_ms(100);
	tcp_pair_assert_clean();
}

TestSuite(tcp_data, .init = setup, .fini = teardown);

static u8 big[1 << 20];

static int xfer(struct socket *s, void *buf, size_t len, int flags, bool tx)
{
	struct kvec iov = { buf, len };
	struct msghdr msg = { .msg_flags = tx ? (unsigned int)flags : 0 };

	iov_iter_kvec(&msg.msg_iter, tx ? WRITE : READ, &iov, 1, len);
	return tx ? sock_sendmsg(s, &msg) : sock_recvmsg(s, &msg, flags);
}

static void set_timeo(struct socket *s, int opt, long sec)
{
	long tv[2] = { sec, 0 };

	cr_assert_eq(s->ops->setsockopt(s, SOL_SOCKET, opt, tv, sizeof(tv)), 0);
}

Test(tcp_data, blocking_recv_waitall_sleeps_until_every_byte_came)
{
	static u8 in[1 << 20];
	int n;
	u64 t0;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (u8)(i * 7 + (i >> 11));
	n = xfer(a, big, sizeof(big), MSG_DONTWAIT, true);
	cr_assert_gt(n, 0);
	net_switch(tcp_pair_ns_b);
	t0 = host_now_ns();
	cr_assert_eq(xfer(b, in, (size_t)n, MSG_WAITALL, false), n,
		     "one call returns all %d bytes", n);
	cr_assert_gt(host_now_ns(), t0, "it slept in virtual time");
	cr_assert_eq(memcmp(in, big, (size_t)n), 0);
	net_switch(&init_net);
}

Test(tcp_data, blocked_reader_gets_eof_when_the_peer_closes)
{
	u8 c;

	sock_release(a);
	a = NULL;
	net_switch(tcp_pair_ns_b);
	cr_assert_eq(xfer(b, &c, 1, 0, false), 0);
	net_switch(&init_net);
}

Test(tcp_data, rcvtimeo_bounds_a_blocking_recv)
{
	u8 c;
	u64 t0 = host_now_ns();

	net_switch(tcp_pair_ns_b);
	set_timeo(b, SO_RCVTIMEO, 2);
	cr_assert_eq(xfer(b, &c, 1, 0, false), -EAGAIN);
	cr_assert_eq(host_now_ns() - t0, 2 * NSEC_PER_SEC);
	net_switch(&init_net);
}

Test(tcp_data, blocking_send_waits_for_space_then_times_out_partially)
{
	int n;

	set_timeo(a, SO_SNDTIMEO, 3);
	n = xfer(a, big, sizeof(big), 0, true);
	cr_assert_gt(n, 200000, "the peer's window and our buffer took %d", n);
	cr_assert_lt(n, (int)sizeof(big), "nobody reads: it cannot all go");
	cr_assert_eq(xfer(a, big, 100, MSG_DONTWAIT, true), -EAGAIN);
	cr_assert_eq(a->ops->poll(NULL, a, NULL) & EPOLLOUT, 0);
}

Test(tcp_data, peek_and_rcvlowat)
{
	char buf[32] = { 0 };
	int low = 20;

	cr_assert_eq(xfer(a, "hello world", 11, 0, true), 11);
	netsim_run_ms(10);
	net_switch(tcp_pair_ns_b);
	cr_assert_eq(xfer(b, buf, 5, MSG_PEEK | MSG_DONTWAIT, false), 5);
	cr_assert_str_eq(buf, "hello");
	cr_assert_eq(b->ops->setsockopt(b, SOL_SOCKET, SO_RCVLOWAT, &low,
					sizeof(low)), 0);
	cr_assert_eq(b->ops->poll(NULL, b, NULL) & EPOLLIN, 0,
		     "11 bytes are below SO_RCVLOWAT");
	low = 1;
	b->ops->setsockopt(b, SOL_SOCKET, SO_RCVLOWAT, &low, sizeof(low));
	cr_assert(b->ops->poll(NULL, b, NULL) & EPOLLIN);
	cr_assert_eq(xfer(b, buf, sizeof(buf), MSG_DONTWAIT, false), 11);
	cr_assert_str_eq(buf, "hello world");
	cr_assert_eq(xfer(b, buf, sizeof(buf), MSG_DONTWAIT, false), -EAGAIN);
	net_switch(&init_net);
}

Test(tcp_data, blocking_connect_and_refused_connect)
{
	struct socket *s;
	struct sockaddr_in sin = { .sin_family = AF_INET };

	cr_assert_eq(sock_create(AF_INET, SOCK_STREAM, 0, &s), 0);
	sin.sin_port = htons(9);		/* nobody listens */
	sin.sin_addr.s_addr = ip4(10, 0, 0, 2);
	cr_assert_eq(s->ops->connect(s, (struct sockaddr *)&sin, sizeof(sin), 0),
		     -ECONNREFUSED);
	cr_assert_eq(s->ops->connect(s, (struct sockaddr *)&sin, sizeof(sin), 0),
		     -ECONNREFUSED, "the socket can try again");
	sock_release(s);
}

Test(tcp_data, send_after_shutdown_is_epipe_and_unconnected_errors)
{
	struct socket *s;
	u8 c;

	cr_assert_eq(a->ops->shutdown(a, SHUT_WR), 0);
	cr_assert_eq(xfer(a, &c, 1, MSG_DONTWAIT, true), -EPIPE);
	cr_assert_eq(sock_create(AF_INET, SOCK_STREAM, 0, &s), 0);
	cr_assert_eq(xfer(s, &c, 1, MSG_DONTWAIT, true), -EPIPE);
	cr_assert_eq(xfer(s, &c, 1, MSG_DONTWAIT, false), -ENOTCONN);
	cr_assert_eq(s->ops->shutdown(s, SHUT_RDWR), -ENOTCONN);
	sock_release(s);
}

Test(tcp_data, ss_lists_connections_listeners_and_time_wait)
{
	struct socket *l;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	const char *out;

	cr_assert_eq(sock_create(AF_INET, SOCK_STREAM, 0, &l), 0);
	sin.sin_port = htons(7777);
	cr_assert_eq(l->ops->bind(l, (struct sockaddr *)&sin, sizeof(sin)), 0);
	cr_assert_eq(l->ops->listen(l, 5), 0);
	cr_assert_eq(xfer(a, "xyz", 3, 0, true), 3);
	host_console_clear();
	tcp_diag_show(3, true);
	out = host_console_output();
	cr_assert(strstr(out, "LISTEN      0      5      *:7777"), "%s", out);
	cr_assert(strstr(out, "ESTAB       0      3      10.0.0.1:"), "%s", out);
	cr_assert(strstr(out, "10.0.0.2:5001"), "%s", out);
	cr_assert(strstr(out, "cwnd:10"), "%s", out);
	cr_assert(strstr(out, "timer:(on,"), "%s", out);
	sock_release(l);
	netsim_run_ms(10);
	/* The side that closes first keeps the 4-tuple in TIME-WAIT. */
	sock_release(a);
	a = NULL;
	netsim_run_ms(10);
	net_switch(tcp_pair_ns_b);
	cr_assert_eq(xfer(b, big, 16, MSG_DONTWAIT, false), 3);
	sock_release(b);	/* nothing unread: FIN, not RST */
	b = NULL;
	net_switch(&init_net);
	netsim_run_ms(10);
	host_console_clear();
	tcp_diag_show(1, false);
	out = host_console_output();
	cr_assert(strstr(out, "TIME-WAIT   0      0      10.0.0.1:"), "%s", out);
	cr_assert(strstr(out, "timer:(timewait,"), "%s", out);
	cr_assert_null(strstr(out, "ESTAB"), "%s", out);
}

Test(tcp_data, acks_and_acked_data_are_consumed_not_counted_as_drops)
{
	static u8 in[64 << 10];
	u64 unnamed = skb_drop_counts[SKB_DROP_REASON_NOT_SPECIFIED];
	u64 consumed = skb_drop_counts[SKB_CONSUMED];

	cr_assert_eq(xfer(a, big, sizeof(in), 0, true), (int)sizeof(in));
	netsim_run_ms(50);
	net_switch(tcp_pair_ns_b);
	cr_assert_eq(xfer(b, in, sizeof(in), MSG_WAITALL, false), (int)sizeof(in));
	net_switch(&init_net);
	netsim_run_ms(50);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_NOT_SPECIFIED], unnamed,
		     "%llu segments of a clean transfer counted as unnamed drops",
		     (unsigned long long)(skb_drop_counts[SKB_DROP_REASON_NOT_SPECIFIED] -
					  unnamed));
	cr_assert_gt(skb_drop_counts[SKB_CONSUMED], consumed + 40);
}

Test(tcp_data, a_fin_without_memory_goes_once_memory_returns)
{
	u8 c;

	skb_fail_next(1);
	sock_release(a);		/* close finds no skb for its FIN */
	a = NULL;
	netsim_run_ms(5);
	net_switch(tcp_pair_ns_b);
	cr_assert_eq(xfer(b, &c, 1, MSG_DONTWAIT, false), -EAGAIN, "no FIN yet");
	net_switch(&init_net);
	netsim_run_ms(500);
	net_switch(tcp_pair_ns_b);
	cr_assert_eq(xfer(b, &c, 1, MSG_DONTWAIT, false), 0, "the FIN came later");
	net_switch(&init_net);
}

Test(tcp_data, ss_summary_counts_socks_per_state)
{
	const char *out;

	host_console_clear();
	tcp_diag_summary();
	out = host_console_output();
	cr_assert(strstr(out, "TCP: 1 (estab 1, closed 0, orphaned 0, timewait 0,"),
		  "%s", out);
	cr_assert(strstr(out, "TCP states: ESTAB 1\n"), "%s", out);
	/* Closed first and not yet answered: an orphan in FIN-WAIT-2. */
	sock_release(a);
	a = NULL;
	netsim_run_ms(10);
	host_console_clear();
	tcp_diag_summary();
	out = host_console_output();
	cr_assert(strstr(out, "TCP: 1 (estab 0, closed 0, orphaned 1, timewait 0,"),
		  "%s", out);
	cr_assert(strstr(out, "TCP states: FIN-WAIT-2 1\n"), "%s", out);
}

Test(tcp_data, so_linger_close_waits_for_the_fin_to_be_acked)
{
	struct linger l = { .l_onoff = 1, .l_linger = 5 };
	u64 t0;

	cr_assert_eq(a->ops->setsockopt(a, SOL_SOCKET, SO_LINGER, &l,
					sizeof(l)), 0);
	cr_assert_eq(xfer(a, big, 100000, MSG_DONTWAIT, true), 100000);
	t0 = host_now_ns();
	sock_release(a);
	a = NULL;
	cr_assert_gt(host_now_ns() - t0, 2 * NSEC_PER_MSEC, "it waited for the ACK");
	cr_assert_lt(host_now_ns() - t0, NSEC_PER_SEC, "not for the whole linger");
	net_switch(tcp_pair_ns_b);
	cr_assert_eq(xfer(b, big, sizeof(big), MSG_WAITALL, false), 100000,
		     "everything came before the FIN");
	net_switch(&init_net);
}
