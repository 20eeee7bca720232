/*
 * TCP output (Linux net/ipv4/tcp_output.c): segments from the write queue
 * under the receiver's window, the congestion window and Nagle; SYN,
 * SYN-ACK, ACK, FIN and RST; the window we advertise.
 *   tcp_sendmsg -> tcp_push -> tcp_write_xmit -> tcp_transmit_skb ->
 *   ip_build_and_send_pkt.
 * Write-queue skbs hold payload only; each transmission builds a fresh
 * frame (header + copy), so a retransmission never races a frame still
 * queued below us.
 *
 * Offloads (Linux tcp_transmit_skb, tcp_tso_segs): when the route's device
 * sums TCP (NETIF_F_IP_CSUM) a frame leaves CHECKSUM_PARTIAL; when it also
 * cuts segments (NETIF_F_TSO), tcp_write_xmit sends a run of consecutive
 * MSS-sized write-queue skbs that the windows allow as one GSO frame of up
 * to gso_max_size. The write queue itself stays one skb per MSS, so
 * everything that works per segment (packets_out, SACK scoreboard, partial
 * ACKs, fast retransmit, RTO go-back-N) is untouched: there is nothing to
 * split on a partial ACK (Linux's tcp_trim_head, tso_fragment) because
 * the big frame exists only on its way to the device. Whatever the device
 * cannot do, dev_queue_xmit does in software (net/gso.c).
 */
#include "net/trace.h"
#include "net/tcp.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "net/checksum.h"
#include "net/gso.h"
#include "net/inet_hashtables.h"
#include "net/net_namespace.h"
#include "net/route.h"

#define TCP_MAX_HDR_LEN	60	/* header with the most options, doff 15 */
#define TCP_HDR_ROOM	(MAX_HEADER + TCP_MAX_HDR_LEN)

u32 tcp_time_stamp(void)
{
	return (u32)(jiffies * 1000 / HZ);	/* RFC 7323 §5.4: 1 ms clock */
}

/* The header is at skb->data; a CHECKSUM_PARTIAL frame is left for the device. */
void tcp_v4_send_check(struct sk_buff *skb, __be32 saddr, __be32 daddr)
{
	struct tcphdr *th = (struct tcphdr *)skb->data;
	u32 sum;

	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		tcp_v4_send_check_partial(skb, saddr, daddr);
		return;
	}
	th->check = 0;
	sum = csum_tcpudp_nofold(saddr, daddr, skb->len, IPPROTO_TCP,
				 csum_partial(skb->data, skb->len, 0));
	th->check = htons(csum_fold(sum));
}

/* The options a segment carries (RFC 9293 §3.2, RFC 7323 §2-3). */
struct tcp_out_options {
	u16 mss;		/* 0: none */
	u8 ws;			/* shift + 1; 0: none */
	bool ts;
	bool sack_perm;
	u8 num_sacks;
	u32 tsval, tsecr;
	const struct tcp_sack_block *sacks;
};

static unsigned int tcp_options_size(const struct tcp_out_options *o)
{
	return (o->mss ? 4 : 0) + (o->ws ? 4 : 0) + (o->ts ? 12 : 0) +
	       (o->sack_perm ? 4 : 0) + (o->num_sacks ? 4 + 8 * o->num_sacks : 0);
}

static void tcp_options_write(u8 *p, const struct tcp_out_options *o)
{
	if (o->mss) {
		*p++ = TCPOPT_MSS;
		*p++ = TCPOLEN_MSS;
		put_be16(p, o->mss);
		p += 2;
	}
	if (o->ws) {
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_WINDOW;
		*p++ = TCPOLEN_WINDOW;
		*p++ = (u8)(o->ws - 1);
	}
	if (o->ts) {
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_TIMESTAMP;
		*p++ = TCPOLEN_TIMESTAMP;
		put_be32(p, o->tsval);
		put_be32(p + 4, o->tsecr);
		p += 8;
	}
	if (o->sack_perm) {
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_SACK_PERM;
		*p++ = 2;
	}
	if (o->num_sacks) {
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_SACK;
		*p++ = (u8)(2 + 8 * o->num_sacks);
		for (u8 i = 0; i < o->num_sacks; i++, p += 8) {
			put_be32(p, o->sacks[i].start_seq);
			put_be32(p + 4, o->sacks[i].end_seq);
		}
	}
}

/* Fill and send one segment already holding its payload at skb->data. */
static int tcp_xmit_frame(struct sk_buff *skb, __be32 saddr, __be32 daddr,
			  __be16 sport, __be16 dport, u32 seq, u32 ack, u8 flags,
			  u16 win, const struct tcp_out_options *o,
			  struct rt_cache *rtc)
{
	unsigned int olen = tcp_options_size(o);
	struct ip_send_args a = { .saddr = saddr, .daddr = daddr,
				  .protocol = IPPROTO_TCP, .df = true,
				  .rt_cache = rtc };
	struct tcphdr *th;

	th = skb_push(skb, sizeof(*th) + olen);
	skb_reset_transport_header(skb);
	memset(th, 0, sizeof(*th));
	th->source = sport;
	th->dest = dport;
	th->seq = htonl(seq);
	th->ack_seq = (flags & TCPHDR_ACK) ? htonl(ack) : 0;
	th->doff = (u8)((sizeof(*th) + olen) / 4);
	th->flags = flags;
	th->window = htons(win);
	tcp_options_write((u8 *)(th + 1), o);
	tcp_v4_send_check(skb, saddr, daddr);
	TCP_ADD_STATS(TCP_MIB_OUTSEGS, skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1);
	if (flags & TCPHDR_RST)
		TCP_INC_STATS(TCP_MIB_OUTRSTS);
	return ip_build_and_send_pkt(skb, &a);
}

static void tcp_event_ack_sent(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	icsk->icsk_ack.pending = 0;
	icsk->icsk_ack.rcv_segs = 0;
	if (icsk->icsk_ack.quick)
		icsk->icsk_ack.quick--;
	del_timer(&icsk->icsk_delack_timer);
}

/* What the route's device does for us (Linux sk_route_caps, sk_gso_max_size). */
struct tcp_xmit_caps {
	bool csum;		/* NETIF_F_IP_CSUM: frames go CHECKSUM_PARTIAL */
	unsigned int gso_max;	/* payload bytes in one GSO frame; 0: no TSO */
};

static void tcp_route_caps(struct sock *sk, struct tcp_xmit_caps *caps)
{
	struct inet_sock *inet = inet_sk(sk);
	struct rtable rt;
	unsigned int max;

	caps->csum = false;
	caps->gso_max = 0;
	if (ip_route_output_cached(&inet->rt_cache, inet->inet_daddr,
				   inet->inet_saddr, &rt) || !rt.dev)
		return;
	caps->csum = rt.dev->features & NETIF_F_IP_CSUM;
	if (!netif_gso_ok(rt.dev))
		return;
	/* The whole frame is one IP datagram: at most IP_MAX_PACKET. */
	max = min_t(unsigned int, rt.dev->gso_max_size, IP_MAX_PACKET);
	if (max > sizeof(struct iphdr) + TCP_MAX_HDR_LEN)
		caps->gso_max = max - sizeof(struct iphdr) - TCP_MAX_HDR_LEN;
}

/* The options a data or control segment of @sk carries now. */
static u16 tcp_established_options(struct sock *sk, u8 flags,
				   struct tcp_out_options *o)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u16 win;

	if (flags & TCPHDR_SYN) {
		o->mss = tp->advmss;
		if (tp->rx_opt.wscale_ok)
			o->ws = tp->rx_opt.rcv_wscale + 1;
		o->ts = tp->rx_opt.tstamp_ok;
		o->sack_perm = tp->rx_opt.sack_ok;
		win = (u16)min_t(u32, tp->rcv_wnd, TCP_MAX_WINDOW);
	} else {
		o->ts = tp->rx_opt.tstamp_ok;
		o->num_sacks = tp->rx_opt.sack_ok ? tp->num_sacks : 0;
		o->sacks = tp->selective_acks;
		win = (u16)tcp_select_window(sk);
	}
	o->tsval = tcp_time_stamp();
	o->tsecr = tp->rx_opt.ts_recent;
	return win;
}

/*
 * One frame for @n consecutive write-queue skbs from @skb: a copy of
 * their payload behind a header with our current ACK and window. More
 * than one makes a GSO frame cut at the first skb's length (all but the
 * last are exactly that long, tcp_tso_segs); PSH and FIN ride on the
 * last segment.
 */
static struct sk_buff *tcp_build_frame(struct sk_buff *skb, unsigned int n,
				       u8 *flags)
{
	struct skb_shared_info *si;
	struct sk_buff *frame, *s = skb;
	unsigned int len = 0, i;

	for (i = 0; i < n; i++, s = s->next)
		len += s->len;
	frame = alloc_skb(TCP_HDR_ROOM + len);
	if (!frame)
		return NULL;
	skb_reserve(frame, TCP_HDR_ROOM);
	*flags = 0;
	for (i = 0, s = skb; i < n; i++, s = s->next) {
		skb_put_data(frame, s->data, s->len);
		*flags |= TCP_SKB_CB(s)->tcp_flags;
		TCP_SKB_CB(s)->when = jiffies;
	}
	if (n > 1) {
		si = skb_shinfo(frame);
		si->gso_size = (u16)skb->len;
		si->gso_segs = (u16)n;
		si->gso_type = SKB_GSO_TCPV4;
	}
	return frame;
}

/*
 * tcp_transmit_skbs - send @n write-queue skbs from @skb as one frame
 * (@caps NULL: one plain segment, checksummed here).
 */
static int tcp_transmit_skbs(struct sock *sk, struct sk_buff *skb,
			     unsigned int n, const struct tcp_xmit_caps *caps)
{
	struct inet_sock *inet = inet_sk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_out_options o = { 0 };
	struct sk_buff *frame;
	u8 flags;
	u16 win;

	net_trace(skb);
	frame = tcp_build_frame(skb, n, &flags);
	if (!frame)
		return -ENOBUFS;
	if (caps && caps->csum)
		frame->ip_summed = CHECKSUM_PARTIAL;
	if (sk->sk_state != TCP_SYN_SENT)
		flags |= TCPHDR_ACK;
	win = tcp_established_options(sk, flags, &o);
	if (flags & TCPHDR_ACK)
		tcp_event_ack_sent(sk);
	tp->segs_out += n;
	return tcp_xmit_frame(frame, inet->inet_saddr, inet->inet_daddr,
			      inet->inet_sport, inet->inet_dport,
			      TCP_SKB_CB(skb)->seq, tp->rcv_nxt, flags, win, &o,
			      &inet->rt_cache);
}

/* Send the write-queue skb @skb as a segment of its own. */
static int tcp_transmit_skb(struct sock *sk, struct sk_buff *skb)
{
	return tcp_transmit_skbs(sk, skb, 1, NULL);
}

static struct sk_buff *tcp_stream_alloc_skb(struct sock *sk, unsigned int size)
{
	struct sk_buff *skb = alloc_skb(TCP_HDR_ROOM + size);

	if (!skb)
		return NULL;
	skb_reserve(skb, TCP_HDR_ROOM);
	return skb;
}

/* Queue @skb at the write queue's tail; it is the next to send if none is. */
static void tcp_skb_entail(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	skb_queue_tail(&sk->sk_write_queue, skb);
	sk->sk_wmem_queued += (int)skb->truesize;
	if (!tp->send_head)
		tp->send_head = skb;
}

/* Cut @skb after @len bytes: the rest becomes a new skb right behind it. */
static int tcp_fragment(struct sock *sk, struct sk_buff *skb, unsigned int len)
{
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct sk_buff *buff;

	buff = tcp_stream_alloc_skb(sk, skb->len - len);
	if (!buff)
		return -ENOMEM;
	skb_put_data(buff, skb->data + len, skb->len - len);
	*TCP_SKB_CB(buff) = *tcb;
	TCP_SKB_CB(buff)->seq = tcb->seq + len;
	tcb->end_seq = tcb->seq + len;
	tcb->tcp_flags &= ~(TCPHDR_FIN | TCPHDR_PSH);
	sk->sk_wmem_queued -= (int)skb->truesize;
	skb_trim(skb, len);
	sk->sk_wmem_queued += (int)(skb->truesize + buff->truesize);
	skb_append(skb, buff, &sk->sk_write_queue);
	return 0;
}

/*
 * Nagle (RFC 9293 §3.7.4, RFC 1122 §4.2.3.4) in Minshall's variant, as
 * Linux has it (tcp_nagle_check, tcp_minshall_check): hold a short segment
 * while an earlier *short* segment is unacknowledged, unless TCP_NODELAY;
 * TCP_CORK holds it regardless. A FIN always goes. Classic Nagle would also
 * hold the short tail of a reply behind its own full-sized head, and a
 * peer delaying its ACK for that lone full segment then stalls the reply
 * for its delayed-ACK timeout (a 1460-byte echo took 44 ms, not 0.2).
 */
static bool tcp_nagle_test(const struct tcp_sock *tp, const struct sk_buff *skb,
			   unsigned int mss, int nonagle)
{
	if (skb->len >= mss || (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN))
		return true;
	if (skb->next != (const struct sk_buff *)&tp->inet_conn.icsk_inet.sk.sk_write_queue)
		return true;	/* not the tail: a full one follows */
	if (nonagle & TCP_NAGLE_CORK)
		return false;
	if (nonagle & TCP_NAGLE_OFF)
		return true;
	return !tp->packets_out || !after(tp->snd_sml, tp->snd_una) ||
	       after(tp->snd_sml, tp->snd_nxt);
}

/*
 * Sender silly-window avoidance (RFC 9293 §3.8.6.2.1): how much of @skb the
 * peer's window lets us send now; 0 to wait.
 */
static unsigned int tcp_snd_wnd_test(const struct tcp_sock *tp,
				     const struct sk_buff *skb, unsigned int mss)
{
	u32 end = tcp_wnd_end(tp);
	u32 seq = TCP_SKB_CB(skb)->seq;
	u32 avail;

	if (!after(TCP_SKB_CB(skb)->end_seq, end))
		return skb->len ? skb->len : 1;
	if (!after(end, seq))
		return 0;
	avail = end - seq;
	if (avail >= mss || avail >= tp->max_window / 2)
		return avail;
	return 0;
}

static void tcp_event_new_data_sent(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);

	if (!before(tcb->seq, tp->snd_nxt) || tcb->seq == tcb->end_seq) {
		tp->lsndtime = tcp_jiffies32();
	} else {
		tcb->retrans++;
		tp->retrans_out++;
		tp->total_retrans++;
		TCP_INC_STATS(TCP_MIB_RETRANSSEGS);
	}
	if (after(tcb->end_seq, tp->snd_nxt))
		tp->snd_nxt = tcb->end_seq;
	if (skb->len < tp->mss_cache)
		tp->snd_sml = tcb->end_seq;	/* tcp_minshall_update */
	tp->send_head = skb->next == (struct sk_buff *)&sk->sk_write_queue ?
			NULL : skb->next;
	tp->packets_out++;
	if (!inet_csk(sk)->icsk_pending)
		tcp_reset_retrans_timer(sk, ICSK_TIME_RETRANS,
					inet_csk(sk)->icsk_rto);
}

/* A window that may open: probe it with the persist timer (RFC 9293 §3.8.6.1). */
static void tcp_check_probe_timer(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (tp->packets_out || !tp->send_head || icsk->icsk_pending)
		return;
	tcp_reset_retrans_timer(sk, ICSK_TIME_PROBE0,
				min_t(u32, icsk->icsk_rto << icsk->icsk_backoff,
				      TCP_RTO_MAX));
}

static struct sk_buff *tcp_write_queue_next(const struct sock *sk,
					    const struct sk_buff *skb)
{
	return skb->next == (const struct sk_buff *)&sk->sk_write_queue ?
	       NULL : skb->next;
}

/*
 * May @skb go now, behind @picked skbs already chosen for this frame:
 * the congestion window, the peer's window and Nagle, cut to one MSS.
 */
static bool tcp_may_send_now(struct sock *sk, struct sk_buff *skb,
			     unsigned int mss, int nonagle, u32 picked)
{
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int limit;

	if (tcp_packets_in_flight(tp) + picked >= tp->snd_cwnd)
		return false;
	limit = tcp_snd_wnd_test(tp, skb, mss);
	if (!limit)
		return false;
	if (!tcp_nagle_test(tp, skb, mss, nonagle))
		return false;
	limit = min(limit, mss);
	return skb->len <= limit || !tcp_fragment(sk, skb, limit);
}

/*
 * tcp_tso_segs - how many write-queue skbs from send_head @skb go out as
 * one frame: each must be allowed on its own (tcp_may_send_now), every
 * one but the last a full MSS with no SYN or FIN, none SACKed, all
 * within the device's GSO size. 0: nothing may go now.
 */
static unsigned int tcp_tso_segs(struct sock *sk, struct sk_buff *skb,
				 unsigned int mss, int nonagle,
				 const struct tcp_xmit_caps *caps)
{
	unsigned int n = 0, bytes = 0;

	while (tcp_may_send_now(sk, skb, mss, nonagle, n)) {
		n++;
		bytes += skb->len;
		if (skb->len != mss ||
		    (TCP_SKB_CB(skb)->tcp_flags & (TCPHDR_SYN | TCPHDR_FIN)) ||
		    bytes + mss > caps->gso_max)
			break;
		skb = tcp_write_queue_next(sk, skb);
		if (!skb || (TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_ACKED))
			break;
	}
	return n;
}

/**
 * tcp_write_xmit - send what the windows and Nagle allow, from send_head.
 */
void tcp_write_xmit(struct sock *sk, int nonagle)
{
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int mss = tcp_current_mss(sk);
	struct tcp_xmit_caps caps;
	struct sk_buff *skb, *next;
	unsigned int n;
	int err;

	if (tp->send_head)
		tcp_route_caps(sk, &caps);
	while ((skb = tp->send_head) != NULL) {
		if (TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_ACKED) {
			tp->send_head = tcp_write_queue_next(sk, skb);
			tp->packets_out++;	/* the peer has it: no resend */
			continue;
		}
		n = tcp_tso_segs(sk, skb, mss, nonagle, &caps);
		if (!n)
			break;
		err = tcp_transmit_skbs(sk, skb, n, &caps);
		if (err == -ENOBUFS && n > 1) {
			n = 1;	/* no memory for a big frame: one segment may fit */
			err = tcp_transmit_skbs(sk, skb, n, &caps);
		}
		if (err == -ENOBUFS)
			break;
		for (; n; n--, skb = next) {
			next = skb->next;
			tcp_event_new_data_sent(sk, skb);
		}
	}
	tcp_check_probe_timer(sk);
}

/* Send what is queued: the user's last write is marked PSH. */
void tcp_push(struct sock *sk, int nonagle)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *tail = skb_peek_tail(&sk->sk_write_queue);

	if (!tp->send_head)
		return;
	if (tail && tail->len && after(tp->write_seq, tp->pushed_seq)) {
		TCP_SKB_CB(tail)->tcp_flags |= TCPHDR_PSH;
		tp->pushed_seq = tp->write_seq;
	}
	tcp_write_xmit(sk, nonagle);
}

/* Send @skb again from the write queue (fast retransmit, SYN timeout). */
int tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int mss = tcp_current_mss(sk);
	int err;

	if (skb->len > mss) {
		if (tcp_fragment(sk, skb, mss))
			return -ENOMEM;
		tp->packets_out++;	/* the tail is in flight as well */
	}
	err = tcp_transmit_skb(sk, skb);
	if (err == -ENOBUFS)
		return err;
	TCP_SKB_CB(skb)->retrans++;
	tp->retrans_out++;
	tp->total_retrans++;
	TCP_INC_STATS(TCP_MIB_RETRANSSEGS);
	return 0;
}

/* A segment with no data: ACK, window probe, keepalive. */
static void tcp_send_bare(struct sock *sk, u32 seq, u8 flags)
{
	struct sk_buff *skb = tcp_stream_alloc_skb(sk, 0);

	if (!skb)
		return;
	TCP_SKB_CB(skb)->seq = TCP_SKB_CB(skb)->end_seq = seq;
	TCP_SKB_CB(skb)->tcp_flags = flags;
	tcp_transmit_skb(sk, skb);
	consume_skb(skb);	/* only a template: the frame was a copy */
}

void tcp_send_ack(struct sock *sk)
{
	if (sk->sk_state == TCP_CLOSE)
		return;
	tcp_send_bare(sk, tcp_sk(sk)->snd_nxt, TCPHDR_ACK);
}

/* Delayed ACK (RFC 1122 §4.2.3.2, RFC 9293 §3.8.6.3): at most 40 ms. */
void tcp_send_delayed_ack(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (icsk->icsk_ack.pending & ICSK_ACK_TIMER)
		return;
	icsk->icsk_ack.pending |= ICSK_ACK_TIMER | ICSK_ACK_SCHED;
	mod_timer(&icsk->icsk_delack_timer, jiffies + TCP_DELACK_MAX);
}

/* RST on a live connection (abort, linger 0, unread data at close). */
void tcp_send_active_reset(struct sock *sk)
{
	tcp_send_bare(sk, tcp_sk(sk)->snd_nxt, TCPHDR_RST | TCPHDR_ACK);
}

/* Queue our FIN behind any data (RFC 9293 §3.10.4 CLOSE); it goes at once. */
void tcp_send_fin(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *tail = skb_peek_tail(&sk->sk_write_queue);

	if (tail && tp->send_head && tail->len) {
		TCP_SKB_CB(tail)->tcp_flags |= TCPHDR_FIN;
		TCP_SKB_CB(tail)->end_seq++;
	} else {
		tail = tcp_stream_alloc_skb(sk, 0);
		if (!tail) {
			/* Out of memory: the keepalive timer, idle in the
			 * closing states, tries again (tcp_fin_unsent); else
			 * the sock would wait for an ACK of a FIN never sent. */
			tcp_reset_keepalive_timer(sk, TCP_RTO_MIN);
			return;
		}
		TCP_SKB_CB(tail)->seq = tp->write_seq;
		TCP_SKB_CB(tail)->end_seq = tp->write_seq + 1;
		TCP_SKB_CB(tail)->tcp_flags = TCPHDR_FIN;
		tcp_skb_entail(sk, tail);
	}
	tp->fin_seq = tp->write_seq;
	tp->fin_queued = 1;
	tp->write_seq++;
	tcp_push(sk, TCP_NAGLE_OFF);
}

/* Zero-window probe (RFC 9293 §3.8.6.1) or keepalive: one old byte's seq. */
int tcp_write_wakeup(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = tp->send_head;

	if (sk->sk_state == TCP_CLOSE)
		return -1;
	if (skb && before(TCP_SKB_CB(skb)->seq, tcp_wnd_end(tp))) {
		unsigned int room = tcp_wnd_end(tp) - TCP_SKB_CB(skb)->seq;

		if (skb->len > room && tcp_fragment(sk, skb, room))
			return -1;
		if (tcp_transmit_skb(sk, skb) == 0)
			tcp_event_new_data_sent(sk, skb);
		return 0;
	}
	tcp_send_bare(sk, tp->snd_una - 1, TCPHDR_ACK);
	return 1;
}

void tcp_send_probe0(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	tcp_write_wakeup(sk);
	if (tp->packets_out || !tp->send_head) {
		icsk->icsk_probes_out = 0;
		icsk->icsk_backoff = 0;
		return;
	}
	icsk->icsk_probes_out++;
	if (icsk->icsk_backoff < 15)
		icsk->icsk_backoff++;
	tcp_reset_retrans_timer(sk, ICSK_TIME_PROBE0,
				min_t(u32, icsk->icsk_rto << icsk->icsk_backoff,
				      TCP_RTO_MAX));
}

/* Receive buffer space the window may offer: half of what is free. */
static int tcp_space(const struct sock *sk)
{
	int free = sk->sk_rcvbuf - sk->sk_rmem_alloc -
		   (int)tcp_sk(sk)->ofo_bytes;

	return free > 0 ? free / 2 : 0;
}

/*
 * __tcp_select_window - the window our buffer allows now, with receiver
 * silly-window avoidance (RFC 9293 §3.8.6.2.2): less than an MSS is 0,
 * and with scaling it is rounded down to what the shift can express.
 */
u32 __tcp_select_window(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 mss = tp->advmss;
	u32 space = (u32)tcp_space(sk);
	u32 wscale = tp->rx_opt.rcv_wscale;

	space = min(space, tp->window_clamp);
	if (space < mss && space < (u32)sk->sk_rcvbuf / 16)
		return 0;
	if (wscale)
		return space & ~((1U << wscale) - 1);
	return space;
}

/* The window to advertise: never shrinking the right edge (RFC 9293 §3.8.6.2.2). */
u32 tcp_select_window(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 wscale = tp->rx_opt.rcv_wscale;
	s32 cur = (s32)(tp->rcv_wup + tp->rcv_wnd - tp->rcv_nxt);
	u32 new_win = __tcp_select_window(sk);

	if (cur < 0)
		cur = 0;
	if (new_win < (u32)cur)
		new_win = ((u32)cur + (1U << wscale) - 1) & ~((1U << wscale) - 1);
	new_win = min(new_win, TCP_MAX_WINDOW << wscale);
	tp->rcv_wnd = new_win;
	tp->rcv_wup = tp->rcv_nxt;
	return new_win >> wscale;
}

/* RFC 7323 §2.3: the smallest shift that lets @space be offered. */
void tcp_select_initial_window(int space, u32 mss, u32 *rcv_wnd,
			       u8 *rcv_wscale)
{
	u32 s = (u32)(space > 0 ? space : 0);
	u8 ws = 0;

	while (s > TCP_MAX_WINDOW && ws < TCP_MAX_WSCALE) {
		s >>= 1;
		ws++;
	}
	*rcv_wscale = ws;
	*rcv_wnd = min_t(u32, (u32)(space > 0 ? space : 0), TCP_MAX_WINDOW);
	if (*rcv_wnd > mss)
		*rcv_wnd -= *rcv_wnd % mss;
}

/* The MSS for the path to @daddr: its device MTU less the headers. */
u16 tcp_mss_for_route(__be32 daddr)
{
	struct rtable rt;
	u32 mtu = 1500;

	if (!ip_route_output(daddr, 0, &rt) && rt.dev)
		mtu = rt.dev->mtu;
	mtu = clamp(mtu, 576U, 65535U);
	return (u16)(mtu - sizeof(struct iphdr) - sizeof(struct tcphdr));
}

/*
 * tcp_sync_mss - a new path MTU: the sending MSS follows it, never below
 * TCP_MIN_MSS however small the MTU reported (RFC 8201 floor, Linux's
 * tcp_min_snd_mss), never above what the peer announced.
 */
unsigned int tcp_sync_mss(struct sock *sk, u32 pmtu)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 mss = pmtu > 40 ? pmtu - 40 : 0;

	if (tp->rx_opt.mss_clamp && mss > tp->rx_opt.mss_clamp)
		mss = tp->rx_opt.mss_clamp;
	mss = max(mss, TCP_MIN_MSS);
	inet_csk(sk)->icsk_pmtu_cookie = (u16)min_t(u32, pmtu, 65535);
	tp->mss_cache = (u16)mss;
	return mss;
}

/* Payload bytes per segment, less the timestamp option when it is on. */
unsigned int tcp_current_mss(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int mss = tp->mss_cache;

	if (tp->rx_opt.tstamp_ok && mss > TCP_MIN_MSS + 12)
		mss -= 12;
	if (tp->rx_opt.sack_ok && tp->num_sacks &&
	    mss > TCP_MIN_MSS + 4 + 8U * tp->num_sacks)
		mss -= 4 + 8U * tp->num_sacks;	/* the blocks ride on data too */
	return mss;
}

/* Our SYN's parameters: MSS from the route, window and its scale. */
static void tcp_connect_init(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->advmss = tcp_mss_for_route(sk->sk_daddr);
	tp->mss_cache = min_t(u16, tp->advmss, TCP_MSS_DEFAULT);
	tp->window_clamp = (u32)sk->sk_rcvbuf;
	tcp_select_initial_window(tcp_space(sk), tp->advmss, &tp->rcv_wnd,
				  &tp->rx_opt.rcv_wscale);
	tp->rx_opt.wscale_ok = 1;
	tp->rx_opt.tstamp_ok = sock_net(sk)->ipv4.sysctl_tcp_timestamps;
	tp->rx_opt.sack_ok = 1;
	tp->rx_opt.ts_recent = 0;
	tp->snd_una = tp->write_seq;
	tp->snd_nxt = tp->write_seq;
	tp->snd_sml = tp->write_seq;
	tp->pushed_seq = tp->write_seq;
	tp->high_seq = tp->write_seq;	/* RFC 6582 §3.2: recover = ISS */
	tp->rcv_nxt = 0;
	tp->rcv_wup = 0;
	tp->copied_seq = 0;
	tp->snd_wnd = 0;
	inet_csk(sk)->icsk_rto = TCP_TIMEOUT_INIT;
	inet_csk(sk)->icsk_retransmits = 0;
}

/**
 * tcp_connect - active open (RFC 9293 §3.10.1): queue and send our SYN.
 * The sock is already in the established hash (tcp_v4_connect).
 */
int tcp_connect(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;

	tcp_connect_init(sk);
	skb = tcp_stream_alloc_skb(sk, 0);
	if (!skb)
		return -ENOBUFS;
	TCP_SKB_CB(skb)->seq = tp->write_seq;
	TCP_SKB_CB(skb)->end_seq = tp->write_seq + 1;
	TCP_SKB_CB(skb)->tcp_flags = TCPHDR_SYN;
	tp->write_seq++;
	tp->pushed_seq = tp->write_seq;
	tcp_skb_entail(sk, skb);
	TCP_INC_STATS(TCP_MIB_ACTIVEOPENS);
	tcp_transmit_skb(sk, skb);
	tcp_event_new_data_sent(sk, skb);
	return 0;
}

/* Our SYN-ACK for a request sock (RFC 9293 §3.10.7.2). */
int tcp_send_synack(struct sock *sk, struct request_sock *req)
{
	struct tcp_out_options o = { .mss = tcp_mss_for_route(req->ir_rmt_addr) };
	struct sk_buff *skb = alloc_skb(TCP_HDR_ROOM);

	(void)sk;
	if (!skb)
		return -ENOBUFS;
	skb_reserve(skb, TCP_HDR_ROOM);
	if (req->wscale_ok)
		o.ws = req->rcv_wscale + 1;
	o.sack_perm = req->sack_ok;
	if (req->tstamp_ok) {
		o.ts = true;
		o.tsval = tcp_time_stamp();
		o.tsecr = req->ts_recent;
	}
	return tcp_xmit_frame(skb, req->ir_loc_addr, req->ir_rmt_addr,
			      htons(req->ir_num), req->ir_rmt_port,
			      req->snt_isn, req->rcv_isn + 1,
			      TCPHDR_SYN | TCPHDR_ACK,
			      (u16)min_t(u32, req->rcv_wnd, TCP_MAX_WINDOW), &o, NULL);
}

/* An ACK with no sock behind it: TIME_WAIT, request socks, challenge ACKs. */
void tcp_v4_send_ack(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport,
		     u32 seq, u32 ack, u32 win, u32 tsval, u32 tsecr, bool ts)
{
	struct tcp_out_options o = { .ts = ts, .tsval = tsval, .tsecr = tsecr };
	struct sk_buff *skb = alloc_skb(TCP_HDR_ROOM);

	if (!skb)
		return;
	skb_reserve(skb, TCP_HDR_ROOM);
	tcp_xmit_frame(skb, saddr, daddr, sport, dport, seq, ack, TCPHDR_ACK,
		       (u16)min_t(u32, win, TCP_MAX_WINDOW), &o, NULL);
}

/*
 * tcp_v4_send_reset - answer a segment no connection wants (RFC 9293
 * §3.10.7.1): if it had an ACK, <SEQ=SEG.ACK><CTL=RST>; otherwise
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. Never a reset for a reset.
 */
void tcp_v4_send_reset(const struct sk_buff *skb)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	const struct iphdr *iph = ip_hdr(skb);
	struct tcp_out_options o = { 0 };
	struct sk_buff *rst;
	u32 seq = 0, ack = 0;
	u8 flags = TCPHDR_RST;

	if (tcb->tcp_flags & TCPHDR_RST)
		return;
	if (tcb->tcp_flags & TCPHDR_ACK) {
		seq = tcb->ack_seq;
	} else {
		ack = tcb->end_seq;
		flags |= TCPHDR_ACK;
	}
	rst = alloc_skb(TCP_HDR_ROOM);
	if (!rst)
		return;
	skb_reserve(rst, TCP_HDR_ROOM);
	tcp_xmit_frame(rst, iph->daddr, iph->saddr, th->dest, th->source, seq,
		       ack, flags, 0, &o, NULL);
}
