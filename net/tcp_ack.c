/*
 * ACK processing (RFC 9293 §3.10.7.4 fifth step, Linux tcp_input.c's
 * tcp_ack): the peer's window, the retransmission queue, RTT and RTO
 * (RFC 6298), congestion control and fast retransmit / NewReno recovery
 * (RFC 5681, RFC 6582), with SACK recovery from tcp_sack.c.
 *   tcp_check_ack -> tcp_ack -> tcp_sacktag_write_queue,
 *   tcp_clean_rtx_queue, tcp_fastretrans_alert, tcp_cong_control.
 */
#include "net/tcp.h"
#include "net/net_namespace.h"

/* RFC 6298 §2: SRTT, RTTVAR and RTO from one sample, in microseconds. */
static void tcp_rtt_estimator(struct sock *sk, u32 rtt_us)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 rto_us;

	if (!rtt_us)
		rtt_us = 1;
	if (!tp->srtt_us) {
		tp->srtt_us = rtt_us;
		tp->rttvar_us = rtt_us / 2;
	} else {
		u32 delta = tp->srtt_us > rtt_us ? tp->srtt_us - rtt_us :
						    rtt_us - tp->srtt_us;

		tp->rttvar_us = (3 * tp->rttvar_us + delta) / 4;
		tp->srtt_us = (7 * tp->srtt_us + rtt_us) / 8;
	}
	tp->mdev_us = tp->rttvar_us;
	rto_us = tp->srtt_us + max_t(u32, 4 * tp->rttvar_us, 1000000 / HZ);
	inet_csk(sk)->icsk_rto = clamp((u32)((u64)rto_us * HZ / 1000000),
				       (u32)TCP_RTO_MIN, (u32)TCP_RTO_MAX);
}

/* The peer's window, scaled (RFC 7323 §2.3), if this segment may set it. */
static void tcp_ack_update_window(struct sock *sk, const struct sk_buff *skb)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 nwin = ntohs(tcp_hdr(skb)->window);

	if (!(tcb->tcp_flags & TCPHDR_SYN))
		nwin <<= tp->rx_opt.snd_wscale;
	if (after(tcb->seq, tp->snd_wl1) ||
	    (tcb->seq == tp->snd_wl1 && !before(tcb->ack_seq, tp->snd_wl2))) {
		tp->snd_wnd = nwin;
		tp->snd_wl1 = tcb->seq;
		tp->snd_wl2 = tcb->ack_seq;
		if (nwin > tp->max_window)
			tp->max_window = nwin;
	}
}

/*
 * Free what @ack covers from the write queue; an RTT sample from a segment
 * sent once (Karn's rule, RFC 6298 §3) or from the timestamp echo.
 */
static u32 tcp_clean_rtx_queue(struct sock *sk, u32 ack, s64 *rtt_us)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb, *tmp;
	bool in_flight = true;
	u32 acked = 0;

	skb_queue_walk_safe(&sk->sk_write_queue, skb, tmp) {
		struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);

		if (skb == tp->send_head)
			in_flight = false;
		if (after(tcb->end_seq, ack))
			break;
		if (tcb->sacked & TCPCB_SACKED_ACKED && tp->sacked_out)
			tp->sacked_out--;
		if (in_flight) {
			tp->packets_out--;
			acked++;
			if (tcb->retrans && tp->retrans_out)
				tp->retrans_out--;
			if (!tcb->retrans && *rtt_us < 0)
				*rtt_us = (s64)(jiffies - tcb->when) *
					  (1000000 / HZ);
		} else {
			tp->send_head = tmp == (struct sk_buff *)&sk->sk_write_queue ?
					NULL : tmp;
		}
		skb_unlink(skb, &sk->sk_write_queue);
		sk->sk_wmem_queued -= (int)skb->truesize;
		consume_skb(skb);	/* acknowledged: delivered, not dropped */
	}
	if (!tp->packets_out) {
		tp->retrans_out = 0;
		tp->sacked_out = 0;
	}
	return acked;
}

/* Fast retransmit (RFC 5681 §3.2, RFC 6582 §3.2 step 2). */
static void tcp_enter_recovery(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);

	tp->prior_ssthresh = tp->snd_ssthresh;
	tp->snd_ssthresh = icsk->icsk_ca_ops->ssthresh(sk);
	tp->snd_cwnd = tp->snd_ssthresh;
	tp->high_seq = tp->snd_nxt;
	icsk->icsk_ca_state = TCP_CA_Recovery;
	TCP_INC_STATS(TCP_MIB_FASTRETRANS);
	if (tp->rx_opt.sack_ok) {
		tcp_sack_count_lost(sk);
		tcp_xmit_retransmit_queue(sk);
	} else if (head && head != tp->send_head) {
		tcp_retransmit_skb(sk, head);
	}
	tcp_rearm_rto(sk);
}

/* RFC 6582 §3.2 steps 3-5: partial ACKs resend the next hole; a full ACK ends it. */
static void tcp_fastretrans_alert(struct sock *sk, u32 ack, u32 acked,
				  bool dup)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);

	if (icsk->icsk_ca_state == TCP_CA_Open &&
	    (dup || (tp->rx_opt.sack_ok && tp->sacked_out)) &&
	    (tp->dupacks >= TCP_FASTRETRANS_THRESH ||
	     tp->sacked_out >= TCP_FASTRETRANS_THRESH) &&
	    after(ack - 1, tp->high_seq - 1)) {
		tcp_enter_recovery(sk);
		return;
	}
	if (icsk->icsk_ca_state == TCP_CA_Open && acked)
		tp->dupacks = 0;
	if (icsk->icsk_ca_state == TCP_CA_Open || !acked)
		return;
	if (!before(ack, tp->high_seq)) {
		if (icsk->icsk_ca_state == TCP_CA_Recovery)
			tp->snd_cwnd = max(tp->snd_ssthresh, 2U);
		icsk->icsk_ca_state = TCP_CA_Open;
		tp->dupacks = 0;
		return;
	}
	tp->dupacks = 0;
	if (icsk->icsk_ca_state == TCP_CA_Recovery && tp->rx_opt.sack_ok)
		tcp_xmit_retransmit_queue(sk);
	else if (icsk->icsk_ca_state == TCP_CA_Recovery && head &&
		 head != tp->send_head && !TCP_SKB_CB(head)->retrans)
		tcp_retransmit_skb(sk, head);
}

/* Did the ACK advance, or is it a duplicate (RFC 5681 §2 "DUPLICATE ACKNOWLEDGMENT")? */
static bool tcp_is_dupack(const struct tcp_sock *tp, const struct sk_buff *skb,
			  u32 prior_wnd)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);

	return tp->packets_out && tcb->ack_seq == tp->snd_una &&
	       tcb->seq == tcb->end_seq && tp->snd_wnd == prior_wnd &&
	       !(tcb->tcp_flags & (TCPHDR_SYN | TCPHDR_FIN));
}

static void tcp_cong_control(struct sock *sk, u32 ack, u32 acked)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	u32 in_flight = tp->packets_out + acked;

	if (icsk->icsk_ca_state == TCP_CA_Recovery || !acked)
		return;
	/* Grow only a window the sender fills (RFC 7661); in slow start,
	 * one at least half used, as Linux's tcp_is_cwnd_limited. */
	if (!tp->send_head && (tp->snd_cwnd < tp->snd_ssthresh ?
			       tp->snd_cwnd >= 2 * in_flight :
			       in_flight + 1 < tp->snd_cwnd))
		return;
	icsk->icsk_ca_ops->cong_avoid(sk, ack, acked);
}

/**
 * tcp_ack - process an acceptable ACK (RFC 9293 §3.10.7.4 fifth step,
 * ESTABLISHED): window update, retransmission queue, RTT, congestion.
 */
void tcp_ack(struct sock *sk, const struct sk_buff *skb)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 ack = TCP_SKB_CB(skb)->ack_seq;
	u32 prior_wnd = tp->snd_wnd;
	s64 rtt_us = -1;
	u32 acked;
	bool dup;

	tcp_ack_update_window(sk, skb);
	dup = tcp_is_dupack(tp, skb, prior_wnd);
	if (dup)
		tp->dupacks++;
	tcp_sacktag_write_queue(sk, skb);
	if (!after(ack, tp->snd_una)) {
		tcp_fastretrans_alert(sk, ack, 0, dup);
		if (icsk->icsk_ca_state == TCP_CA_Recovery && tp->rx_opt.sack_ok)
			tcp_xmit_retransmit_queue(sk);
		goto out;
	}
	tp->bytes_acked += ack - tp->snd_una;
	acked = tcp_clean_rtx_queue(sk, ack, &rtt_us);
	tp->snd_una = ack;
	if (tp->rx_opt.sack_ok) {
		if (before(tp->highest_sack, ack))
			tp->highest_sack = ack;
		tcp_sack_count_lost(sk);
	}
	if (tp->rx_opt.saw_tstamp && tp->rx_opt.rcv_tsecr)
		rtt_us = (s64)(tcp_time_stamp() - tp->rx_opt.rcv_tsecr) * 1000;
	if (rtt_us >= 0) {
		tcp_rtt_estimator(sk, (u32)rtt_us);
		icsk->icsk_backoff = 0;
	}
	if (icsk->icsk_ca_ops->pkts_acked)
		icsk->icsk_ca_ops->pkts_acked(sk, acked, (s32)rtt_us);
	icsk->icsk_retransmits = 0;
	icsk->icsk_probes_out = 0;
	tcp_fastretrans_alert(sk, ack, acked, false);
	tcp_cong_control(sk, ack, acked);
	tcp_rearm_rto(sk);
	tcp_check_space(sk);
out:
	tcp_write_xmit(sk, tp->nonagle);
}
