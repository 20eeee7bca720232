/*
 * Reliability and flow control, played as the peer: RTO timing and
 * backoff, bounded SYN retries, fast retransmit, zero window and persist,
 * delayed ACK, Nagle, window scaling, keepalive.
 */
#include <criterion/criterion.h>
#include "lib/string.h"
#include "net/snmp.h"
#include "tests/host/tcp_script.h"

static void setup(void)
{
	ts_setup(1000);
}

static void teardown(void)
{
	ts_assert_no_leaks();
}

TestSuite(tcp_reliability, .init = setup, .fini = teardown);

static u8 payload[65536];

/* Close from the stack and finish the handshake so nothing is left. */
static void finish(struct socket *s, u32 snd, u32 rcv)
{
	sock_release(s);
	ts_expect(TCPHDR_FIN | TCPHDR_ACK, snd, rcv, 0, NULL);
	ts_inject(TCPHDR_FIN | TCPHDR_ACK, rcv, snd + 1, NULL, 0, 8192, NULL);
	ts_expect(TCPHDR_ACK, snd + 1, rcv + 1, 0, NULL);
	ts_run_ms(1100);
}

Test(tcp_reliability, rto_doubles_from_the_200ms_floor)
{
	struct socket *s = ts_active_open(NULL, 8192);

	cr_assert_eq(ts_send(s, payload, 100), 100);
	ts_expect(TCPHDR_ACK | TCPHDR_PSH, 1, 1, 100, NULL);
	ts_run_ms(199);
	ts_expect_none();
	ts_run_ms(1);
	ts_expect(TCPHDR_ACK | TCPHDR_PSH, 1, 1, 100, NULL);
	ts_run_ms(399);
	ts_expect_none();
	ts_run_ms(1);
	ts_expect(TCPHDR_ACK | TCPHDR_PSH, 1, 1, 100, NULL);
	ts_run_ms(799);
	ts_expect_none();
	ts_run_ms(1);
	ts_expect(TCPHDR_ACK | TCPHDR_PSH, 1, 1, 100, NULL);
	cr_assert_eq(snmp_get("Tcp", "RetransSegs"), 3);
	ts_inject(TCPHDR_ACK, 1, 101, NULL, 0, 8192, NULL);
	ts_run_ms(5000);
	ts_expect_none();
	finish(s, 101, 1);
}

Test(tcp_reliability, syn_retries_are_bounded_then_etimedout)
{
	struct socket *s = ts_socket();
	int err = 0, len = sizeof(err);

	cr_assert_eq(ts_setsockopt_int(s, SOL_TCP, TCP_SYNCNT, 2), 0);
	cr_assert_eq(ts_connect(s, ts.peer_addr, TS_PEER_PORT), -EINPROGRESS);
	ts_expect(TCPHDR_SYN, 0, 0, 0, NULL);
	ts_run_ms(1000);
	ts_expect(TCPHDR_SYN, 0, 0, 0, NULL);
	ts_run_ms(1999);
	ts_expect_none();
	ts_run_ms(1);
	ts_expect(TCPHDR_SYN, 0, 0, 0, NULL);
	cr_assert_eq(s->sk->sk_state, TCP_SYN_SENT);
	ts_run_ms(4000);
	cr_assert_eq(s->sk->sk_state, TCP_CLOSE);
	cr_assert_eq(s->ops->getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len), 0);
	cr_assert_eq(err, ETIMEDOUT);
	sock_release(s);
	ts_expect_none();
}

Test(tcp_reliability, three_dupacks_fast_retransmit)
{
	struct socket *s = ts_active_open(&(struct ts_opts){ .mss = 1000 }, 65535);

	cr_assert_eq(ts_setsockopt_int(s, SOL_TCP, TCP_NODELAY, 1), 0);
	cr_assert_eq(ts_send(s, payload, 5000), 5000);
	for (u32 i = 0; i < 5; i++)
		ts_expect(TCPHDR_ACK | (i == 4 ? TCPHDR_PSH : 0), 1 + i * 1000, 1,
			  1000, NULL);
	ts_inject(TCPHDR_ACK, 1, 1001, NULL, 0, 65535, NULL);
	ts_inject(TCPHDR_ACK, 1, 1001, NULL, 0, 65535, NULL);
	ts_inject(TCPHDR_ACK, 1, 1001, NULL, 0, 65535, NULL);
	ts_expect_none();
	ts_inject(TCPHDR_ACK, 1, 1001, NULL, 0, 65535, NULL);
	ts_expect(TCPHDR_ACK, 1001, 1, 1000, NULL);
	cr_assert_eq(snmp_get("Tcp", "TCPFastRetrans"), 1);
	cr_assert_eq(inet_csk(s->sk)->icsk_ca_state, TCP_CA_Recovery);
	/* NewReno partial ACK: the next hole goes at once. */
	ts_inject(TCPHDR_ACK, 1, 2001, NULL, 0, 65535, NULL);
	ts_expect(TCPHDR_ACK, 2001, 1, 1000, NULL);
	ts_inject(TCPHDR_ACK, 1, 5001, NULL, 0, 65535, NULL);
	cr_assert_eq(inet_csk(s->sk)->icsk_ca_state, TCP_CA_Open);
	ts_expect_none();
	finish(s, 5001, 1);
}

Test(tcp_reliability, zero_window_is_probed_with_backoff_until_it_opens)
{
	struct socket *s = ts_active_open(NULL, 0);

	cr_assert_eq(ts_send(s, payload, 10), 10);
	ts_expect_none();
	/* The handshake measured the RTT: the RTO, and so the first probe,
	 * is at the 200 ms floor; each unanswered window doubles it. */
	ts_run_ms(199);
	ts_expect_none();
	ts_run_ms(1);
	ts_expect(TCPHDR_ACK, 0, 1, 0, NULL);	/* probe: SND.UNA - 1 */
	ts_inject(TCPHDR_ACK, 1, 1, NULL, 0, 0, NULL);
	ts_run_ms(399);
	ts_expect_none();
	ts_run_ms(1);
	ts_expect(TCPHDR_ACK, 0, 1, 0, NULL);
	ts_run_ms(800);
	ts_expect(TCPHDR_ACK, 0, 1, 0, NULL);
	cr_assert_eq(s->sk->sk_state, TCP_ESTABLISHED, "persist never gives up on an answering peer");
	ts_inject(TCPHDR_ACK, 1, 1, NULL, 0, 4096, NULL);
	ts_expect(TCPHDR_ACK | TCPHDR_PSH, 1, 1, 10, NULL);
	ts_inject(TCPHDR_ACK, 1, 11, NULL, 0, 4096, NULL);
	finish(s, 11, 1);
}

Test(tcp_reliability, receiver_advertises_zero_window_then_reopens)
{
	struct socket *s = ts_passive_open(NULL, 65535);
	struct ts_seg seg;
	static u8 buf[300000];
	u32 seq = 1;
	int n;

	/* Fill the receive buffer without reading. */
	for (int i = 0; i < 400; i++) {
		ts_inject(TCPHDR_ACK, seq, 1, payload, 1000, 65535, NULL);
		seq += 1000;
		while (ts_pending()) {
			ts_next(&seg);
			if (seg.win == 0)
				goto closed;
		}
		ts_run_ms(50);
		while (ts_pending()) {
			ts_next(&seg);
			if (seg.win == 0)
				goto closed;
		}
	}
	cr_assert_fail("the window never closed");
closed:
	cr_assert_leq(seg.ack, seq, "no byte past the window was taken");
	n = ts_recv(s, buf, sizeof(buf), 0);
	cr_assert_gt(n, 0);
	ts_next(&seg);	/* the window update */
	cr_assert_gt(seg.win, 0);
	sock_release(s);
	ts_run_ms(100);
	while (ts_pending())
		ts_next(&seg);
	ts_run_ms(5000);
	while (ts_pending())
		ts_next(&seg);
	ts_inject(TCPHDR_RST, seg.ack, 0, NULL, 0, 0, NULL);
}

Test(tcp_reliability, delayed_ack_waits_40ms_for_one_segment_not_two)
{
	struct socket *s = ts_passive_open(NULL, 65535);
	u32 seq = 1;

	inet_csk(s->sk)->icsk_ack.quick = 0;	/* past the quick-ack start */
	ts_inject(TCPHDR_ACK, seq, 1, payload, 1000, 65535, NULL);
	seq += 1000;
	ts_expect_none();
	ts_run_ms(39);
	ts_expect_none();
	ts_run_ms(1);
	ts_expect(TCPHDR_ACK, 1, seq, 0, NULL);
	ts_inject(TCPHDR_ACK, seq, 1, payload, 1000, 65535, NULL);
	seq += 1000;
	ts_expect_none();
	ts_inject(TCPHDR_ACK, seq, 1, payload, 1000, 65535, NULL);
	seq += 1000;
	ts_expect(TCPHDR_ACK, 1, seq, 0, NULL);
	ts_inject(TCPHDR_ACK, seq + 1000, 1, payload, 1000, 65535, NULL);
	ts_expect(TCPHDR_ACK, 1, seq, 0, NULL);	/* out of order: at once */
	cr_assert_eq(ts_recv(s, payload, 3000, 0), 3000);
	ts_inject(TCPHDR_ACK, seq, 1, payload, 1000, 65535, NULL);
	ts_expect(TCPHDR_ACK, 1, seq + 2000, 0, NULL);	/* the hole filled */
	cr_assert_eq(ts_recv(s, payload, 3000, 0), 2000);
	finish(s, 1, seq + 2000);
}

Test(tcp_reliability, nagle_holds_small_segments_nodelay_does_not)
{
	struct socket *s = ts_active_open(NULL, 65535);

	cr_assert_eq(ts_send(s, "aaaa", 4), 4);
	ts_expect(TCPHDR_ACK | TCPHDR_PSH, 1, 1, 4, NULL);
	cr_assert_eq(ts_send(s, "bbbb", 4), 4);
	cr_assert_eq(ts_send(s, "cccc", 4), 4);
	ts_expect_none();
	ts_inject(TCPHDR_ACK, 1, 5, NULL, 0, 65535, NULL);
	ts_expect(TCPHDR_ACK | TCPHDR_PSH, 5, 1, 8, NULL);
	cr_assert_eq(ts_setsockopt_int(s, SOL_TCP, TCP_NODELAY, 1), 0);
	cr_assert_eq(ts_send(s, "dddd", 4), 4);
	ts_expect(TCPHDR_ACK | TCPHDR_PSH, 13, 1, 4, NULL);
	ts_inject(TCPHDR_ACK, 1, 17, NULL, 0, 65535, NULL);
	finish(s, 17, 1);
}

/*
 * Minshall's Nagle, as Linux: the short tail of a write goes right behind its
 * full-sized head (only a short segment in flight holds another back), so
 * a peer delaying its ACK for the lone full segment cannot stall it.
 */
Test(tcp_reliability, nagle_lets_a_short_tail_follow_a_full_segment)
{
	struct socket *s = ts_active_open(NULL, 65535);
	unsigned int mss = tcp_sk(s->sk)->mss_cache;

	cr_assert_eq(ts_send(s, payload, mss + 12), (long)(mss + 12));
	ts_expect(TCPHDR_ACK, 1, 1, mss, NULL);
	ts_expect(TCPHDR_ACK | TCPHDR_PSH, 1 + mss, 1, 12, NULL);
	cr_assert_eq(ts_send(s, "bbbb", 4), 4);
	ts_expect_none();	/* a short segment is in flight: classic Nagle */
	ts_inject(TCPHDR_ACK, 1, 1 + mss + 12, NULL, 0, 65535, NULL);
	ts_expect(TCPHDR_ACK | TCPHDR_PSH, 1 + mss + 12, 1, 4, NULL);
	ts_inject(TCPHDR_ACK, 1, 1 + mss + 16, NULL, 0, 65535, NULL);
	finish(s, 1 + mss + 16, 1);
}

Test(tcp_reliability, window_scale_is_negotiated_and_applied)
{
	struct ts_opts o = { .mss = 1000, .ws = 1 + 4 };
	struct socket *l = ts_listen(TS_STACK_PORT, 4), *s;
	struct ts_seg seg;
	u32 sent = 0;

	ts_inject(TCPHDR_SYN, 0, 0, NULL, 0, 65535, &o);
	ts_expect(TCPHDR_SYN | TCPHDR_ACK, 0, 1, 0, &seg);
	cr_assert(seg.opt.wscale_ok, "we answer window scale with ours");
	cr_assert_gt(seg.opt.snd_wscale, 0, "212992-byte buffer needs a shift");
	ts_inject(TCPHDR_ACK, 1, 1, NULL, 0, 200, NULL);	/* 200 << 4 = 3200 */
	s = ts_accept(l);
	sock_release(l);
	cr_assert_eq(ts_setsockopt_int(s, SOL_TCP, TCP_NODELAY, 1), 0);
	cr_assert_eq(ts_send(s, payload, 8000), 8000);
	while (ts_pending()) {
		ts_next(&seg);
		sent += seg.len;
	}
	cr_assert_eq(sent, 3000, "three full segments fit in 3200 bytes");
	ts_inject(TCPHDR_ACK, 1, 3001, NULL, 0, 1000, NULL);	/* 16000 bytes */
	sent = 0;
	while (ts_pending()) {
		ts_next(&seg);
		sent += seg.len;
	}
	cr_assert_eq(sent, 5000, "the rest fits the scaled window");
	ts_inject(TCPHDR_ACK, 1, 8001, NULL, 0, 1000, NULL);
	sock_release(s);
	ts_run_ms(100);
	while (ts_pending())
		ts_next(&seg);
	ts_inject(TCPHDR_RST, 1, 0, NULL, 0, 0, NULL);
	ts_run_ms(1100);
}

Test(tcp_reliability, keepalive_probes_then_gives_up)
{
	struct socket *s = ts_active_open(NULL, 65535);
	int one = 1;
	char c;

	cr_assert_eq(ts_setsockopt_int(s, SOL_TCP, TCP_KEEPIDLE, 10), 0);
	cr_assert_eq(ts_setsockopt_int(s, SOL_TCP, TCP_KEEPINTVL, 2), 0);
	cr_assert_eq(ts_setsockopt_int(s, SOL_TCP, TCP_KEEPCNT, 2), 0);
	cr_assert_eq(s->ops->setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one,
					sizeof(one)), 0);
	ts_run_ms(9999);
	ts_expect_none();
	ts_run_ms(1);
	ts_expect(TCPHDR_ACK, 0, 1, 0, NULL);
	ts_inject(TCPHDR_ACK, 1, 1, NULL, 0, 65535, NULL);	/* alive */
	ts_run_ms(9999);
	ts_expect_none();
	ts_run_ms(1);
	ts_expect(TCPHDR_ACK, 0, 1, 0, NULL);
	ts_run_ms(2000);
	ts_expect(TCPHDR_ACK, 0, 1, 0, NULL);
	ts_run_ms(2000);
	ts_expect(TCPHDR_RST | TCPHDR_ACK, 1, 1, 0, NULL);
	cr_assert_eq(ts_recv(s, &c, 1, 0), -ETIMEDOUT);
	sock_release(s);
}

/* Send @n full segments and ACK each as it comes; returns the next seq. */
static u32 send_and_ack(struct socket *s, u32 seq, int n)
{
	struct ts_seg seg;

	cr_assert_eq(ts_send(s, payload, (size_t)n * 1000), n * 1000);
	for (int i = 0; i < n; i++) {
		ts_next(&seg);
		cr_assert_eq(seg.len, 1000);
		seq += 1000;
		ts_inject(TCPHDR_ACK, 1, seq, NULL, 0, 65535, NULL);
	}
	return seq;
}

Test(tcp_reliability, slow_start_grows_cwnd_and_idle_restarts_it)
{
	struct socket *s = ts_active_open(&(struct ts_opts){ .mss = 1000 }, 65535);
	struct ts_seg seg;
	u32 seq = 1;
	int burst = 0;

	cr_assert_eq(ts_setsockopt_int(s, SOL_TCP, TCP_NODELAY, 1), 0);
	cr_assert_eq(tcp_sk(s->sk)->snd_cwnd, TCP_INIT_CWND);
	seq = send_and_ack(s, seq, 20);
	/* +1 per ACK while the window is used (RFC 5681 §3.1, RFC 7661). */
	cr_assert_geq(tcp_sk(s->sk)->snd_cwnd, 2 * TCP_INIT_CWND, "cwnd %u",
		     tcp_sk(s->sk)->snd_cwnd);
	ts_run_ms(1000);		/* idle for more than an RTO */
	cr_assert_eq(ts_send(s, payload, 8000 * 4), 32000);
	while (ts_pending()) {
		ts_next(&seg);
		burst++;
	}
	cr_assert_eq(burst, TCP_INIT_CWND, "RFC 5681 §4.1: restart window");
	ts_inject(TCPHDR_RST, 1, 0, NULL, 0, 0, NULL);
	sock_release(s);
	(void)seq;
}
