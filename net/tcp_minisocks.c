/*
 * The small socks (Linux net/ipv4/tcp_minisocks.c): a request sock's
 * handshake completing into a full child sock (inserted into the
 * established hash there, inet_csk_complete_hashdance in seed 004 §2.4),
 * and the timewait sock that replaces a closed connection.
 */
#include "net/tcp.h"
#include "lib/errno.h"
#include "lib/ratelimit.h"
#include "net/inet_hashtables.h"
#include "net/inet_timewait_sock.h"
#include "net/net_namespace.h"

/* The child inherits what the user set on the listener. */
static void tcp_inherit_from_listener(struct sock *newsk, const struct sock *sk)
{
	struct tcp_sock *ntp = tcp_sk(newsk);
	const struct tcp_sock *tp = tcp_sk(sk);

	newsk->sk_rcvbuf = sk->sk_rcvbuf;
	newsk->sk_sndbuf = sk->sk_sndbuf;
	newsk->sk_userlocks = sk->sk_userlocks & ~SOCK_BINDPORT_LOCK;
	newsk->sk_rcvtimeo = sk->sk_rcvtimeo;
	newsk->sk_sndtimeo = sk->sk_sndtimeo;
	newsk->sk_rcvlowat = sk->sk_rcvlowat;
	newsk->sk_flags = sk->sk_flags & (1UL << SOCK_KEEPOPEN);
	newsk->sk_type = sk->sk_type;
	newsk->sk_protocol = sk->sk_protocol;
	newsk->sk_reuse = sk->sk_reuse;
	ntp->nonagle = tp->nonagle;
	ntp->keepalive_time = tp->keepalive_time;
	ntp->keepalive_intvl = tp->keepalive_intvl;
	ntp->keepalive_probes = tp->keepalive_probes;
	ntp->linger2 = tp->linger2;
	ntp->syn_retries = tp->syn_retries;
	inet_csk(newsk)->icsk_ca_ops = inet_csk(sk)->icsk_ca_ops;
}

/**
 * tcp_create_openreq_child - the full sock for a completed handshake, in
 * SYN-RECEIVED: tcp_rcv_state_process then takes the ACK and moves it on.
 */
struct sock *tcp_create_openreq_child(const struct sock *sk,
				      struct request_sock *req,
				      struct sk_buff *skb)
{
	struct sock *newsk = sk_alloc(PF_INET, sk->sk_prot, 0);
	struct inet_sock *inet;
	struct tcp_sock *tp;

	(void)skb;
	if (!newsk)
		return NULL;
	sock_init_data(NULL, newsk);
	newsk->sk_backlog_rcv = tcp_v4_do_rcv;
	tcp_init_sock(newsk);
	tcp_inherit_from_listener(newsk, sk);
	inet = inet_sk(newsk);
	tp = tcp_sk(newsk);
	inet->inet_daddr = req->ir_rmt_addr;
	inet->inet_dport = req->ir_rmt_port;
	inet->inet_rcv_saddr = inet->inet_saddr = req->ir_loc_addr;
	inet->inet_num = req->ir_num;
	inet->inet_sport = htons(req->ir_num);
	inet->uc_ttl = -1;
	tp->isn = req->snt_isn;
	tp->snd_una = tp->snd_nxt = tp->snd_sml = req->snt_isn + 1;
	tp->write_seq = tp->pushed_seq = req->snt_isn + 1;
	tp->high_seq = req->snt_isn;	/* RFC 6582 §3.2: recover = ISS */
	tp->rcv_nxt = tp->rcv_wup = tp->copied_seq = req->rcv_isn + 1;
	tp->rcv_wnd = req->rcv_wnd;
	tp->snd_wl1 = req->rcv_isn;
	tp->rx_opt.wscale_ok = req->wscale_ok;
	tp->rx_opt.snd_wscale = req->wscale_ok ? req->snd_wscale : 0;
	tp->rx_opt.rcv_wscale = req->wscale_ok ? req->rcv_wscale : 0;
	tp->rx_opt.tstamp_ok = req->tstamp_ok;
	tp->rx_opt.sack_ok = req->sack_ok;
	tp->rx_opt.ts_recent = req->ts_recent;
	tp->rx_opt.ts_recent_stamp = jiffies;
	tp->rx_opt.mss_clamp = req->mss;
	tp->advmss = tcp_mss_for_route(req->ir_rmt_addr);
	tp->window_clamp = (u32)newsk->sk_rcvbuf;
	if (!req->wscale_ok)
		tp->window_clamp = min_t(u32, tp->window_clamp, TCP_MAX_WINDOW);
	tcp_sync_mss(newsk, tp->advmss + 40u);
	newsk->sk_state = TCP_SYN_RECV;
	return newsk;
}

/*
 * tcp_check_req - a segment for a request sock (RFC 9293 §3.10.7.4 in
 * SYN-RECEIVED). Returns the new child when the ACK completes the
 * handshake, NULL otherwise; @skb is not consumed.
 */
struct sock *tcp_check_req(struct sock *sk, struct sk_buff *skb,
			   struct request_sock *req)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	u32 rcv_nxt = req->rcv_isn + 1;
	struct sock *child;

	if (tcb->tcp_flags & TCPHDR_RST) {
		if (tcb->seq == rcv_nxt)
			inet_csk_reqsk_queue_drop(sk, req);
		return NULL;
	}
	if ((tcb->tcp_flags & TCPHDR_SYN) && tcb->seq == req->rcv_isn) {
		tcp_send_synack(sk, req);	/* our SYN-ACK was lost */
		return NULL;
	}
	if (!(tcb->tcp_flags & TCPHDR_ACK))
		return NULL;
	if (tcb->ack_seq != req->snt_isn + 1) {
		tcp_v4_send_reset(skb);
		return NULL;
	}
	if (before(tcb->seq, rcv_nxt) || after(tcb->seq, rcv_nxt + req->rcv_wnd) ||
	    (tcb->tcp_flags & TCPHDR_SYN)) {
		tcp_v4_send_ack(req->ir_loc_addr, req->ir_rmt_addr,
				htons(req->ir_num), req->ir_rmt_port,
				req->snt_isn + 1, rcv_nxt, req->rcv_wnd,
				0, 0, false);
		return NULL;
	}
	if (sk_acceptq_is_full(sk)) {
		tcp_listen_overflow(sk);
		return NULL;	/* the SYN-ACK timer will ask again */
	}
	child = tcp_create_openreq_child(sk, req, skb);
	if (!child) {
		TCP_INC_STATS(TCP_MIB_LISTENDROPS);
		return NULL;
	}
	inet_csk_reqsk_queue_drop(sk, req);
	inet_ehash_insert(child);
	__inet_inherit_port(sk, child);
	inet_csk_reqsk_queue_add(sk, child);
	TCP_INC_STATS(TCP_MIB_PASSIVEOPENS);
	sk->sk_data_ready(sk);
	return child;
}

/**
 * tcp_time_wait - the full sock goes; a timewait sock keeps the 4-tuple for
 * tcp_timewait_len (2*MSL) and answers late segments (RFC 9293 §3.6.1).
 */
void tcp_time_wait(struct sock *sk, int state, int timeo)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_timewait_sock *tw = inet_twsk_alloc(sk, state);

	if (tw) {
		tw->tw_rcv_nxt = tp->rcv_nxt;
		tw->tw_snd_nxt = tp->snd_nxt;
		tw->tw_rcv_wnd = tcp_select_window(sk);
		tw->tw_ts_recent = tp->rx_opt.ts_recent;
		tw->tw_ts_recent_stamp = tp->rx_opt.ts_recent_stamp;
		tw->tw_tstamp_ok = tp->rx_opt.tstamp_ok;
		tw->tw_rcv_wscale = tp->rx_opt.rcv_wscale;
		inet_twsk_hashdance(tw, sk, timeo ? timeo : tcp_timewait_len);
	} else {
		/* Linux: the socket closes without TIME_WAIT. */
		TCP_INC_STATS(TCP_MIB_TIMEWAITOVERFLOW);
		pr_warn_ratelimited("TCP: time wait bucket table overflow "
				    "(%ld live, max %ld)\n",
				    inet_twsk_live_count(),
				    inet_twsk_max_buckets());
	}
	tcp_done(sk);
}

static void tcp_tw_send_ack(struct inet_timewait_sock *tw)
{
	tcp_v4_send_ack(tw->tw_rcv_saddr, tw->tw_daddr, tw->tw_sport,
			tw->tw_dport, tw->tw_snd_nxt, tw->tw_rcv_nxt,
			tw->tw_rcv_wnd, tcp_time_stamp(), tw->tw_ts_recent,
			tw->tw_tstamp_ok);
}

/*
 * A new SYN may reuse the 4-tuple (RFC 6191 §2): with timestamps, if its
 * TSval is newer than the last seen; without, if its sequence number is
 * past the old connection's.
 */
static bool tcp_tw_syn_acceptable(const struct inet_timewait_sock *tw,
				  const struct sk_buff *skb,
				  const struct tcp_options_received *opt)
{
	if (tw->tw_tstamp_ok && opt->saw_tstamp)
		return after(opt->rcv_tsval, tw->tw_ts_recent);
	return after(TCP_SKB_CB(skb)->seq, tw->tw_rcv_nxt);
}

/**
 * tcp_timewait_state_process - a segment for a TIME_WAIT 4-tuple. Returns
 * true when it is a SYN that may open a new connection (the timewait sock
 * is then gone and the caller hands the SYN to the listener); otherwise
 * the segment is dealt with here and the caller frees it.
 */
int tcp_timewait_state_process(struct inet_timewait_sock *tw,
			       struct sk_buff *skb)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct tcp_options_received opt = { 0 };

	tcp_parse_options(skb, &opt);
	if (tcb->tcp_flags & TCPHDR_RST) {
		if (tcb->seq == tw->tw_rcv_nxt)
			inet_twsk_deschedule_put(tw);	/* RFC 1337 not applied, as Linux */
		return false;
	}
	if ((tcb->tcp_flags & TCPHDR_SYN) && !(tcb->tcp_flags & TCPHDR_ACK) &&
	    tcp_tw_syn_acceptable(tw, skb, &opt)) {
		inet_twsk_deschedule_put(tw);
		return true;
	}
	if (tcb->tcp_flags & TCPHDR_FIN)
		inet_twsk_reschedule(tw, tcp_timewait_len);
	if ((tcb->tcp_flags & TCPHDR_FIN) || tcb->seq != tw->tw_rcv_nxt ||
	    tcb->seq != tcb->end_seq || (tcb->tcp_flags & TCPHDR_SYN))
		tcp_tw_send_ack(tw);
	return false;
}
