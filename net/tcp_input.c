/*
 * TCP input (RFC 9293 §3.10.7 "SEGMENT ARRIVES", Linux tcp_input.c):
 * tcp_v4_do_rcv -> tcp_rcv_state_process, which runs the RFC's steps as
 * small functions: tcp_check_seq, tcp_check_rst, tcp_check_syn,
 * tcp_check_ack (-> tcp_ack in tcp_ack.c),
 * tcp_urg, tcp_data_queue, tcp_check_fin. Each consumes nothing; the skb is
 * queued by tcp_data_queue or freed once, at the end.
 */
#include "net/trace.h"
#include "net/tcp.h"
#include "lib/errno.h"
#include "lib/ratelimit.h"
#include "net/inet_hashtables.h"
#include "net/net_namespace.h"

#define TCP_MAX_QUICKACKS	16
#define TCP_PAWS_24DAYS		(60 * 60 * 24 * 24 * HZ)
#define TCP_CHALLENGE_ACK_LIMIT	1000	/* a second, RFC 5961 §7 */

/* RFC 9293 §3.2 options; lengths checked so a bad option ends the parse. */
void tcp_parse_options(const struct sk_buff *skb,
		       struct tcp_options_received *opt)
{
	const struct tcphdr *th = tcp_hdr(skb);
	const u8 *p = (const u8 *)(th + 1);
	int len = th->doff * 4 - (int)sizeof(*th);

	opt->saw_tstamp = 0;
	while (len > 0) {
		u8 kind = *p, size;

		if (kind == TCPOPT_EOL)
			return;
		if (kind == TCPOPT_NOP) {
			p++;
			len--;
			continue;
		}
		if (len < 2 || p[1] < 2 || p[1] > len)
			return;
		size = p[1];
		if (kind == TCPOPT_MSS && size == TCPOLEN_MSS &&
		    (th->flags & TCPHDR_SYN))
			opt->mss_clamp = get_be16(p + 2);
		else if (kind == TCPOPT_WINDOW && size == TCPOLEN_WINDOW &&
			 (th->flags & TCPHDR_SYN)) {
			opt->wscale_ok = 1;
			opt->snd_wscale = min_t(u8, p[2], TCP_MAX_WSCALE);
		} else if (kind == TCPOPT_TIMESTAMP &&
			   size == TCPOLEN_TIMESTAMP) {
			opt->saw_tstamp = 1;
			opt->rcv_tsval = get_be32(p + 2);
			opt->rcv_tsecr = get_be32(p + 6);
		} else if (kind == TCPOPT_SACK_PERM && size == 2 &&
			   (th->flags & TCPHDR_SYN)) {
			opt->sack_ok = 1;
		}
		p += size;
		len -= size;
	}
}

static void tcp_store_ts_recent(struct tcp_sock *tp)
{
	tp->rx_opt.ts_recent = tp->rx_opt.rcv_tsval;
	tp->rx_opt.ts_recent_stamp = jiffies;
}

/* RFC 7323 §4.3: TS.Recent follows segments that cover Last.ACK.sent. */
static void tcp_replace_ts_recent(struct tcp_sock *tp, u32 seq)
{
	if (tp->rx_opt.saw_tstamp && !after(seq, tp->rcv_wup) &&
	    !before(tp->rx_opt.rcv_tsval, tp->rx_opt.ts_recent))
		tcp_store_ts_recent(tp);
}

/* RFC 5961 §7: at most TCP_CHALLENGE_ACK_LIMIT challenge ACKs a second. */
static void tcp_send_challenge_ack(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (jiffies - tp->challenge_stamp >= HZ) {
		tp->challenge_stamp = jiffies;
		tp->challenge_count = 0;
	}
	if (tp->challenge_count >= TCP_CHALLENGE_ACK_LIMIT)
		return;
	tp->challenge_count++;
	TCP_INC_STATS(TCP_MIB_CHALLENGEACK);
	tcp_send_ack(sk);
}

/* A reset was accepted (RFC 9293 §3.10.7.4 second step). */
void tcp_reset(struct sock *sk)
{
	switch (sk->sk_state) {
	case TCP_SYN_SENT:
		sk->sk_err = ECONNREFUSED;
		break;
	case TCP_CLOSE_WAIT:
		sk->sk_err = EPIPE;
		break;
	case TCP_CLOSE:
		return;
	default:
		sk->sk_err = ECONNRESET;
	}
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_error_report(sk);
	tcp_done(sk);
}

static void tcp_enter_quickack_mode(struct sock *sk)
{
	inet_csk(sk)->icsk_ack.quick = TCP_MAX_QUICKACKS;
}

/*
 * After data arrived: ACK at once in quick-ack mode, for every second full
 * segment, or when the out-of-order queue is not empty; otherwise delay.
 */
static void tcp_ack_snd_check(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	if (!inet_csk_ack_scheduled(sk))
		return;
	if (icsk->icsk_ack.quick || icsk->icsk_ack.rcv_segs >= 2 ||
	    !skb_queue_empty(&tp->out_of_order_queue) ||
	    (icsk->icsk_ack.pending & ICSK_ACK_PUSHED)) {
		tcp_send_ack(sk);
		return;
	}
	tcp_send_delayed_ack(sk);
}

/*
 * RFC 9293 §3.10.7.4 first step (and RFC 7323 §5.3 PAWS): is the segment
 * acceptable? If not, ACK it (unless it is a reset) and drop it.
 */
static bool tcp_check_seq(struct sock *sk, const struct sk_buff *skb)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 wnd_end = tp->rcv_wup + tp->rcv_wnd;
	bool rst = tcb->tcp_flags & TCPHDR_RST;

	if (tp->rx_opt.saw_tstamp && tp->rx_opt.tstamp_ok && !rst &&
	    before(tp->rx_opt.rcv_tsval, tp->rx_opt.ts_recent) &&
	    jiffies - tp->rx_opt.ts_recent_stamp < (u64)TCP_PAWS_24DAYS) {
		TCP_INC_STATS(TCP_MIB_PAWSESTAB);
		tcp_send_ack(sk);
		return false;
	}
	if (!before(tcb->end_seq, tp->rcv_wup) &&
	    !after(tcb->seq, wnd_end > tp->rcv_nxt ? wnd_end : tp->rcv_nxt))
		return true;
	if (!rst)
		tcp_send_ack(sk);
	return false;
}

/*
 * Second step, with RFC 5961 §3.2: a reset exactly at RCV.NXT is taken;
 * elsewhere in the window it earns a challenge ACK; outside it, nothing.
 */
static bool tcp_check_rst(struct sock *sk, const struct sk_buff *skb)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct tcp_sock *tp = tcp_sk(sk);

	if (!(tcb->tcp_flags & TCPHDR_RST))
		return true;
	if (tcb->seq == tp->rcv_nxt) {
		if (sk->sk_state == TCP_ESTABLISHED ||
		    sk->sk_state == TCP_CLOSE_WAIT)
			TCP_INC_STATS(TCP_MIB_ESTABRESETS);
		tcp_reset(sk);
	} else {
		tcp_send_challenge_ack(sk);
	}
	return false;
}

/* Fourth step, RFC 5961 §4.2: a SYN in a synchronized state is challenged. */
static bool tcp_check_syn(struct sock *sk, const struct sk_buff *skb)
{
	if (!(TCP_SKB_CB(skb)->tcp_flags & TCPHDR_SYN))
		return true;
	tcp_send_challenge_ack(sk);
	return false;
}

/* SYN-RECEIVED: the ACK of our SYN completes the handshake. */
static bool tcp_synrecv_ack(struct sock *sk, const struct sk_buff *skb)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct tcp_sock *tp = tcp_sk(sk);

	if (!between(tcb->ack_seq, tp->snd_una + 1, tp->snd_nxt)) {
		tcp_v4_send_reset(skb);
		return false;
	}
	tcp_set_state(sk, TCP_ESTABLISHED);
	tp->snd_wl1 = tcb->seq - 1;	/* let this segment set the window */
	sk->sk_state_change(sk);
	if (sk->sk_socket)
		sk->sk_write_space(sk);
	return true;
}

/* Our FIN is acknowledged: the closing states move on (RFC 9293 §3.10.7.4). */
static bool tcp_fin_acked(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tp->fin_queued || after(tp->write_seq, tp->snd_una))
		return true;
	switch (sk->sk_state) {
	case TCP_FIN_WAIT1:
		tcp_set_state(sk, TCP_FIN_WAIT2);
		sk->sk_shutdown |= SEND_SHUTDOWN;
		sk->sk_state_change(sk);
		if (sock_flag(sk, SOCK_DEAD))
			tcp_reset_keepalive_timer(sk, tp->linger2 ? tp->linger2 :
						  TCP_FIN_TIMEOUT);
		return true;
	case TCP_CLOSING:
		tcp_time_wait(sk, TCP_TIME_WAIT, 0);
		return false;
	case TCP_LAST_ACK:
		tcp_done(sk);
		return false;
	}
	return true;
}

/*
 * Fifth step: no ACK bit, drop; RFC 5961 §5.2: an ACK outside
 * [SND.UNA - MAX.SND.WND, SND.NXT] is answered with an ACK and dropped.
 */
static bool tcp_check_ack(struct sock *sk, const struct sk_buff *skb)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct tcp_sock *tp = tcp_sk(sk);

	if (!(tcb->tcp_flags & TCPHDR_ACK))
		return false;
	if (sk->sk_state == TCP_SYN_RECV && !tcp_synrecv_ack(sk, skb))
		return false;
	if (after(tcb->ack_seq, tp->snd_nxt)) {
		tcp_send_challenge_ack(sk);
		return false;
	}
	if (before(tcb->ack_seq, tp->snd_una - tp->max_window)) {
		tcp_send_challenge_ack(sk);
		return false;
	}
	tcp_ack(sk, skb);
	return tcp_fin_acked(sk);
}

/* Sixth step: the urgent pointer, if it points into the data we have. The
 * data stays inline (RFC 6093 recommends it; Linux's SO_OOBINLINE). */
static void tcp_urg(struct sock *sk, const struct sk_buff *skb)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 ptr = ntohs(tcp_hdr(skb)->urg_ptr);

	if (!(tcb->tcp_flags & TCPHDR_URG) || !ptr)
		return;
	if (ptr > skb->len)
		return;		/* past the data: ignored */
	if (after(tcb->seq + ptr, tp->rcv_up))
		tp->rcv_up = tcb->seq + ptr;
}

/* A FIN is reached in sequence (RFC 9293 §3.10.7.4 eighth step). */
void tcp_fin(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->rcv_nxt++;
	sk->sk_shutdown |= RCV_SHUTDOWN;
	sock_set_flag(sk, SOCK_DONE);
	inet_csk_schedule_ack(sk);
	inet_csk(sk)->icsk_ack.pending |= ICSK_ACK_PUSHED;
	switch (sk->sk_state) {
	case TCP_SYN_RECV:
	case TCP_ESTABLISHED:
		tcp_set_state(sk, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT1:
		tcp_set_state(sk, TCP_CLOSING);	/* simultaneous close */
		break;
	case TCP_FIN_WAIT2:
		tcp_send_ack(sk);
		tcp_time_wait(sk, TCP_TIME_WAIT, 0);
		return;
	default:
		break;
	}
	skb_queue_purge(&tp->out_of_order_queue);
	tp->ofo_bytes = 0;
	tp->num_sacks = 0;
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
}

/* Queue in-order payload for the reader; rcv_nxt moves past it. */
static void tcp_queue_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 end = TCP_SKB_CB(skb)->end_seq;

	net_trace(skb);
	if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN)
		end--;
	tp->bytes_received += end - tp->rcv_nxt;
	tp->rcv_nxt = end;
	if (!skb->len) {
		consume_skb(skb);	/* a bare FIN: its sequence space is taken */
		return;
	}
	skb_set_owner_r(skb, sk);
	skb_queue_tail(&sk->sk_receive_queue, skb);
}

/* Cut the part of @skb already received (RFC 9293 §3.10.7.4 "trimmed"). */
static void tcp_trim_head(struct tcp_sock *tp, struct sk_buff *skb)
{
	u32 dup = tp->rcv_nxt - TCP_SKB_CB(skb)->seq;

	if (dup > skb->len)
		dup = skb->len;
	skb_pull(skb, dup);
	TCP_SKB_CB(skb)->seq += dup;
}

/* Move segments the hole no longer blocks from the out-of-order queue. */
static bool tcp_ofo_queue(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;
	bool fin = false;

	while ((skb = skb_peek(&tp->out_of_order_queue)) != NULL) {
		if (after(TCP_SKB_CB(skb)->seq, tp->rcv_nxt))
			break;
		skb_unlink(skb, &tp->out_of_order_queue);
		tp->ofo_bytes -= skb->truesize;
		if (!after(TCP_SKB_CB(skb)->end_seq, tp->rcv_nxt)) {
			kfree_skb(skb);
			continue;
		}
		tcp_trim_head(tp, skb);
		fin = TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN;
		tcp_queue_rcv(sk, skb);
		if (fin)
			break;
	}
	return fin;
}

/* Keep @skb in sequence order; a duplicate of what is there is dropped. */
static void tcp_data_queue_ofo(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 seq = TCP_SKB_CB(skb)->seq, end = TCP_SKB_CB(skb)->end_seq;
	struct sk_buff *pos;

	tp->last_ofo_seq = seq;

	if (tp->ofo_bytes + skb->truesize > TCP_OFO_MAX_BYTES ||
	    tp->ofo_bytes + skb->truesize + (u32)sk->sk_rmem_alloc >
	    (u32)sk->sk_rcvbuf) {
		TCP_INC_STATS(TCP_MIB_OFODROP);
		pr_warn_ratelimited("TCP: out-of-order queue of port %u full "
				    "(%u bytes), segment dropped\n", sk->sk_num,
				    tp->ofo_bytes);
		kfree_skb_reason(skb, SKB_DROP_REASON_TCP_OFO_DROP);
		return;
	}
	skb_queue_walk(&tp->out_of_order_queue, pos) {
		const struct tcp_skb_cb *p = TCP_SKB_CB(pos);

		if (!before(seq, p->seq) && !after(end, p->end_seq)) {
			kfree_skb(skb);		/* already held */
			return;
		}
		if (before(seq, p->seq)) {
			skb_insert_before(pos, skb, &tp->out_of_order_queue);
			tp->ofo_bytes += skb->truesize;
			return;
		}
	}
	skb_queue_tail(&tp->out_of_order_queue, skb);
	tp->ofo_bytes += skb->truesize;
}

/* Is the receive buffer too full for @skb? (Linux prunes; we drop.) */
static bool tcp_rmem_full(const struct sock *sk, const struct sk_buff *skb)
{
	return sk->sk_rmem_alloc + (int)skb->truesize > sk->sk_rcvbuf;
}

/*
 * Seventh step: the segment text. In order, it is queued for the reader
 * and the out-of-order queue drained behind it; ahead of RCV.NXT, it waits
 * in the out-of-order queue; wholly old, it only earns an ACK. Returns
 * SKB_NOT_DROPPED_YET if @skb was taken, else how the caller frees it:
 * SKB_CONSUMED for a bare ACK, or why it is a drop.
 */
static enum skb_drop_reason tcp_data_queue(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	bool fin;

	if (tcb->seq == tcb->end_seq)
		return SKB_CONSUMED;		/* a bare ACK, done with */
	if (!after(tcb->end_seq, tp->rcv_nxt)) {
		tcp_enter_quickack_mode(sk);	/* a duplicate: ACK at once */
		inet_csk_schedule_ack(sk);
		return SKB_DROP_REASON_TCP_INVALID;
	}
	if (after(tcb->seq, tp->rcv_nxt)) {
		inet_csk_schedule_ack(sk);
		tcp_data_queue_ofo(sk, skb);
		tcp_sack_update_blocks(sk);
		return SKB_NOT_DROPPED_YET;
	}
	if (skb->len && tcp_rmem_full(sk, skb)) {
		sk_rcvbuf_overflow(sk);
		inet_csk_schedule_ack(sk);
		return SKB_DROP_REASON_SOCKET_RCVBUFF;
	}
	tcp_trim_head(tp, skb);
	fin = tcb->tcp_flags & TCPHDR_FIN;
	if (skb->len >= tp->advmss / 2 || fin)
		icsk->icsk_ack.rcv_segs++;
	inet_csk_schedule_ack(sk);
	tcp_queue_rcv(sk, skb);
	if (!skb_queue_empty(&tp->out_of_order_queue)) {
		icsk->icsk_ack.pending |= ICSK_ACK_PUSHED;
		if (tcp_ofo_queue(sk))
			fin = true;
		tcp_sack_update_blocks(sk);
	}
	if (fin)
		tcp_fin(sk);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_data_ready(sk);
	return SKB_NOT_DROPPED_YET;
}

/* Data after the user closed its receive side is answered with a reset (Linux). */
static bool tcp_data_after_close(struct sock *sk, const struct sk_buff *skb)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct tcp_sock *tp = tcp_sk(sk);

	if (!sock_flag(sk, SOCK_DEAD) || !skb->len ||
	    !after(tcb->end_seq - ((tcb->tcp_flags & TCPHDR_FIN) ? 1 : 0),
		   tp->rcv_nxt))
		return false;
	tcp_send_active_reset(sk);
	tcp_done(sk);
	return true;
}

/* Steps six to eight for states that still take text; as tcp_data_queue. */
static enum skb_drop_reason tcp_rcv_text(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	enum skb_drop_reason reason = SKB_CONSUMED;

	switch (sk->sk_state) {
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
		if (tcp_data_after_close(sk, skb))
			return SKB_DROP_REASON_TCP_INVALID;	/* answered with RST */
		__attribute__((fallthrough));
	case TCP_ESTABLISHED:
		tcp_urg(sk, skb);
		reason = tcp_data_queue(sk, skb);
		break;
	default:
		/* CLOSE_WAIT, CLOSING, LAST_ACK: the peer's FIN came; ignore
		 * text, but ACK a retransmitted FIN (RFC 9293 step 8). */
		if (tcb->tcp_flags & TCPHDR_FIN)
			inet_csk_schedule_ack(sk);
		break;
	}
	if (sk->sk_state != TCP_CLOSE)
		tcp_ack_snd_check(sk);
	return reason;
}

/*
 * LISTEN (RFC 9293 §3.10.7.2): resets ignored, ACKs reset, SYNs answered.
 * Returns SKB_CONSUMED for a SYN answered (SYN-ACK or cookie), else why
 * the segment is a drop.
 */
static enum skb_drop_reason tcp_listen_state_process(struct sock *sk,
						     struct sk_buff *skb)
{
	u8 flags = TCP_SKB_CB(skb)->tcp_flags;

	if (flags & TCPHDR_RST)
		return SKB_DROP_REASON_TCP_INVALID;
	if (flags & TCPHDR_ACK) {
		tcp_v4_send_reset(skb);
		return SKB_DROP_REASON_TCP_INVALID;
	}
	if (!(flags & TCPHDR_SYN))
		return SKB_DROP_REASON_TCP_INVALID;
	switch (tcp_v4_conn_request(sk, skb)) {
	case 0:
		return SKB_CONSUMED;
	case -ENOBUFS:
		return SKB_DROP_REASON_TCP_LISTEN_OVERFLOW;
	default:
		return SKB_DROP_REASON_NO_MEMORY;
	}
}

/* The peer's SYN options decide what this connection uses (RFC 7323). */
static void tcp_synsent_options(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tp->rx_opt.wscale_ok) {
		tp->rx_opt.snd_wscale = 0;
		tp->rx_opt.rcv_wscale = 0;
		tp->window_clamp = min_t(u32, tp->window_clamp, TCP_MAX_WINDOW);
	}
	if (tp->rx_opt.saw_tstamp && tp->rx_opt.tstamp_ok)
		tcp_store_ts_recent(tp);
	else
		tp->rx_opt.tstamp_ok = 0;
	tcp_sync_mss(sk, inet_csk(sk)->icsk_pmtu_cookie ?
			 inet_csk(sk)->icsk_pmtu_cookie : tp->advmss + 40u);
}

/* SYN-SENT (RFC 9293 §3.10.7.3). */
static void tcp_rcv_synsent_state_process(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct tcp_sock *tp = tcp_sk(sk);
	bool ack = tcb->tcp_flags & TCPHDR_ACK;

	if (ack && (!after(tcb->ack_seq, tp->isn) ||
		    after(tcb->ack_seq, tp->snd_nxt))) {
		tcp_v4_send_reset(skb);
		return;
	}
	if (tcb->tcp_flags & TCPHDR_RST) {
		if (ack)
			tcp_reset(sk);
		return;
	}
	if (!(tcb->tcp_flags & TCPHDR_SYN))
		return;
	tp->rcv_nxt = tcb->seq + 1;
	tp->rcv_wup = tp->rcv_nxt;
	tp->copied_seq = tp->rcv_nxt;
	tp->snd_wl1 = tcb->seq - 1;	/* let the SYN set the window */
	tcp_synsent_options(sk);
	if (!ack) {
		/* Simultaneous open: SYN-RECEIVED, our SYN goes again with an ACK. */
		tcp_set_state(sk, TCP_SYN_RECV);
		tp->snd_wnd = ntohs(tcp_hdr(skb)->window);
		tcp_retransmit_skb(sk, skb_peek(&sk->sk_write_queue));
		return;
	}
	tcp_ack(sk, skb);
	tcp_set_state(sk, TCP_ESTABLISHED);
	tcp_enter_quickack_mode(sk);
	tcp_send_ack(sk);
	sk->sk_state_change(sk);
	if (sk->sk_socket)
		sk->sk_write_space(sk);
}

/**
 * tcp_rcv_state_process - one segment for @sk, in any state but TIME_WAIT
 * (inet_timewait_sock) and SYN-RECEIVED of a request sock (tcp_check_req).
 * Consumes @skb.
 */
int tcp_rcv_state_process(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	enum skb_drop_reason reason;

	net_trace(skb);
	tp->segs_in++;
	if (sk->sk_state == TCP_SYN_SENT &&
	    (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_SYN)) {
		/* What we offered counts only if the SYN-ACK agrees. */
		tp->rx_opt.wscale_ok = 0;
		tp->rx_opt.snd_wscale = 0;
		tp->rx_opt.sack_ok = 0;
	}
	tcp_parse_options(skb, &tp->rx_opt);
	switch (sk->sk_state) {
	case TCP_CLOSE:
		goto discard;
	case TCP_LISTEN:
		kfree_skb_reason(skb, tcp_listen_state_process(sk, skb));
		return 0;
	case TCP_SYN_SENT:
		tcp_rcv_synsent_state_process(sk, skb);
		reason = SKB_CONSUMED;
		goto out;
	}
	if (!tcp_check_seq(sk, skb) || !tcp_check_rst(sk, skb) ||
	    !tcp_check_syn(sk, skb))
		goto discard;
	tp->rcv_tstamp = tcp_jiffies32();
	tcp_replace_ts_recent(tp, TCP_SKB_CB(skb)->seq);
	if (!tcp_check_ack(sk, skb))
		goto discard;
	reason = tcp_rcv_text(sk, skb);
	if (reason == SKB_NOT_DROPPED_YET)
		return 0;		/* queued */
out:
	kfree_skb_reason(skb, reason);
	return 0;
discard:
	kfree_skb(skb);
	return 0;
}

/* After the reader took data: announce a window that grew a lot (Linux
 * tcp_cleanup_rbuf), so a sender stopped by a zero window resumes. */
void tcp_cleanup_rbuf(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	s32 cur = (s32)(tp->rcv_wup + tp->rcv_wnd - tp->rcv_nxt);
	u32 avail = __tcp_select_window(sk);

	if (sk->sk_state == TCP_CLOSE || sk->sk_state == TCP_LISTEN)
		return;
	if (cur < 0)
		cur = 0;
	if (avail >= 2 * (u32)cur && avail - (u32)cur >= tp->advmss)
		tcp_send_ack(sk);
}

/* Writers waiting for room are woken once a third of sndbuf is free. */
void tcp_check_space(struct sock *sk)
{
	if (sk->sk_socket && sk->sk_wmem_queued < sk->sk_sndbuf * 2 / 3)
		sk->sk_write_space(sk);
}
