/*
 * What protects a connection and a listener: RFC 5961 challenge ACKs and
 * their throttle, PAWS (RFC 7323 §5), the listen backlog, TIME_WAIT and
 * its reuse by a newer SYN (RFC 6191), path MTU from ICMP with a floor.
 */
#include <criterion/criterion.h>
#include "lib/string.h"
#include "net/icmp.h"
#include "net/snmp.h"
#include "tests/host/netsim.h"
#include "tests/host/pktbuild.h"
#include "tests/host/tcp_script.h"

static void setup(void)
{
	ts_setup(1000);
}

static void teardown(void)
{
	ts_assert_no_leaks();
}

TestSuite(tcp_protect, .init = setup, .fini = teardown);

static u8 payload[4096];

static void abort_conn(struct socket *s, u32 rcv)
{
	ts_inject(TCPHDR_RST, rcv, 0, NULL, 0, 0, NULL);
	cr_assert_eq(s->sk->sk_state, TCP_CLOSE);
	sock_release(s);
	ts_expect_none();
}

Test(tcp_protect, rst_in_window_but_not_exact_is_challenged)
{
	struct socket *s = ts_passive_open(NULL, 8192);

	ts_inject(TCPHDR_RST, 100, 0, NULL, 0, 0, NULL);
	ts_expect(TCPHDR_ACK, 1, 1, 0, NULL);
	cr_assert_eq(s->sk->sk_state, TCP_ESTABLISHED);
	ts_inject(TCPHDR_RST, 0x40000000, 0, NULL, 0, 0, NULL);
	ts_expect_none();
	cr_assert_eq(snmp_get("Tcp", "TCPChallengeACK"), 1);
	abort_conn(s, 1);
}

Test(tcp_protect, syn_on_established_is_challenged)
{
	struct socket *s = ts_passive_open(NULL, 8192);

	ts_inject(TCPHDR_SYN, 1, 0, NULL, 0, 8192, NULL);
	ts_expect(TCPHDR_ACK, 1, 1, 0, NULL);
	cr_assert_eq(s->sk->sk_state, TCP_ESTABLISHED);
	ts_inject(TCPHDR_SYN, 5000, 0, NULL, 0, 8192, NULL);
	ts_expect(TCPHDR_ACK, 1, 1, 0, NULL);
	abort_conn(s, 1);
}

Test(tcp_protect, ack_of_unsent_data_is_answered_and_dropped)
{
	struct socket *s = ts_passive_open(NULL, 8192);
	char c;

	ts_inject(TCPHDR_ACK | TCPHDR_PSH, 1, 500, "x", 1, 8192, NULL);
	ts_expect(TCPHDR_ACK, 1, 1, 0, NULL);
	cr_assert_eq(ts_recv(s, &c, 1, 0), -EAGAIN, "its data was dropped too");
	abort_conn(s, 1);
}

Test(tcp_protect, challenge_acks_are_throttled)
{
	struct socket *s = ts_passive_open(NULL, 8192);
	unsigned int acks = 0;

	for (int i = 0; i < 1100; i++) {
		ts_inject(TCPHDR_RST, 10 + (u32)i, 0, NULL, 0, 0, NULL);
		while (ts_pending()) {
			ts_next(&(struct ts_seg){ 0 });
			acks++;
		}
	}
	cr_assert_eq(acks, 1000, "RFC 5961 §7: %u", acks);
	ts_run_ms(1000);
	ts_inject(TCPHDR_RST, 10, 0, NULL, 0, 0, NULL);
	ts_expect(TCPHDR_ACK, 1, 1, 0, NULL);
	abort_conn(s, 1);
}

Test(tcp_protect, data_outside_the_window_gets_a_duplicate_ack)
{
	struct socket *s = ts_passive_open(NULL, 8192);

	ts_inject(TCPHDR_ACK, 1 + 0x10000000, 1, "zz", 2, 8192, NULL);
	ts_expect(TCPHDR_ACK, 1, 1, 0, NULL);
	ts_inject(TCPHDR_ACK, 0xffff0000, 1, "zz", 2, 8192, NULL);
	ts_expect(TCPHDR_ACK, 1, 1, 0, NULL);
	abort_conn(s, 1);
}

Test(tcp_protect, overlapping_and_duplicate_data_is_trimmed)
{
	struct socket *s = ts_passive_open(NULL, 8192);
	char buf[16] = { 0 };

	ts_inject(TCPHDR_ACK, 1, 1, "abcd", 4, 8192, NULL);
	ts_inject(TCPHDR_ACK, 3, 1, "cdefgh", 6, 8192, NULL);
	ts_inject(TCPHDR_ACK, 1, 1, "abcdefgh", 8, 8192, NULL);
	ts_inject(TCPHDR_ACK, 11, 1, "kl", 2, 8192, NULL);
	ts_inject(TCPHDR_ACK, 9, 1, "ijk", 3, 8192, NULL);
	cr_assert_eq(ts_recv(s, buf, sizeof(buf), 0), 12);
	cr_assert_str_eq(buf, "abcdefghijkl");
	while (ts_pending())
		ts_next(&(struct ts_seg){ 0 });
	abort_conn(s, 13);
}

Test(tcp_protect, paws_drops_an_old_timestamp)
{
	struct ts_opts o = { .ts = true, .tsval = 1000, .tsecr = 0 };
	struct socket *s;
	struct ts_seg seg;
	char buf[8];

	s = ts_socket();
	cr_assert_eq(ts_connect(s, ts.peer_addr, TS_PEER_PORT), -EINPROGRESS);
	ts_next(&seg);
	cr_assert(seg.opt.saw_tstamp);
	o.tsecr = seg.opt.rcv_tsval;
	ts_inject(TCPHDR_SYN | TCPHDR_ACK, 0, 1, NULL, 0, 8192, &o);
	ts_expect(TCPHDR_ACK, 1, 1, 0, &seg);
	cr_assert_eq(seg.opt.rcv_tsecr, 1000, "TS.Recent echoed");
	o.tsval = 2000;
	ts_inject(TCPHDR_ACK, 1, 1, "new", 3, 8192, &o);
	o.tsval = 1500;
	ts_inject(TCPHDR_ACK, 4, 1, "old", 3, 8192, &o);
	cr_assert_eq(snmp_get("Tcp", "PAWSEstab"), 1);
	cr_assert_eq(ts_recv(s, buf, sizeof(buf), 0), 3);
	cr_assert_eq(memcmp(buf, "new", 3), 0);
	while (ts_pending())
		ts_next(&seg);
	cr_assert_eq(seg.opt.rcv_tsecr, 2000);
	abort_conn(s, 4);
}

static void syn_from(u16 port)
{
	ts.peer_port = port;
	ts_inject(TCPHDR_SYN, 0, 0, NULL, 0, 8192, NULL);
}

static void ack_from(u16 port, const struct ts_seg *synack)
{
	ts.peer_port = port;
	ts_inject_abs(TCPHDR_ACK, ts.peer_isn + 1, synack->abs_seq + 1, NULL, 0,
		      8192, NULL);
}

Test(tcp_protect, listen_backlog_bounds_both_queues)
{
	struct socket *l = ts_listen(TS_STACK_PORT, 1), *c[2];
	struct ts_seg a, b;

	syn_from(1001);
	ts_next(&a);
	syn_from(1002);			/* SYN queue full: a cookie, no state */
	ts_next(&b);
	cr_assert_eq(b.flags, TCPHDR_SYN | TCPHDR_ACK);
	cr_assert_eq(snmp_get("Tcp", "SyncookiesSent"), 1);
	cr_assert_eq(inet_csk(l->sk)->icsk_accept_queue.qlen, 1);
	ack_from(1001, &a);
	syn_from(1003);
	ts_next(&b);
	ack_from(1003, &b);
	syn_from(1004);			/* accept queue full */
	ts_expect_none();
	cr_assert_eq(snmp_get("Tcp", "ListenOverflows"), 1);
	cr_assert_eq(snmp_get("Tcp", "ListenDrops"), 1);
	c[0] = ts_accept(l);
	c[1] = ts_accept(l);
	cr_assert_not_null(c[0]);
	cr_assert_not_null(c[1]);
	cr_assert_null(ts_accept(l));
	cr_assert_eq(inet_sk(c[0]->sk)->inet_dport, htons(1001));
	cr_assert_eq(inet_sk(c[1]->sk)->inet_dport, htons(1003));
	sock_release(l);
	for (int i = 0; i < 2; i++) {
		sock_release(c[i]);
		while (ts_pending())
			ts_next(&a);
		ts.peer_port = i ? 1003 : 1001;
		ts_inject_abs(TCPHDR_RST, ts.peer_isn + 1, 0, NULL, 0, 0, NULL);
	}
	ts_expect_none();
}

Test(tcp_protect, listener_close_resets_unaccepted_children)
{
	struct socket *l = ts_listen(TS_STACK_PORT, 4);
	struct ts_seg a;

	syn_from(2001);
	ts_next(&a);
	ack_from(2001, &a);
	sock_release(l);
	ts_next(&a);
	cr_assert(a.flags & TCPHDR_RST);
	ts_expect_none();
}

Test(tcp_protect, time_wait_absorbs_old_syn_and_yields_to_a_newer_one)
{
	struct socket *l = ts_listen(TS_STACK_PORT, 4), *c;
	struct ts_seg seg;

	ts_inject(TCPHDR_SYN, 0, 0, NULL, 0, 8192, NULL);
	ts_next(&seg);
	ts_inject(TCPHDR_ACK, 1, 1, NULL, 0, 8192, NULL);
	c = ts_accept(l);
	sock_release(c);		/* the stack closes first: TIME_WAIT here */
	ts_expect(TCPHDR_FIN | TCPHDR_ACK, 1, 1, 0, NULL);
	ts_inject(TCPHDR_FIN | TCPHDR_ACK, 1, 2, NULL, 0, 8192, NULL);
	ts_expect(TCPHDR_ACK, 2, 2, 0, NULL);
	cr_assert_eq(inet_twsk_live_count(), 1);
	/* An old SYN (sequence below the last connection's) gets an ACK. */
	ts_inject(TCPHDR_SYN, (u32)-5000, 0, NULL, 0, 8192, NULL);
	ts_expect(TCPHDR_ACK, 2, 2, 0, NULL);
	cr_assert_eq(inet_twsk_live_count(), 1);
	/* A newer one (RFC 6191) reopens the 4-tuple at once. */
	ts.stack_isn_known = false;
	ts_inject(TCPHDR_SYN, 100000, 0, NULL, 0, 8192, NULL);
	cr_assert_eq(inet_twsk_live_count(), 0);
	ts_next(&seg);
	cr_assert_eq(seg.flags, TCPHDR_SYN | TCPHDR_ACK);
	cr_assert_eq(seg.ack, 100001);
	cr_assert_eq(snmp_get("Tcp", "TWRecycled"), 1);
	sock_release(l);
	ts_expect_none();
}

/* An ICMP error quoting our segment at @abs_seq; @mtu for frag-needed. */
static void inject_icmp(u8 code, u32 abs_seq, u16 mtu)
{
	static u8 inner[128], icmp[256], frame[512];
	struct tcphdr th = { 0 };
	struct pkt_ip ip = { .saddr = ts.stack_addr, .daddr = ts.peer_addr,
			     .protocol = IPPROTO_TCP };
	struct pkt_ip outer = { .saddr = ip4(10, 0, 0, 254),
				.daddr = ts.stack_addr,
				.protocol = IPPROTO_ICMP };
	unsigned int n;

	th.source = htons(ts.stack_port);
	th.dest = htons(ts.peer_port);
	th.seq = htonl(abs_seq);
	th.doff = 5;
	n = pkt_ipv4(inner, payload, payload, &ip, &th, sizeof(th));
	n = pkt_icmp(icmp, ICMP_DEST_UNREACH, code, 0, mtu,
		     inner + ETH_HLEN, n - ETH_HLEN, false);
	n = pkt_ipv4(frame, (const u8[]){ 0x52, 0x54, 0, 0, 0, 1 },
		     (const u8[]){ 0x52, 0x54, 0, 0, 0, 2 }, &outer, icmp, n);
	fakedev_inject(ts.dev, frame, n);
}

Test(tcp_protect, icmp_frag_needed_lowers_the_mss_with_a_floor)
{
	struct socket *s = ts_active_open(&(struct ts_opts){ .mss = 1460 }, 65535);
	struct ts_seg seg;

	cr_assert_eq(ts_setsockopt_int(s, SOL_TCP, TCP_NODELAY, 1), 0);
	cr_assert_eq(ts_send(s, payload, 1460), 1460);
	ts_expect(TCPHDR_ACK | TCPHDR_PSH, 1, 1, 1460, &seg);
	inject_icmp(ICMP_FRAG_NEEDED, seg.abs_seq, 1000);
	ts_expect(TCPHDR_ACK, 1, 1, 960, NULL);
	ts_expect(TCPHDR_ACK | TCPHDR_PSH, 961, 1, 500, NULL);
	inject_icmp(ICMP_FRAG_NEEDED, seg.abs_seq, 68);	/* absurd: floored */
	ts_expect(TCPHDR_ACK, 1, 1, 512, NULL);
	cr_assert_eq(tcp_sk(s->sk)->mss_cache, 512);
	ts_inject(TCPHDR_ACK, 1, 1461, NULL, 0, 65535, NULL);
	while (ts_pending())
		ts_next(&seg);
	abort_conn(s, 1);
}

Test(tcp_protect, syn_flood_is_answered_with_cookies_and_they_connect)
{
	struct socket *l = ts_listen(TS_STACK_PORT, 2), *c;
	struct ts_seg seg, cookie;

	for (u16 p = 3000; p < 3040; p++) {
		syn_from(p);
		ts_next(&seg);
		cr_assert_eq(seg.flags, TCPHDR_SYN | TCPHDR_ACK,
			     "every SYN is answered, flood or not");
		if (p == 3030)
			cookie = seg;
	}
	cr_assert_eq(inet_csk(l->sk)->icsk_accept_queue.qlen, 2,
		     "the SYN queue stays bounded");
	cr_assert_eq(snmp_get("Tcp", "SyncookiesSent"), 38);
	cr_assert_eq(reqsk_live_count(), 2);
	cr_assert(cookie.has_mss);
	cr_assert_eq(cookie.opt.wscale_ok, 0, "no state kept for options");
	ack_from(3030, &cookie);
	cr_assert_eq(snmp_get("Tcp", "SyncookiesRecv"), 1);
	c = ts_accept(l);
	cr_assert_not_null(c, "the cookie completed a connection");
	cr_assert_eq(c->sk->sk_state, TCP_ESTABLISHED);
	cr_assert_eq(inet_sk(c->sk)->inet_dport, htons(3030));
	/* A forged ACK with a wrong cookie is reset, and leaves nothing. */
	seg.abs_seq += 12345;
	ack_from(3031, &seg);
	ts_next(&seg);
	cr_assert_eq(seg.flags, TCPHDR_RST);
	cr_assert_null(ts_accept(l));
	cr_assert_eq(inet_csk(l->sk)->icsk_accept_queue.qlen, 2);
	sock_release(l);
	ts.peer_port = 3030;
	ts_inject(TCPHDR_RST, 1, 0, NULL, 0, 0, NULL);
	sock_release(c);
	ts_expect_none();
}

Test(tcp_protect, icmp_port_unreachable_aborts_a_connect_only_if_in_window)
{
	struct socket *s = ts_socket();
	struct ts_seg seg;
	char c;

	cr_assert_eq(ts_connect(s, ts.peer_addr, TS_PEER_PORT), -EINPROGRESS);
	ts_next(&seg);
	inject_icmp(ICMP_PORT_UNREACH, seg.abs_seq + 5000, 0);	/* RFC 5927 */
	cr_assert_eq(s->sk->sk_state, TCP_SYN_SENT);
	inject_icmp(ICMP_PORT_UNREACH, seg.abs_seq, 0);
	cr_assert_eq(s->sk->sk_state, TCP_CLOSE);
	cr_assert_eq(ts_connect(s, ts.peer_addr, TS_PEER_PORT), -ECONNREFUSED);
	cr_assert_eq(ts_recv(s, &c, 1, 0), -ENOTCONN);
	sock_release(s);
	ts_expect_none();
}

/* Drops with no reason counted while a SYN from @port is handled. */
static u64 unnamed_drops_for_syn(u16 port)
{
	u64 before = skb_drop_counts[SKB_DROP_REASON_NOT_SPECIFIED];

	syn_from(port);
	return skb_drop_counts[SKB_DROP_REASON_NOT_SPECIFIED] - before;
}

/*
 * A SYN a listener answers (SYN-ACK or cookie) is used, not dropped: a
 * SYN flood must not show up as unexplained drops, and what a listener
 * does refuse names why.
 */
Test(tcp_protect, listener_counts_answered_syns_as_consumed)
{
	struct socket *l = ts_listen(TS_STACK_PORT, 1), *c[2];
	struct ts_seg a, b;
	u64 before;

	cr_assert_eq(unnamed_drops_for_syn(2001), 0);
	ts_next(&a);
	cr_assert_eq(unnamed_drops_for_syn(2002), 0);	/* a cookie */
	ts_next(&b);
	cr_assert_eq(snmp_get("Tcp", "SyncookiesSent"), 1);
	ack_from(2001, &a);
	cr_assert_eq(unnamed_drops_for_syn(2003), 0);
	ts_next(&b);
	ack_from(2003, &b);
	cr_assert_eq(unnamed_drops_for_syn(2004), 0);	/* accept queue full */
	ts_expect_none();
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_TCP_LISTEN_OVERFLOW], 1);
	before = skb_drop_counts[SKB_DROP_REASON_TCP_INVALID];
	ts.peer_port = 2005;
	ts_inject(TCPHDR_RST, 0, 0, NULL, 0, 0, NULL);	/* ignored */
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_TCP_INVALID], before + 1);
	c[0] = ts_accept(l);
	c[1] = ts_accept(l);
	cr_assert_not_null(c[0]);
	cr_assert_not_null(c[1]);
	sock_release(l);
	for (int i = 0; i < 2; i++) {
		sock_release(c[i]);
		while (ts_pending())
			ts_next(&a);
		ts.peer_port = i ? 2003 : 2001;
		ts_inject_abs(TCPHDR_RST, ts.peer_isn + 1, 0, NULL, 0, 0, NULL);
	}
	ts_expect_none();
}
