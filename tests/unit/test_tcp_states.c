/*
 * RFC 9293's state diagram, transition by transition, played as the peer
 * with the script harness: opens (passive, active, simultaneous), closes
 * (active, passive, simultaneous, half-close), resets, TIME_WAIT.
 */
#include <criterion/criterion.h>
#include "kernel/poll.h"
#include "lib/string.h"
#include "net/inet_hashtables.h"
#include "net/snmp.h"
#include "tests/host/tcp_script.h"

static void setup(void)
{
	ts_setup(2000);
}

static void teardown(void)
{
	ts_assert_no_leaks();
}

TestSuite(tcp_states, .init = setup, .fini = teardown);

static int state(struct socket *s)
{
	return s->sk->sk_state;
}

Test(tcp_states, listen_syn_moves_to_syn_received_and_ack_establishes)
{
	struct socket *l = ts_listen(TS_STACK_PORT, 4), *c;
	struct ts_opts o = { .mss = 1460 };
	struct ts_seg seg;

	cr_assert_eq(state(l), TCP_LISTEN);
	ts_inject(TCPHDR_SYN, 0, 0, NULL, 0, 8192, &o);
	ts_expect(TCPHDR_SYN | TCPHDR_ACK, 0, 1, 0, &seg);
	cr_assert(seg.has_mss);
	cr_assert_eq(seg.opt.mss_clamp, 1460);
	cr_assert_null(ts_accept(l), "no child before the final ACK");
	cr_assert_eq(inet_csk(l->sk)->icsk_accept_queue.qlen, 1);
	ts_inject(TCPHDR_ACK, 1, 1, NULL, 0, 8192, NULL);
	cr_assert_eq(inet_csk(l->sk)->icsk_accept_queue.qlen, 0);
	c = ts_accept(l);
	cr_assert_not_null(c);
	cr_assert_eq(state(c), TCP_ESTABLISHED);
	cr_assert_eq(snmp_get("Tcp", "PassiveOpens"), 1);
	ts_expect_none();
	sock_release(c);
	ts_expect(TCPHDR_FIN | TCPHDR_ACK, 1, 1, 0, NULL);
	ts_inject(TCPHDR_FIN | TCPHDR_ACK, 1, 2, NULL, 0, 8192, NULL);
	ts_expect(TCPHDR_ACK, 2, 2, 0, NULL);
	sock_release(l);
	ts_run_ms(2100);
}

Test(tcp_states, active_open_syn_sent_to_established)
{
	struct socket *s = ts_socket();
	struct ts_seg seg;

	cr_assert_eq(ts_connect(s, ts.peer_addr, TS_PEER_PORT), -EINPROGRESS);
	cr_assert_eq(state(s), TCP_SYN_SENT);
	cr_assert_eq(ts_connect(s, ts.peer_addr, TS_PEER_PORT), -EALREADY);
	ts_next(&seg);
	cr_assert_eq(seg.flags, TCPHDR_SYN);
	cr_assert(seg.has_mss);
	cr_assert_eq(seg.opt.mss_clamp, 1460, "MSS from the device MTU");
	cr_assert(seg.opt.wscale_ok);
	cr_assert(seg.opt.saw_tstamp);
	/* In the established hash before the SYN-ACK comes (seed 004 §2.1). */
	ts.stack_port = ntohs(inet_sk(s->sk)->inet_sport);
	cr_assert_geq(ts.stack_port, INET_PORT_LOW);
	cr_assert_eq(__inet_lookup_established(ts.peer_addr, htons(TS_PEER_PORT),
					       ts.stack_addr, ts.stack_port),
		     s->sk);
	cr_assert_eq(s->ops->poll(NULL, s, NULL) & EPOLLOUT, 0);
	ts_inject(TCPHDR_SYN | TCPHDR_ACK, 0, 1, NULL, 0, 8192, NULL);
	ts_expect(TCPHDR_ACK, 1, 1, 0, &seg);
	cr_assert_eq(state(s), TCP_ESTABLISHED);
	cr_assert_eq(tcp_sk(s->sk)->rx_opt.rcv_wscale, 0,
		     "no window scale unless both SYNs carry it (RFC 7323 §2.2)");
	cr_assert_leq(seg.win, 65535);
	cr_assert(s->ops->poll(NULL, s, NULL) & EPOLLOUT);
	cr_assert_eq(ts_connect(s, ts.peer_addr, TS_PEER_PORT), 0);
	cr_assert_eq(ts_connect(s, ts.peer_addr, TS_PEER_PORT), -EISCONN);
	/* Passive close: FIN -> CLOSE_WAIT; close -> LAST_ACK; ACK -> CLOSED. */
	ts_inject(TCPHDR_FIN | TCPHDR_ACK, 1, 1, NULL, 0, 8192, NULL);
	cr_assert_eq(state(s), TCP_CLOSE_WAIT);
	ts_expect(TCPHDR_ACK, 1, 2, 0, NULL);
	cr_assert_eq(ts_recv(s, &seg, 1, 0), 0, "EOF");
	sock_release(s);
	ts_expect(TCPHDR_FIN | TCPHDR_ACK, 1, 2, 0, NULL);
	cr_assert_eq(tcp_live_objects(), 1, "orphan in LAST_ACK");
	ts_inject(TCPHDR_ACK, 2, 2, NULL, 0, 8192, NULL);
	cr_assert_eq(tcp_live_objects(), 0, "LAST_ACK -> CLOSED frees it");
}

Test(tcp_states, connect_to_closed_port_is_refused)
{
	struct socket *s = ts_socket();
	char c;

	cr_assert_eq(ts_connect(s, ts.peer_addr, TS_PEER_PORT), -EINPROGRESS);
	ts_next(&(struct ts_seg){ 0 });
	ts_inject(TCPHDR_RST | TCPHDR_ACK, 0, 1, NULL, 0, 0, NULL);
	cr_assert_eq(state(s), TCP_CLOSE);
	cr_assert(s->ops->poll(NULL, s, NULL) & EPOLLERR);
	cr_assert_eq(ts_connect(s, ts.peer_addr, TS_PEER_PORT), -ECONNREFUSED);
	cr_assert_eq(ts_recv(s, &c, 1, 0), -ENOTCONN);
	sock_release(s);
	ts_expect_none();
}

Test(tcp_states, syn_sent_ignores_rst_without_ack_and_resets_bad_ack)
{
	struct socket *s = ts_socket();

	ts_connect(s, ts.peer_addr, TS_PEER_PORT);
	ts_next(&(struct ts_seg){ 0 });
	ts.stack_port = ntohs(inet_sk(s->sk)->inet_sport);
	ts_inject(TCPHDR_RST, 0, 0, NULL, 0, 0, NULL);
	cr_assert_eq(state(s), TCP_SYN_SENT);
	/* An ACK for something we never sent: <SEQ=SEG.ACK><CTL=RST>. */
	ts_inject(TCPHDR_SYN | TCPHDR_ACK, 0, 77, NULL, 0, 8192, NULL);
	ts_expect(TCPHDR_RST, 77, 0, 0, NULL);
	cr_assert_eq(state(s), TCP_SYN_SENT);
	sock_release(s);
}

Test(tcp_states, simultaneous_open)
{
	struct socket *s = ts_socket();

	ts_connect(s, ts.peer_addr, TS_PEER_PORT);
	ts_next(&(struct ts_seg){ 0 });
	ts.stack_port = ntohs(inet_sk(s->sk)->inet_sport);
	ts_inject(TCPHDR_SYN, 0, 0, NULL, 0, 8192, NULL);
	cr_assert_eq(state(s), TCP_SYN_RECV);
	ts_expect(TCPHDR_SYN | TCPHDR_ACK, 0, 1, 0, NULL);
	ts_inject(TCPHDR_SYN | TCPHDR_ACK, 0, 1, NULL, 0, 8192, NULL);
	ts_inject(TCPHDR_ACK, 1, 1, NULL, 0, 8192, NULL);
	cr_assert_eq(state(s), TCP_ESTABLISHED);
	cr_assert_eq(ts_connect(s, ts.peer_addr, TS_PEER_PORT), 0);
	ts_expect(TCPHDR_ACK, 1, 1, 0, NULL);	/* the challenge ACK for the SYN */
	ts_expect_none();
	ts_inject(TCPHDR_RST, 1, 0, NULL, 0, 0, NULL);
	cr_assert_eq(state(s), TCP_CLOSE);
	sock_release(s);
}

Test(tcp_states, active_close_through_fin_wait_to_time_wait)
{
	struct socket *s = ts_active_open(NULL, 8192);
	struct sock *sk = s->sk;

	cr_assert_eq(s->ops->shutdown(s, SHUT_WR), 0);
	cr_assert_eq(sk->sk_state, TCP_FIN_WAIT1);
	ts_expect(TCPHDR_FIN | TCPHDR_ACK, 1, 1, 0, NULL);
	ts_inject(TCPHDR_ACK, 1, 2, NULL, 0, 8192, NULL);
	cr_assert_eq(sk->sk_state, TCP_FIN_WAIT2);
	/* Half-close: the peer may still send. */
	ts_inject(TCPHDR_ACK | TCPHDR_PSH, 1, 2, "late", 4, 8192, NULL);
	ts_run_ms(50);
	ts_expect(TCPHDR_ACK, 2, 5, 0, NULL);
	ts_inject(TCPHDR_FIN | TCPHDR_ACK, 5, 2, NULL, 0, 8192, NULL);
	ts_expect(TCPHDR_ACK, 2, 6, 0, NULL);
	cr_assert_eq(sk->sk_state, TCP_CLOSE, "the full sock is done");
	cr_assert_eq(inet_twsk_live_count(), 1, "a timewait sock holds the tuple");
	/* A retransmitted FIN is ACKed again from TIME_WAIT. */
	ts_inject(TCPHDR_FIN | TCPHDR_ACK, 5, 2, NULL, 0, 8192, NULL);
	ts_expect(TCPHDR_ACK, 2, 6, 0, NULL);
	char buf[8];
	cr_assert_eq(ts_recv(s, buf, sizeof(buf), 0), 4);
	cr_assert_eq(memcmp(buf, "late", 4), 0);
	cr_assert_eq(ts_recv(s, buf, sizeof(buf), 0), 0);
	sock_release(s);
	ts_run_ms(2100);
	cr_assert_eq(inet_twsk_live_count(), 0, "2*MSL later it is gone");
	ts_expect_none();
}

Test(tcp_states, simultaneous_close_goes_through_closing)
{
	struct socket *s = ts_active_open(NULL, 8192);

	sock_release(s);
	ts_expect(TCPHDR_FIN | TCPHDR_ACK, 1, 1, 0, NULL);
	ts_inject(TCPHDR_FIN | TCPHDR_ACK, 1, 1, NULL, 0, 8192, NULL);
	ts_expect(TCPHDR_ACK, 2, 2, 0, NULL);
	cr_assert_eq(inet_twsk_live_count(), 0, "CLOSING, not yet TIME_WAIT");
	ts_inject(TCPHDR_ACK, 2, 2, NULL, 0, 8192, NULL);
	cr_assert_eq(inet_twsk_live_count(), 1);
	ts_run_ms(2100);
}

Test(tcp_states, segment_to_no_socket_gets_reset)
{
	ts_inject(TCPHDR_ACK, 5, 0, NULL, 0, 8192, NULL);
	ts_expect(TCPHDR_RST, 0, 0, 0, NULL);
	ts_inject_abs(TCPHDR_SYN, 100, 0, NULL, 0, 8192, NULL);
	ts_expect(TCPHDR_RST | TCPHDR_ACK, 0 - ts.stack_isn, 101 - ts.peer_isn,
		  0, NULL);
	ts_inject(TCPHDR_RST, 5, 0, NULL, 0, 0, NULL);
	ts_expect_none();
	cr_assert_eq(snmp_get("Tcp", "OutRsts"), 2);
}

Test(tcp_states, close_with_unread_data_sends_reset)
{
	struct socket *s = ts_active_open(NULL, 8192);

	ts_inject(TCPHDR_ACK | TCPHDR_PSH, 1, 1, "abc", 3, 8192, NULL);
	ts_expect(TCPHDR_ACK, 1, 4, 0, NULL);
	sock_release(s);
	ts_expect(TCPHDR_RST | TCPHDR_ACK, 1, 4, 0, NULL);
	cr_assert_eq(tcp_live_objects(), 0);
}

Test(tcp_states, linger_zero_close_sends_reset)
{
	struct socket *s = ts_active_open(NULL, 8192);
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	cr_assert_eq(s->ops->setsockopt(s, SOL_SOCKET, SO_LINGER, &l,
					sizeof(l)), 0);
	sock_release(s);
	ts_expect(TCPHDR_RST | TCPHDR_ACK, 1, 1, 0, NULL);
	ts_expect_none();
	cr_assert_eq(inet_twsk_live_count(), 0, "no TIME_WAIT after an abort");
}

Test(tcp_states, peer_reset_gives_econnreset)
{
	struct socket *s = ts_passive_open(NULL, 8192);
	char c;

	ts_inject(TCPHDR_RST, 1, 0, NULL, 0, 0, NULL);
	cr_assert_eq(state(s), TCP_CLOSE);
	cr_assert_eq(ts_recv(s, &c, 1, 0), -ECONNRESET);
	cr_assert_eq(ts_send(s, &c, 1), -EPIPE);
	sock_release(s);
	ts_expect_none();
}
