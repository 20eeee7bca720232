/*
 * Resource limits (issue 10, SECURITY.md): each one, when hit, refuses or
 * drops, is counted, logs at most one console line per 5 s, leaks nothing,
 * and lets service resume once back under it. The skb memory cap and the
 * TIME_WAIT cap are new; the rest existed and are checked for their line.
 */
#include <criterion/criterion.h>
#include "kernel/fs.h"
#include "kernel/params.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "kernel/timer.h"
#include "lib/errno.h"
#include "lib/ratelimit.h"
#include "lib/string.h"
#include "net/arp.h"
#include "net/icmp.h"
#include "net/inet_sock.h"
#include "net/inet_timewait_sock.h"
#include "net/ip.h"
#include "net/snmp.h"
#include "net/socket.h"
#include "net/udp.h"
#include "tests/host/nettest.h"
#include "tests/host/platform.h"
#include "tests/host/tcp_script.h"

#define LOG_INTERVAL_NS	(5 * NSEC_PER_SEC)

/* How many console lines since the last reset contain @needle. */
static int lines_with(const char *needle)
{
	const char *p = host_console_output();
	int n = 0;

	while ((p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/* ---- lib/ratelimit.c ------------------------------------------------------ */

TestSuite(ratelimit, .init = host_platform_reset);

Test(ratelimit, one_call_per_interval_the_rest_counted)
{
	DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 1);

	host_clock_advance(123 * NSEC_PER_MSEC);
	cr_assert(__ratelimit(&rs));
	for (int i = 0; i < 10; i++)
		cr_assert_not(__ratelimit(&rs));
	cr_assert_eq(rs.missed, 10);
	host_clock_advance(LOG_INTERVAL_NS - NSEC_PER_MSEC);
	cr_assert_not(__ratelimit(&rs), "the interval is not over yet");
	host_clock_advance(NSEC_PER_MSEC);
	cr_assert(__ratelimit(&rs), "a new interval lets one through");
	cr_assert_eq(rs.missed, 0);
	cr_assert_not(__ratelimit(&rs));
}

Test(ratelimit, burst_lets_that_many_through)
{
	DEFINE_RATELIMIT_STATE(rs, HZ, 3);
	int passed = 0;

	for (int i = 0; i < 10; i++)
		passed += __ratelimit(&rs);
	cr_assert_eq(passed, 3);
	host_clock_advance(NSEC_PER_SEC);
	passed = 0;
	for (int i = 0; i < 10; i++)
		passed += __ratelimit(&rs);
	cr_assert_eq(passed, 3);
}

Test(ratelimit, pr_warn_ratelimited_prints_one_line_per_call_site)
{
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 50; i++) {
			pr_warn_ratelimited("limit A hit\n");
			pr_warn_ratelimited("limit B hit\n");
		}
		cr_assert_eq(lines_with("warning: limit A hit"), round + 1);
		cr_assert_eq(lines_with("warning: limit B hit"), round + 1);
		host_clock_advance(LOG_INTERVAL_NS);
	}
}

/* ---- the skb memory cap (net/skbuff.c) ------------------------------------ */

static void skb_setup(void)
{
	nettest_setup();
	inet_family_init();
	host_console_clear();
}

static void skb_teardown(void)
{
	skb_set_mem_limit(SKB_MEM_LIMIT_DEFAULT);
	nettest_teardown();
}

TestSuite(skb_limit, .init = skb_setup, .fini = skb_teardown);

static unsigned int truesize_of(unsigned int size)
{
	struct sk_buff *skb = alloc_skb(size);
	unsigned int t;

	cr_assert_not_null(skb);
	t = skb->truesize;
	consume_skb(skb);
	return t;
}

static u64 refused(void)
{
	return skb_drop_counts[SKB_DROP_REASON_SKB_MEM_LIMIT];
}

Test(skb_limit, alloc_is_refused_past_the_cap_counted_logged_and_resumes)
{
	unsigned int t = truesize_of(1000);
	u64 base = skb_live_bytes();
	struct sk_buff *held[3];

	skb_set_mem_limit(base + 3 * (u64)t);
	for (int i = 0; i < 3; i++)
		cr_assert_not_null(held[i] = alloc_skb(1000));
	cr_assert_eq(skb_live_bytes(), base + 3 * (u64)t);
	for (int i = 0; i < 100; i++)
		cr_assert_null(alloc_skb(1000), "past the cap");
	cr_assert_null(alloc_skb(0), "even an empty skb has a truesize");
	cr_assert_eq(refused(), 101);
	cr_assert_eq(skb_live_bytes(), base + 3 * (u64)t, "nothing half-made");
	cr_assert_eq(lines_with("skb memory limit"), 1, "%s",
		     host_console_output());
	host_clock_advance(LOG_INTERVAL_NS);
	cr_assert_null(alloc_skb(1000));
	cr_assert_eq(lines_with("skb memory limit"), 2, "one line per interval");
	consume_skb(held[0]);
	held[0] = alloc_skb(1000);
	cr_assert_not_null(held[0], "under the cap again: allocations succeed");
	for (int i = 0; i < 3; i++)
		consume_skb(held[i]);
	cr_assert_eq(skb_live_bytes(), base);
}

Test(skb_limit, a_clone_is_charged_its_truesize)
{
	struct sk_buff *skb = alloc_skb(1500), *c;

	cr_assert_not_null(skb);
	skb_set_mem_limit(skb_live_bytes() + skb->truesize - 1);
	cr_assert_null(skb_clone(skb));
	cr_assert_eq(refused(), 1);
	skb_set_mem_limit(skb_live_bytes() + skb->truesize);
	c = skb_clone(skb);
	cr_assert_not_null(c);
	consume_skb(c);
	consume_skb(skb);
}

/* An echo request from the peer; true when the stack answered it. */
static bool ping_answered(u16 seq)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP };
	u8 msg[64];
	struct sk_buff *skb;
	bool answered = false;

	nettest_inject_ip(&ip, msg, pkt_icmp(msg, ICMP_ECHO, 0, 1, seq, NULL, 0,
					     false), 0);
	while ((skb = fakedev_pop_tx(nt_dev))) {
		answered |= frame_type(skb) == ETH_P_IP;
		consume_skb(skb);
	}
	return answered;
}

Test(skb_limit, receive_buffers_are_counted_but_not_refused)
{
	struct sk_buff *skb;

	skb_set_mem_limit(skb_live_bytes());
	cr_assert_null(alloc_skb(100));
	skb = netdev_alloc_skb(nt_dev, 1514);
	cr_assert_not_null(skb, "a NIC must refill to receive what frees memory");
	cr_assert_gt(skb_live_bytes(), skb_get_mem_limit(), "counted all the same");
	cr_assert_null(alloc_skb(100));
	consume_skb(skb);
	cr_assert_eq(refused(), 2);
}

Test(skb_limit, the_receive_path_drops_when_the_reply_does_not_fit)
{
	cr_assert(ping_answered(1));
	skb_set_mem_limit(skb_live_bytes());	/* the request comes, no reply */
	cr_assert_not(ping_answered(2));
	cr_assert_eq(refused(), 1);
	cr_assert_eq(skb_live_count(), 0, "the request was freed");
	cr_assert_eq(lines_with("skb memory limit"), 1);
	skb_set_mem_limit(SKB_MEM_LIMIT_DEFAULT);
	cr_assert(ping_answered(3), "service resumes under the cap");
}

static int udp_send_to_peer(struct socket *s, const void *data, size_t len)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9),
				  .sin_addr.s_addr = nt_peer };
	struct kvec iov = { (void *)data, len };
	struct msghdr msg = { .msg_name = &to, .msg_namelen = sizeof(to) };

	iov_iter_kvec(&msg.msg_iter, WRITE, &iov, 1, len);
	return sock_sendmsg(s, &msg);
}

Test(skb_limit, a_udp_send_gets_enobufs_at_the_cap)
{
	struct socket *s;
	struct sk_buff *skb;
	char data[100] = "x";

	cr_assert_eq(sock_create(AF_INET, SOCK_DGRAM, 0, &s), 0);
	skb_set_mem_limit(skb_live_bytes());
	cr_assert_eq(udp_send_to_peer(s, data, sizeof(data)), -ENOBUFS);
	cr_assert_eq(udp_send_to_peer(s, data, sizeof(data)), -ENOBUFS);
	cr_assert_eq(refused(), 2);
	cr_assert_eq(fakedev_tx_len(nt_dev), 0);
	cr_assert_eq(lines_with("skb memory limit"), 1);
	skb_set_mem_limit(SKB_MEM_LIMIT_DEFAULT);
	cr_assert_eq(udp_send_to_peer(s, data, sizeof(data)), (int)sizeof(data));
	skb = nettest_tx();
	cr_assert_eq(tx_iph(skb)->protocol, IPPROTO_UDP);
	sock_release(s);
}

/* ---- the TIME_WAIT cap (net/inet_timewait_sock.c) ------------------------- */

static void tw_setup(void)
{
	ts_setup(1000);
	inet_family_init();
	host_console_clear();
}

static void tw_teardown(void)
{
	inet_twsk_set_max_buckets(TCP_MAX_TW_BUCKETS_DEFAULT);
	ts_assert_no_leaks();
}

TestSuite(tw_limit, .init = tw_setup, .fini = tw_teardown);

/* A connection from peer port @port that the stack accepts and closes first. */
static void close_from_stack(struct socket *l, u16 port)
{
	struct socket *c;
	struct ts_seg seg;

	ts.peer_port = port;
	ts.stack_isn_known = false;
	ts_inject(TCPHDR_SYN, 0, 0, NULL, 0, 8192, NULL);
	ts_next(&seg);
	cr_assert_eq(seg.flags, TCPHDR_SYN | TCPHDR_ACK);
	ts_inject(TCPHDR_ACK, 1, 1, NULL, 0, 8192, NULL);
	c = ts_accept(l);
	cr_assert_not_null(c);
	sock_release(c);
	ts_expect(TCPHDR_FIN | TCPHDR_ACK, 1, 1, 0, NULL);
	ts_inject(TCPHDR_FIN | TCPHDR_ACK, 1, 2, NULL, 0, 8192, NULL);
	ts_expect(TCPHDR_ACK, 2, 2, 0, NULL);
}

Test(tw_limit, past_the_cap_a_socket_closes_without_time_wait)
{
	struct socket *l = ts_listen(TS_STACK_PORT, 8);
	struct ts_seg seg;

	inet_twsk_set_max_buckets(2);
	close_from_stack(l, 1001);
	close_from_stack(l, 1002);
	cr_assert_eq(inet_twsk_live_count(), 2);
	cr_assert_eq(snmp_get("Tcp", "TCPTimeWaitOverflow"), 0);
	for (u16 p = 1003; p < 1013; p++)
		close_from_stack(l, p);
	cr_assert_eq(inet_twsk_live_count(), 2, "the cap holds");
	cr_assert_eq(snmp_get("Tcp", "TCPTimeWaitOverflow"), 10);
	cr_assert_eq(lines_with("time wait bucket table overflow"), 1, "%s",
		     host_console_output());
	cr_assert_eq(tcp_live_objects(), 1 + 2, "the listener and two timewait socks");
	/* A late FIN retransmission for a 4-tuple without TIME_WAIT: reset. */
	ts.peer_port = 1005;
	ts_inject(TCPHDR_FIN | TCPHDR_ACK, 1, 2, NULL, 0, 8192, NULL);
	ts_next(&seg);
	cr_assert_eq(seg.flags, TCPHDR_RST);
	ts_run_ms(1100);		/* the two timewait socks expire */
	cr_assert_eq(inet_twsk_live_count(), 0);
	close_from_stack(l, 1013);
	cr_assert_eq(inet_twsk_live_count(), 1, "under the cap TIME_WAIT again");
	ts_run_ms(1100);
	cr_assert_eq(inet_twsk_live_count(), 0);
	sock_release(l);
	ts_expect_none();
}

Test(tw_limit, a_cap_of_zero_means_no_time_wait_at_all)
{
	struct socket *l = ts_listen(TS_STACK_PORT, 8);

	inet_twsk_set_max_buckets(0);
	close_from_stack(l, 2001);
	cr_assert_eq(inet_twsk_live_count(), 0);
	cr_assert_eq(snmp_get("Tcp", "TCPTimeWaitOverflow"), 1);
	sock_release(l);
	ts_expect_none();
}

/* ---- TCP under the skb memory cap ---------------------------------------- */

static void tcp_cap_teardown(void)
{
	skb_set_mem_limit(SKB_MEM_LIMIT_DEFAULT);
	ts_assert_no_leaks();
}

TestSuite(tcp_skb_limit, .init = tw_setup, .fini = tcp_cap_teardown);

static u8 payload[1000];

static void reset_conn(struct socket *s, u32 rcv)
{
	struct ts_seg seg;

	while (ts_pending())
		ts_next(&seg);
	ts_inject(TCPHDR_RST, rcv, 0, NULL, 0, 0, NULL);
	sock_release(s);
	ts_expect_none();
}

/* A non-blocking sender hears of it at once (net/tcp.c, tcp_sendmsg, says why). */
Test(tcp_skb_limit, a_nonblocking_send_past_the_cap_gets_enobufs_then_goes_out)
{
	struct socket *s = ts_active_open(&(struct ts_opts){ .mss = 1460 }, 65535);

	cr_assert_eq(ts_setsockopt_int(s, SOL_TCP, TCP_NODELAY, 1), 0);
	skb_set_mem_limit(skb_live_bytes());
	cr_assert_eq(ts_send(s, payload, 100), -ENOBUFS);
	cr_assert_eq(refused(), 1);
	ts_expect_none();
	skb_set_mem_limit(SKB_MEM_LIMIT_DEFAULT);
	cr_assert_eq(ts_send(s, payload, 100), 100);
	ts_expect(TCPHDR_ACK | TCPHDR_PSH, 1, 1, 100, NULL);
	ts_inject(TCPHDR_ACK, 1, 101, NULL, 0, 65535, NULL);
	reset_conn(s, 1);
}

static void lift_the_cap(struct timer_list *t)
{
	(void)t;
	skb_set_mem_limit(SKB_MEM_LIMIT_DEFAULT);
}

/* As Linux (sk_stream_wait_memory's vm_wait): a blocking sender waits for memory. */
Test(tcp_skb_limit, a_blocking_send_past_the_cap_waits_for_memory)
{
	struct socket *s = ts_active_open(&(struct ts_opts){ .mss = 1460 }, 65535);
	struct kvec iov = { payload, 100 };
	struct msghdr msg = { 0 };
	struct timer_list lift;
	u64 start;

	cr_assert_eq(ts_setsockopt_int(s, SOL_TCP, TCP_NODELAY, 1), 0);
	skb_set_mem_limit(skb_live_bytes());
	timer_setup(&lift, lift_the_cap, 0);
	start = jiffies;
	mod_timer(&lift, start + msecs_to_jiffies(500));
	iov_iter_kvec(&msg.msg_iter, WRITE, &iov, 1, 100);
	cr_assert_eq(sock_sendmsg(s, &msg), 100, "the whole write, once memory came back");
	cr_assert_geq(jiffies - start, msecs_to_jiffies(500), "not before the cap was lifted");
	cr_assert_geq(refused(), 1);
	ts_expect(TCPHDR_ACK | TCPHDR_PSH, 1, 1, 100, NULL);
	ts_inject(TCPHDR_ACK, 1, 101, NULL, 0, 65535, NULL);
	del_timer(&lift);
	reset_conn(s, 1);
}

Test(tcp_skb_limit, a_refused_transmit_is_retried_under_the_cap)
{
	struct socket *s = ts_active_open(&(struct ts_opts){ .mss = 1460 }, 65535);
	struct sk_buff *probe = alloc_skb(MAX_HEADER + 60 + 1460);
	u64 queue_skb;

	cr_assert_not_null(probe);
	queue_skb = probe->truesize;	/* what the write queue takes */
	consume_skb(probe);
	cr_assert_eq(ts_setsockopt_int(s, SOL_TCP, TCP_NODELAY, 1), 0);
	skb_set_mem_limit(skb_live_bytes() + queue_skb);
	cr_assert_eq(ts_send(s, payload, 100), 100, "queued");
	ts_expect_none();		/* the copy to transmit was refused */
	cr_assert_eq(refused(), 1);
	skb_set_mem_limit(SKB_MEM_LIMIT_DEFAULT);
	ts_run_ms(3000);
	ts_expect(TCPHDR_ACK | TCPHDR_PSH, 1, 1, 100, NULL);
	ts_inject(TCPHDR_ACK, 1, 101, NULL, 0, 65535, NULL);
	reset_conn(s, 1);
}

/* ---- per-connection buffers (net/tcp_input.c) ---------------------------- */

Test(tcp_skb_limit, a_full_out_of_order_queue_drops_counts_and_logs_once)
{
	struct socket *s = ts_active_open(&(struct ts_opts){ .mss = 1460 }, 65535);
	static u8 big[1400];
	struct ts_seg seg;
	u64 ofo;
	int got = 0, n;
	char buf[2000];

	/*
	 * One-byte segments with a byte missing before each: each waits in
	 * the out-of-order queue with a whole skb's truesize (about 300
	 * bytes), so 999 of them pass the 212992-byte receive buffer well
	 * within the window.
	 */
	for (u32 i = 1; i < 1000; i++) {
		ts_inject(TCPHDR_ACK, 1 + 2 * i, 1, payload, 1, 65535, NULL);
		while (ts_pending())
			ts_next(&seg);
	}
	ofo = snmp_get("Tcp", "TCPOFODrop");
	cr_assert_gt(ofo, 0, "the out-of-order queue never filled");
	cr_assert_lt(ofo, 999);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_TCP_OFO_DROP], ofo);
	cr_assert_eq(lines_with("out-of-order queue of port"), 1, "%s",
		     host_console_output());
	/* The gaps filled at once: the queue empties, the reader gets it all. */
	ts_inject(TCPHDR_ACK, 1, 1, big, sizeof(big), 65535, NULL);
	ts_inject(TCPHDR_ACK, 1 + sizeof(big), 1, big, sizeof(big), 65535, NULL);
	cr_assert(skb_queue_empty(&tcp_sk(s->sk)->out_of_order_queue));
	while ((n = ts_recv(s, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		got += n;
	cr_assert_eq(got, 2 * (int)sizeof(big));
	reset_conn(s, 1 + 2 * sizeof(big));
}

/* ---- the listen queues (net/tcp_ipv4.c, net/syncookies.c) ----------------- */

/* A SYN from @port; true when the stack answered it (then *@seg is that). */
static bool syn_answered(u16 port, struct ts_seg *seg)
{
	ts.peer_port = port;
	ts.stack_isn_known = false;
	ts_inject(TCPHDR_SYN, 0, 0, NULL, 0, 8192, NULL);
	if (!ts_pending())
		return false;
	ts_next(seg);
	cr_assert_eq(seg->flags, TCPHDR_SYN | TCPHDR_ACK);
	return true;
}

Test(tw_limit, accept_and_syn_queue_limits_are_counted_and_logged_once)
{
	struct socket *l = ts_listen(TS_STACK_PORT, 1), *c[20];
	struct ts_seg seg;
	int done = 0;

	for (u16 p = 3000; p < 3020; p++)
		if (syn_answered(p, &seg)) {	/* completed at once */
			ts_inject(TCPHDR_ACK, 1, 1, NULL, 0, 8192, NULL);
			done++;
		}
	cr_assert(done >= 1 && done <= 2, "backlog 1 accepted %d", done);
	cr_assert_eq(snmp_get("Tcp", "ListenOverflows"), (u64)(20 - done));
	cr_assert_eq(lines_with("accept queue of port 8080 full"), 1, "%s",
		     host_console_output());
	for (int i = 0; i < done; i++)
		cr_assert_not_null(c[i] = ts_accept(l));
	/* Room in the accept queue again; the SYN queue of 1 then fills. */
	cr_assert(syn_answered(3100, &seg), "service resumes");
	for (u16 p = 3101; p < 3120; p++)
		cr_assert(syn_answered(p, &seg), "a cookie answers");
	cr_assert_eq(snmp_get("Tcp", "SyncookiesSent"), 19);
	cr_assert_eq(lines_with("possible SYN flooding on port 8080"), 1, "%s",
		     host_console_output());
	sock_release(l);
	for (int i = 0; i < done; i++) {
		ts.peer_port = ntohs(inet_sk(c[i]->sk)->inet_dport);
		sock_release(c[i]);
		while (ts_pending())
			ts_next(&seg);
		ts_inject_abs(TCPHDR_RST, ts.peer_isn + 1, 0, NULL, 0, 0, NULL);
	}
	ts_expect_none();
}

/* ---- socket buffers, ARP queue, reassembly (one stack) -------------------- */

static void net_setup(void)
{
	nettest_setup();
	inet_family_init();
	host_console_clear();
}

TestSuite(net_limits, .init = net_setup, .fini = nettest_teardown);

static void inject_udp(u16 dport, const void *data, unsigned int len)
{
	struct pkt_ip ip = { .protocol = IPPROTO_UDP };
	u8 dgram[1600];

	nettest_inject_ip(&ip, dgram, pkt_udp(dgram, nt_peer, nt_ours, 5000, dport,
					      data, len, -1, 0), 0);
}

Test(net_limits, a_full_receive_buffer_drops_counts_and_logs_once)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(7) };
	int small = 1, queued, n;
	struct socket *s;
	char data[1000] = "d", buf[1000];
	struct kvec iov = { buf, sizeof(buf) };
	struct msghdr msg = { 0 };

	cr_assert_eq(sock_create(AF_INET, SOCK_DGRAM, 0, &s), 0);
	cr_assert_eq(s->ops->bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	s->ops->setsockopt(s, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	for (int i = 0; i < 20; i++)
		inject_udp(7, data, sizeof(data));
	queued = (int)skb_queue_len(&s->sk->sk_receive_queue);
	cr_assert(queued > 0 && queued < 20, "queued %d", queued);
	cr_assert_eq(s->sk->sk_drops, 20 - queued);
	cr_assert_eq(snmp_get("Udp", "RcvbufErrors"), (u64)(20 - queued));
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_SOCKET_RCVBUFF],
		     (u64)(20 - queued));
	cr_assert_eq(lines_with("receive buffer of port 7 full"), 1, "%s",
		     host_console_output());
	while (queued--) {
		iov_iter_kvec(&msg.msg_iter, READ, &iov, 1, sizeof(buf));
		cr_assert_eq(sock_recvmsg(s, &msg, MSG_DONTWAIT), (int)sizeof(data));
	}
	inject_udp(7, data, sizeof(data));
	cr_assert_eq(skb_queue_len(&s->sk->sk_receive_queue), 1, "room again");
	host_clock_advance(LOG_INTERVAL_NS);
	for (int i = 0; i < 20; i++)
		inject_udp(7, data, sizeof(data));
	cr_assert_eq(lines_with("receive buffer of port 7 full"), 2);
	n = (int)skb_queue_len(&s->sk->sk_receive_queue);
	cr_assert(n > 0);
	sock_release(s);
}

Test(net_limits, the_arp_queue_drops_the_oldest_counts_and_logs_once)
{
	__be32 silent = ip4(10, 0, 0, 3);
	u8 tag = 0;

	for (int i = 0; i < ARP_QUEUE_MAX + 12; i++)
		cr_assert_eq(udp_send(0, silent, 1000, 2000, &tag, 1), 0);
	cr_assert_eq(snmp_get("Arp", "QueueDrops"), 12);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_ARP_QUEUE_FULL], 12);
	cr_assert_eq(lines_with("packets wait for 10.0.0.3 already"), 1, "%s",
		     host_console_output());
	fakedev_flush_tx(nt_dev);
}

static void frag_piece(u16 id, unsigned int off, bool more)
{
	static u8 payload[1480];
	struct pkt_ip ip = { .protocol = IPPROTO_UDP, .id = id };

	ip.frag_off = (u16)(off / 8) | (more ? IP_MF : 0);
	nettest_inject_ip(&ip, payload, sizeof(payload), 0);
}

Test(net_limits, reassembly_queue_count_is_bounded_counted_and_logged_once)
{
	for (u16 id = 1; id <= IPFRAG_MAX_QUEUES + 20; id++)
		frag_piece(id, 0, true);
	cr_assert_eq(net_current()->ipv4.frag_count, IPFRAG_MAX_QUEUES);
	cr_assert_eq(snmp_get("Ip", "ReasmFails"), 20);
	cr_assert_eq(lines_with("reassembly queues in use"), 1, "%s",
		     host_console_output());
	host_clock_advance((IPFRAG_TIMEOUT_MS + 1) * NSEC_PER_MSEC);
	cr_assert_eq(net_current()->ipv4.frag_count, 0, "all expired");
	frag_piece(500, 0, true);
	frag_piece(500, 1480, false);
	cr_assert_eq(snmp_get("Ip", "ReasmOKs"), 1, "service resumes");
	fakedev_flush_tx(nt_dev);
}

Test(net_limits, reassembly_memory_is_bounded_counted_and_logged_once)
{
	for (u16 id = 1; id <= 8; id++)
		for (unsigned int off = 0; off < 40 * 1480; off += 1480)
			frag_piece(id, off, true);
	cr_assert_leq(net_current()->ipv4.frag_mem, IPFRAG_HIGH_THRESH);
	cr_assert_lt(net_current()->ipv4.frag_count, 8, "later datagrams refused");
	cr_assert_geq(snmp_get("Ip", "ReasmFails"), 1);
	cr_assert_eq(lines_with("reassembly memory limit"), 1, "%s",
		     host_console_output());
	host_clock_advance((IPFRAG_TIMEOUT_MS + 1) * NSEC_PER_MSEC);
	cr_assert_eq(net_current()->ipv4.frag_mem, 0);
	frag_piece(500, 0, true);
	frag_piece(500, 1480, false);
	cr_assert_eq(snmp_get("Ip", "ReasmOKs"), 1, "service resumes");
	fakedev_flush_tx(nt_dev);
}

/* ---- files per program (kernel/fdtable.c) --------------------------------- */

static struct user_proc proc;

static void fd_setup(void)
{
	host_platform_reset();
	rlimits_init(proc.rlim);
	current->proc = &proc;
	current->files = files_alloc();
	cr_assert_not_null(current->files);
}

static void fd_teardown(void)
{
	files_release(current->files);
	current->files = NULL;
	current->proc = NULL;
}

TestSuite(fd_limit, .init = fd_setup, .fini = fd_teardown);

static const struct file_operations plain_fops = { 0 };

static int install(void)
{
	struct file *f = alloc_file(&plain_fops, O_RDWR, NULL);
	int fd = fd_install_from(current->files, f, 0, false);

	if (fd < 0)
		fput(f);
	return fd;
}

Test(fd_limit, rlimit_nofile_refusals_are_counted_and_logged_once)
{
	u64 before = files_emfile_count();

	proc.rlim[RLIMIT_NOFILE].rlim_cur = 8;
	for (int i = 0; i < 8; i++)
		cr_assert_eq(install(), i);
	for (int i = 0; i < 30; i++)
		cr_assert_eq(install(), -EMFILE);
	cr_assert_eq(files_emfile_count() - before, 30);
	cr_assert_eq(lines_with("RLIMIT_NOFILE of 8 files reached"), 1, "%s",
		     host_console_output());
	cr_assert_eq(sys_close(3), 0);
	cr_assert_eq(install(), 3, "a closed fd makes room");
}

/* ---- the command-line keys (kernel/params.c) ------------------------------ */

static char reports[512];

static void collect(const char *msg)
{
	strncat(reports, msg, sizeof(reports) - strlen(reports) - 2);
	strcat(reports, "\n");
}

Test(limit_params, sizes_and_counts_are_parsed)
{
	struct kernel_params kp;

	cr_assert_eq(kernel_params_parse(&kp, "quiet", collect), 0);
	cr_assert_eq(kp.skb_mem, 0, "not given: sized from RAM");
	cr_assert_eq(kp.tw_max, -1, "not given: scaled with RAM");
	cr_assert_eq(kernel_params_parse(&kp, "skb_mem=64M tcp_max_tw_buckets=0",
					 collect), 0);
	cr_assert_eq(kp.skb_mem, 64ULL << 20);
	cr_assert_eq(kp.tw_max, 0);
	cr_assert_eq(kernel_params_parse(&kp, "skb_mem=2g tcp_max_tw_buckets=100000",
					 collect), 0);
	cr_assert_eq(kp.skb_mem, 2ULL << 30);
	cr_assert_eq(kp.tw_max, 100000);
	cr_assert_eq(kernel_params_parse(&kp, "skb_mem=3145728", collect), 0);
	cr_assert_eq(kp.skb_mem, 3ULL << 20);
	cr_assert_str_empty(reports);
}

Test(limit_params, bad_values_are_reported_and_keep_the_default)
{
	struct kernel_params kp;
	const char *bad[] = { "skb_mem=", "skb_mem=M", "skb_mem=12", "skb_mem=1T",
			      "skb_mem=-5M", "skb_mem=99999999999999999999G",
			      "skb_mem=1023K", "tcp_max_tw_buckets=-1",
			      "tcp_max_tw_buckets=lots", "tcp_max_tw_buckets=",
			      "tcp_max_tw_buckets=4294967296" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reports[0] = '\0';
		cr_assert_eq(kernel_params_parse(&kp, bad[i], collect), 1, "%s", bad[i]);
		cr_assert(strstr(reports, bad[i]), "%s: %s", bad[i], reports);
		cr_assert_eq(kp.skb_mem, 0, "%s", bad[i]);
		cr_assert_eq(kp.tw_max, -1, "%s", bad[i]);
	}
}
