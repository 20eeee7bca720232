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
#include "tests/host/netsim.h"
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

static int bind_to(struct socket *s, __be32 addr, u16 port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = addr;
	return s->ops->bind(s, (struct sockaddr *)&sin, sizeof(sin));
}

Test(tcp_states, bind_conflicts_and_so_reuseaddr_as_linux)
{
	struct socket *a = ts_socket(), *b = ts_socket(), *c = ts_socket();

	cr_assert_eq(bind_to(a, 0, 8080), 0);
	cr_assert_eq(bind_to(b, 0, 8080), -EADDRINUSE);
	cr_assert_eq(bind_to(b, ts.stack_addr, 8080), -EADDRINUSE,
		     "the wildcard covers every address");
	cr_assert_eq(bind_to(c, ip4(10, 0, 0, 99), 8081), -EADDRNOTAVAIL);
	cr_assert_eq(ts_setsockopt_int(a, SOL_SOCKET, SO_REUSEADDR, 1), 0);
	cr_assert_eq(ts_setsockopt_int(b, SOL_SOCKET, SO_REUSEADDR, 1), 0);
	cr_assert_eq(bind_to(b, 0, 8080), 0, "both SO_REUSEADDR, none listening");
	sock_release(b);
	cr_assert_eq(a->ops->listen(a, 1), 0);
	b = ts_socket();
	cr_assert_eq(ts_setsockopt_int(b, SOL_SOCKET, SO_REUSEADDR, 1), 0);
	cr_assert_eq(bind_to(b, 0, 8080), -EADDRINUSE, "a listener owns it");
	sock_release(a);
	cr_assert_eq(bind_to(b, 0, 8080), 0, "free again once it closed");
	sock_release(b);
	sock_release(c);
	cr_assert_eq(inet_bind_bucket_count(), 0);
}

Test(tcp_states, time_wait_keeps_the_port_unless_so_reuseaddr)
{
	struct socket *l = ts_socket(), *s, *b;

	/* A server that sets SO_REUSEADDR, as servers do: its connections
	 * inherit it, and so do their timewait socks (Linux). */
	cr_assert_eq(ts_setsockopt_int(l, SOL_SOCKET, SO_REUSEADDR, 1), 0);
	cr_assert_eq(bind_to(l, 0, TS_STACK_PORT), 0);
	cr_assert_eq(l->ops->listen(l, 4), 0);
	ts_inject(TCPHDR_SYN, 0, 0, NULL, 0, 8192, NULL);
	ts_expect(TCPHDR_SYN | TCPHDR_ACK, 0, 1, 0, NULL);
	ts_inject(TCPHDR_ACK, 1, 1, NULL, 0, 8192, NULL);
	s = ts_accept(l);
	sock_release(l);
	sock_release(s);
	ts_expect(TCPHDR_FIN | TCPHDR_ACK, 1, 1, 0, NULL);
	ts_inject(TCPHDR_FIN | TCPHDR_ACK, 1, 2, NULL, 0, 8192, NULL);
	ts_expect(TCPHDR_ACK, 2, 2, 0, NULL);
	cr_assert_eq(inet_twsk_live_count(), 1);
	b = ts_socket();
	cr_assert_eq(bind_to(b, 0, TS_STACK_PORT), -EADDRINUSE);
	cr_assert_eq(ts_setsockopt_int(b, SOL_SOCKET, SO_REUSEADDR, 1), 0);
	cr_assert_eq(bind_to(b, 0, TS_STACK_PORT), 0);
	sock_release(b);
	ts_run_ms(2100);
}

Test(tcp_states, ephemeral_ports_are_in_range_and_distinct)
{
	struct socket *s[8];
	u16 port[8];

	for (int i = 0; i < 8; i++) {
		s[i] = ts_socket();
		cr_assert_eq(ts_connect(s[i], ts.peer_addr, TS_PEER_PORT),
			     -EINPROGRESS);
		port[i] = ntohs(inet_sk(s[i]->sk)->inet_sport);
		cr_assert_geq(port[i], INET_PORT_LOW);
		cr_assert_leq(port[i], INET_PORT_HIGH);
		for (int j = 0; j < i; j++)
			cr_assert_neq(port[i], port[j]);
	}
	for (int i = 0; i < 8; i++)
		sock_release(s[i]);
	fakedev_flush_tx(ts.dev);
}

Test(tcp_states, cork_holds_partial_segments_until_uncorked)
{
	struct socket *s = ts_active_open(NULL, 65535);

	cr_assert_eq(ts_setsockopt_int(s, SOL_TCP, TCP_NODELAY, 1), 0);
	cr_assert_eq(ts_setsockopt_int(s, SOL_TCP, TCP_CORK, 1), 0);
	cr_assert_eq(ts_send(s, "head", 4), 4);
	cr_assert_eq(ts_send(s, "body", 4), 4);
	ts_expect_none();
	cr_assert_eq(ts_setsockopt_int(s, SOL_TCP, TCP_CORK, 0), 0);
	ts_expect(TCPHDR_ACK | TCPHDR_PSH, 1, 1, 8, NULL);
	ts_inject(TCPHDR_ACK, 1, 9, NULL, 0, 65535, NULL);
	ts_inject(TCPHDR_RST, 1, 0, NULL, 0, 0, NULL);
	sock_release(s);
}

Test(tcp_states, urgent_data_stays_inline_and_a_wild_pointer_is_ignored)
{
	struct socket *s = ts_passive_open(NULL, 8192);
	char buf[16] = { 0 };

	ts_inject(TCPHDR_ACK | TCPHDR_URG, 1, 1, "abc", 3, 8192, NULL);
	cr_assert_eq(ts_recv(s, buf, sizeof(buf), 0), 3);
	cr_assert_str_eq(buf, "abc");
	cr_assert_eq(ts_recv(s, buf, 1, MSG_OOB), -EINVAL, "inline: no OOB byte");
	ts_inject(TCPHDR_RST, 4, 0, NULL, 0, 0, NULL);
	sock_release(s);
	fakedev_flush_tx(ts.dev);
}
