/*
 * Selective acknowledgments (RFC 2018) and SACK-based loss recovery
 * (RFC 6675, simplified as Linux does): as receiver, the blocks our ACKs
 * report from the out-of-order queue; as sender, marking what the peer
 * holds, counting holes below the highest SACK as lost, and resending
 * those holes first during recovery.
 *   tcp_ack -> tcp_sacktag_write_queue; tcp_fastretrans_alert ->
 *   tcp_xmit_retransmit_queue -> tcp_retransmit_skb.
 */
#include "net/tcp.h"

void tcp_sack_reset(struct tcp_sock *tp)
{
	tp->sacked_out = 0;
	tp->lost_out = 0;
	tp->highest_sack = tp->snd_una;
}

#define TCP_SACK_RUNS	8

/*
 * Rebuild the blocks from the out-of-order queue: contiguous runs, the one
 * holding the latest arrival first (RFC 2018 §4), at most 3 beside a
 * timestamp option, 4 without.
 */
void tcp_sack_update_blocks(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_sack_block run[TCP_SACK_RUNS], latest;
	u8 max = tp->rx_opt.tstamp_ok ? 3 : 4, n = 0;
	struct sk_buff *skb;

	tp->num_sacks = 0;
	if (!tp->rx_opt.sack_ok)
		return;
	skb_queue_walk(&tp->out_of_order_queue, skb) {
		const struct tcp_skb_cb *c = TCP_SKB_CB(skb);

		if (n && !after(c->seq, run[n - 1].end_seq)) {
			if (after(c->end_seq, run[n - 1].end_seq))
				run[n - 1].end_seq = c->end_seq;
			continue;
		}
		if (n == TCP_SACK_RUNS)
			break;
		run[n].start_seq = c->seq;
		run[n].end_seq = c->end_seq;
		n++;
	}
	for (u8 i = 0; i < n; i++) {
		if (!before(tp->last_ofo_seq, run[i].start_seq) &&
		    before(tp->last_ofo_seq, run[i].end_seq)) {
			latest = run[i];
			for (u8 j = i; j > 0; j--)
				run[j] = run[j - 1];
			run[0] = latest;
			break;
		}
	}
	tp->num_sacks = min(n, max);
	for (u8 i = 0; i < tp->num_sacks; i++)
		tp->selective_acks[i] = run[i];
}

/* The SACK blocks of a received segment's options; their count. */
static int tcp_parse_sack(const struct sk_buff *skb, struct tcp_sack_block *b)
{
	const struct tcphdr *th = tcp_hdr(skb);
	const u8 *p = (const u8 *)(th + 1);
	int len = th->doff * 4 - (int)sizeof(*th), n = 0;

	while (len > 1) {
		if (*p == TCPOPT_EOL)
			break;
		if (*p == TCPOPT_NOP) {
			p++;
			len--;
			continue;
		}
		if (p[1] < 2 || p[1] > len)
			break;
		if (*p == TCPOPT_SACK && p[1] >= 10 && (p[1] - 2) % 8 == 0) {
			for (int i = 2; i + 8 <= p[1] && n < 4; i += 8, n++) {
				b[n].start_seq = get_be32(p + i);
				b[n].end_seq = get_be32(p + i + 4);
			}
		}
		len -= p[1];
		p += p[1];
	}
	return n;
}

/*
 * RFC 6675 IsLost: a hole with DupThresh SACKed segments above it; the
 * head also once three duplicate ACKs came without SACK blocks.
 */
static bool tcp_skb_is_lost(const struct tcp_sock *tp, const struct sk_buff *skb,
			    const struct sk_buff *head, u32 sacked_seen)
{
	const struct tcp_skb_cb *c = TCP_SKB_CB(skb);

	if ((c->sacked & TCPCB_SACKED_ACKED) || c->retrans)
		return false;
	if (tp->sacked_out - sacked_seen >= TCP_FASTRETRANS_THRESH)
		return true;
	return skb == head && tp->dupacks >= TCP_FASTRETRANS_THRESH;
}

void tcp_sack_count_lost(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb, *head = skb_peek(&sk->sk_write_queue);
	u32 seen = 0;

	tp->lost_out = 0;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (skb == tp->send_head || seen >= tp->sacked_out)
			break;
		if (TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_ACKED)
			seen++;
		else if (tcp_skb_is_lost(tp, skb, head, seen))
			tp->lost_out++;
	}
}

/* Mark the skbs an ACK's SACK blocks cover (only blocks inside what we sent). */
void tcp_sacktag_write_queue(struct sock *sk, const struct sk_buff *ack)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_sack_block b[4];
	int n = tp->rx_opt.sack_ok ? tcp_parse_sack(ack, b) : 0;
	struct sk_buff *skb;

	for (int i = 0; i < n; i++) {
		if (!before(b[i].start_seq, b[i].end_seq) ||
		    !after(b[i].start_seq, tp->snd_una) ||
		    after(b[i].end_seq, tp->snd_nxt))
			continue;	/* D-SACK or bogus: ignored */
		skb_queue_walk(&sk->sk_write_queue, skb) {
			struct tcp_skb_cb *c = TCP_SKB_CB(skb);

			if (skb == tp->send_head)
				break;
			if (before(c->seq, b[i].start_seq) ||
			    after(c->end_seq, b[i].end_seq) ||
			    (c->sacked & TCPCB_SACKED_ACKED))
				continue;
			c->sacked |= TCPCB_SACKED_ACKED;
			tp->sacked_out++;
			if (after(c->end_seq, tp->highest_sack))
				tp->highest_sack = c->end_seq;
		}
	}
	if (n)
		tcp_sack_count_lost(sk);
}

/* RFC 6675 pipe: out, less SACKed and lost, plus what was sent again. */
u32 tcp_packets_in_flight(const struct tcp_sock *tp)
{
	u32 left = tp->rx_opt.sack_ok ? tp->sacked_out + tp->lost_out :
					min(tp->dupacks, tp->packets_out);

	left = min(left, tp->packets_out);
	return tp->packets_out - left + tp->retrans_out;
}

/* During recovery: resend the lost holes, oldest first, while the pipe has room. */
void tcp_xmit_retransmit_queue(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb, *head = skb_peek(&sk->sk_write_queue);
	u32 seen = 0;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (skb == tp->send_head)
			break;
		if (TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_ACKED) {
			seen++;
			continue;
		}
		if (!tcp_skb_is_lost(tp, skb, head, seen))
			continue;
		if (tcp_packets_in_flight(tp) >= tp->snd_cwnd)
			break;
		if (tcp_retransmit_skb(sk, skb))
			break;
		if (tp->lost_out)
			tp->lost_out--;
	}
}
