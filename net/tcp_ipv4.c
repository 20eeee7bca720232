/*
 * TCP over IPv4 (Linux net/ipv4/tcp_ipv4.c): the receive entry point,
 * active open, passive open's first step, ICMP errors, and RFC 6528
 * initial sequence numbers.
 *   ip_local_deliver -> tcp_v4_rcv -> __inet_lookup_skb -> tcp_v4_do_rcv
 *   (or sk_add_backlog while the user owns the sock) -> tcp_rcv_state_process.
 */
#include "net/trace.h"
#include "net/tcp.h"
#include "kernel/random.h"
#include "lib/errno.h"
#include "net/checksum.h"
#include "net/icmp.h"
#include "net/inet_hashtables.h"
#include "net/inet_timewait_sock.h"
#include "net/net_namespace.h"
#include "net/dev.h"
#include "net/route.h"
#include "lib/siphash.h"

static siphash_key_t isn_secret;
static bool isn_ready;

/*
 * RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport,
 * secretkey), M a 4 µs-ish clock (Linux: 64 ns units), F a keyed
 * cryptographic function: SipHash-2-4 with a secret drawn at first use.
 */
u32 secure_tcp_seq(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport)
{
	struct {
		__be32 saddr, daddr;
		__be16 sport, dport;
	} __packed tuple = { saddr, daddr, sport, dport };

	if (!isn_ready) {
		get_random_bytes(&isn_secret, sizeof(isn_secret));
		isn_ready = true;
	}
	return (u32)siphash(&tuple, sizeof(tuple), &isn_secret) +
	       (u32)((u64)ktime_get() >> 6);
}

/**
 * tcp_v4_connect - connect(): route, source address, local port and the
 * established hash (before the SYN leaves, seed 004 §2.1), then the SYN.
 */
int tcp_v4_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *usin = (struct sockaddr_in *)uaddr;
	struct inet_sock *inet = inet_sk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct rtable rt;
	int err;

	if (addr_len < (int)sizeof(*usin))
		return -EINVAL;
	if (usin->sin_family != AF_INET)
		return -EAFNOSUPPORT;
	if (ip_route_output(usin->sin_addr.s_addr, inet->inet_saddr, &rt))
		return -ENETUNREACH;
	if (!inet->inet_saddr)
		inet->inet_saddr = rt.saddr;
	if (!inet->inet_rcv_saddr)
		inet->inet_rcv_saddr = inet->inet_saddr;
	inet->inet_dport = usin->sin_port;
	inet->inet_daddr = usin->sin_addr.s_addr;
	tcp_set_state(sk, TCP_SYN_SENT);
	err = inet_hash_connect(sk);
	if (err)
		goto failure;
	inet->inet_sport = htons(inet->inet_num);
	tp->isn = secure_tcp_seq(inet->inet_saddr, inet->inet_daddr,
				 inet->inet_sport, inet->inet_dport);
	tp->write_seq = tp->isn;
	inet_csk(sk)->icsk_pmtu_cookie = (u16)min_t(u32, rt.dev ? rt.dev->mtu : 1500,
						    65535);
	err = tcp_connect(sk);
	if (err)
		goto failure;
	return 0;
failure:
	tcp_set_state(sk, TCP_CLOSE);
	inet->inet_dport = 0;
	inet->inet_daddr = 0;
	return err;
}

static struct request_sock *tcp_v4_init_req(struct sock *sk,
					    const struct sk_buff *skb)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct tcp_options_received opt = { 0 };
	struct request_sock *req = inet_reqsk_alloc(sk);
	u32 wnd;
	u8 ws;

	if (!req)
		return NULL;
	tcp_parse_options(skb, &opt);
	req->ir_loc_addr = ip_hdr(skb)->daddr;
	req->ir_rmt_addr = ip_hdr(skb)->saddr;
	req->ir_rmt_port = tcp_hdr(skb)->source;
	req->ir_num = ntohs(tcp_hdr(skb)->dest);
	req->rcv_isn = tcb->seq;
	req->snt_isn = secure_tcp_seq(req->ir_loc_addr, req->ir_rmt_addr,
				      tcp_hdr(skb)->dest, req->ir_rmt_port);
	req->mss = opt.mss_clamp ? opt.mss_clamp : TCP_MSS_DEFAULT;
	req->wscale_ok = opt.wscale_ok;
	req->snd_wscale = opt.snd_wscale;
	req->tstamp_ok = opt.saw_tstamp && sock_net(sk)->ipv4.sysctl_tcp_timestamps;
	req->sack_ok = opt.sack_ok;
	req->ts_recent = opt.rcv_tsval;
	tcp_select_initial_window(sk->sk_rcvbuf / 2,
				  tcp_mss_for_route(req->ir_rmt_addr), &wnd, &ws);
	req->rcv_wnd = wnd;
	req->rcv_wscale = opt.wscale_ok ? ws : 0;
	return req;
}

/* SYN queue full: answer with a SYN cookie and keep nothing (RFC 4987 §3.6). */
static int tcp_v4_send_cookie(struct sock *sk, struct sk_buff *skb)
{
	struct request_sock *req = tcp_v4_init_req(sk, skb);

	if (!req) {
		TCP_INC_STATS(TCP_MIB_LISTENDROPS);
		return -ENOMEM;
	}
	req->snt_isn = cookie_v4_init_sequence(skb, &req->mss);
	req->wscale_ok = 0;
	req->rcv_wscale = 0;
	req->tstamp_ok = 0;
	req->sack_ok = 0;
	req->rcv_wnd = TCP_MAX_WINDOW;
	inet_csk(sk)->icsk_accept_queue.last_overflow = jiffies ? jiffies : 1;
	tcp_send_synack(sk, req);
	reqsk_free(req);
	return 0;
}

/**
 * tcp_v4_conn_request - a SYN for a listener (RFC 9293 §3.10.7.2): a
 * request sock on its SYN queue and our SYN-ACK; a SYN cookie when the
 * SYN queue is full. Dropped and counted when the accept queue is full
 * (the peer's SYN retransmission tries again).
 */
int tcp_v4_conn_request(struct sock *sk, struct sk_buff *skb)
{
	struct request_sock *req;

	if (sk_acceptq_is_full(sk)) {
		TCP_INC_STATS(TCP_MIB_LISTENOVERFLOWS);
		TCP_INC_STATS(TCP_MIB_LISTENDROPS);
		return -ENOBUFS;
	}
	if (inet_csk_reqsk_queue_is_full(sk))
		return tcp_v4_send_cookie(sk, skb);
	req = tcp_v4_init_req(sk, skb);
	if (!req) {
		TCP_INC_STATS(TCP_MIB_LISTENDROPS);
		return -ENOMEM;
	}
	tcp_send_synack(sk, req);
	inet_csk_reqsk_queue_hash_add(sk, req, TCP_TIMEOUT_INIT);
	return 0;
}

/* Process a segment for @sk now (the user does not own it). Consumes @skb. */
int tcp_v4_do_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct request_sock *req;
	struct sock *child;
	bool cookie;

	if (sk->sk_state == TCP_LISTEN) {
		req = inet_csk_search_req(sk, tcp_hdr(skb)->source,
					  ip_hdr(skb)->saddr, ip_hdr(skb)->daddr);
		cookie = !req;
		if (!req)
			req = cookie_v4_check(sk, skb);
		if (req) {
			child = tcp_check_req(sk, skb, req);
			if (!child && cookie)
				inet_csk_reqsk_queue_drop(sk, req);
			if (!child)
				goto discard;
			return tcp_rcv_state_process(child, skb);
		}
	}
	return tcp_rcv_state_process(sk, skb);
discard:
	kfree_skb(skb);
	return 0;
}

/* Parse the header into TCP_SKB_CB and pull it: data at the payload. */
static bool tcp_v4_fill_cb(struct sk_buff *skb)
{
	const struct tcphdr *th = (const struct tcphdr *)skb->data;
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	unsigned int hlen;

	if (!pskb_may_pull(skb, sizeof(*th)))
		return false;
	hlen = th->doff * 4u;
	if (hlen < sizeof(*th) || !pskb_may_pull(skb, hlen))
		return false;
	skb_reset_transport_header(skb);
	tcb->seq = ntohl(th->seq);
	tcb->ack_seq = ntohl(th->ack_seq);
	tcb->tcp_flags = th->flags;
	tcb->retrans = 0;
	tcb->sacked = 0;
	skb_pull(skb, hlen);
	tcb->end_seq = tcb->seq + skb->len + !!(th->flags & TCPHDR_SYN) +
		       !!(th->flags & TCPHDR_FIN);
	return true;
}

static bool tcp_v4_csum_ok(const struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (skb->ip_summed == CHECKSUM_UNNECESSARY)
		return true;
	return !csum_fold(csum_tcpudp_nofold(iph->saddr, iph->daddr, skb->len,
					     IPPROTO_TCP,
					     csum_partial(skb->data, skb->len, 0)));
}

/* A valid new SYN on a TIME_WAIT 4-tuple goes on to the listener. */
static struct sock *tcp_v4_tw_listener(struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);

	TCP_INC_STATS(TCP_MIB_TIMEWAITRECYCLED);
	return __inet_lookup_listener(iph->saddr, th->source, iph->daddr,
				      ntohs(th->dest));
}

/**
 * tcp_v4_rcv - every arriving TCP segment (seed 004 §3.4.1): validate,
 * look up established then listening socks, and deliver or queue on the
 * backlog. No sock: a reset (RFC 9293 §3.10.7.1).
 */
int tcp_v4_rcv(struct sk_buff *skb)
{
	enum skb_drop_reason reason = SKB_DROP_REASON_TCP_HDR;
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th;
	struct sock *sk;

	net_trace(skb);
	TCP_INC_STATS(TCP_MIB_INSEGS);
	if (skb->pkt_type != PACKET_HOST && skb->pkt_type != PACKET_LOOPBACK)
		goto drop;
	if (skb->len < sizeof(struct tcphdr))
		goto bad;
	if (!tcp_v4_csum_ok(skb)) {
		TCP_INC_STATS(TCP_MIB_INCSUMERRORS);
		reason = SKB_DROP_REASON_TCP_CSUM;
		goto bad;
	}
	if (!tcp_v4_fill_cb(skb))
		goto bad;
	th = tcp_hdr(skb);
	sk = __inet_lookup(iph->saddr, th->source, iph->daddr, ntohs(th->dest));
	if (sk && sk->sk_state == TCP_TIME_WAIT) {
		reason = SKB_CONSUMED;
		if (!tcp_timewait_state_process(inet_twsk(sk), skb))
			goto drop;
		sk = tcp_v4_tw_listener(skb);
	}
	if (!sk)
		goto no_tcp_socket;
	sock_hold(sk);
	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk)) {
		tcp_v4_do_rcv(sk, skb);
	} else if (sk_add_backlog(sk, skb, (unsigned int)(sk->sk_rcvbuf +
							  sk->sk_sndbuf))) {
		bh_unlock_sock(sk);
		sock_put(sk);
		reason = SKB_DROP_REASON_SOCKET_RCVBUFF;
		goto drop;
	}
	bh_unlock_sock(sk);
	sock_put(sk);
	return 0;
no_tcp_socket:
	tcp_v4_send_reset(skb);
	reason = SKB_DROP_REASON_NO_SOCKET;
	goto drop;
bad:
	TCP_INC_STATS(TCP_MIB_INERRS);
drop:
	kfree_skb_reason(skb, reason);
	return NET_RX_DROP;
}

/* ICMP fragmentation needed (RFC 1191): the MSS follows the smaller MTU, floored. */
static void tcp_v4_mtu_reduced(struct sock *sk, u32 mtu)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);

	mtu = max(mtu, 552U);	/* Linux's ip_rt_min_pmtu */
	if (inet_csk(sk)->icsk_pmtu_cookie && mtu >= inet_csk(sk)->icsk_pmtu_cookie)
		return;
	tcp_sync_mss(sk, mtu);
	if (!head || !tp->packets_out)
		return;
	tp->packets_out = 0;	/* send it all again, cut to the new size */
	tp->retrans_out = 0;
	tp->send_head = head;
	tcp_write_xmit(sk, TCP_NAGLE_OFF);
}

/**
 * tcp_v4_err - an ICMP error quoting one of our segments (RFC 5927: only
 * if its sequence number is in flight). Hard errors abort a connection
 * still opening; otherwise they are soft (reported on timeout).
 */
void tcp_v4_err(struct sk_buff *skb, int type, int code, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct tcphdr *th = (const struct tcphdr *)(skb->data + iph->ihl * 4u);
	struct sock *sk;
	struct tcp_sock *tp;
	u32 seq = ntohl(th->seq);
	int err;

	sk = __inet_lookup_established(iph->daddr, th->dest, iph->saddr,
				       ntohs(th->source));
	if (!sk || sk->sk_state == TCP_TIME_WAIT || sk->sk_state == TCP_LISTEN)
		return;
	tp = tcp_sk(sk);
	if (!between(seq, tp->snd_una, tp->snd_nxt) || sock_owned_by_user(sk))
		return;
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED) {
		tcp_v4_mtu_reduced(sk, info & 0xffff);
		return;
	}
	err = icmp_err_to_errno(type, code);
	if (sk->sk_state == TCP_SYN_SENT && type == ICMP_DEST_UNREACH &&
	    (code == ICMP_PORT_UNREACH || code == ICMP_PROT_UNREACH)) {
		sk->sk_err = err;
		sk->sk_error_report(sk);
		tcp_done(sk);
		return;
	}
	sk->sk_err_soft = err;
}
