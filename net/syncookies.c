/*
 * SYN cookies (Linux net/ipv4/syncookies.c, RFC 4987 §3.6): when the SYN
 * queue is full, the listener keeps no state; the SYN-ACK's sequence
 * number encodes a keyed hash of the 4-tuple, a minute counter and the
 * peer's MSS (one of four), and the final ACK proves it. Connections so
 * made have no window scaling or timestamps (they are not encoded).
 */
#include "net/tcp.h"
#include "kernel/random.h"
#include "net/net_namespace.h"

#define COOKIEBITS		24
#define COOKIEMASK		((1U << COOKIEBITS) - 1)
#define MAX_SYNCOOKIE_AGE	2	/* minutes */
#define TCP_SYNCOOKIE_PERIOD	(60 * HZ)

static const u16 msstab[] = { 536, 1300, 1440, 1460 };
static u32 cookie_secret[2][4];
static bool cookie_ready;

static u32 cookie_hash(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport,
		       u32 count, int c)
{
	const u32 *k = cookie_secret[c];
	u32 h = k[0] ^ saddr;

	if (!cookie_ready) {
		get_random_bytes(cookie_secret, sizeof(cookie_secret));
		cookie_ready = true;
		k = cookie_secret[c];
		h = k[0] ^ saddr;
	}
	h = (h ^ (h >> 16)) * 0x85ebca6b + (k[1] ^ daddr);
	h = (h ^ (h >> 13)) * 0xc2b2ae35 + (k[2] ^ ((u32)sport << 16 | dport));
	h = (h ^ (h >> 16)) * 0x7feb352d + (k[3] ^ count);
	return h ^ (h >> 15);
}

static u32 cookie_count(void)
{
	return (u32)(jiffies / TCP_SYNCOOKIE_PERIOD);
}

/* The cookie for a SYN from saddr:sport with sequence @sseq and MSS index @data. */
static u32 secure_tcp_syn_cookie(__be32 saddr, __be32 daddr, __be16 sport,
				 __be16 dport, u32 sseq, u32 data)
{
	u32 count = cookie_count();

	return cookie_hash(saddr, daddr, sport, dport, 0, 0) + sseq +
	       (count << COOKIEBITS) +
	       ((cookie_hash(saddr, daddr, sport, dport, count, 1) + data) &
		COOKIEMASK);
}

/* The MSS index a valid @cookie carries, or -1. */
static int check_tcp_syn_cookie(u32 cookie, __be32 saddr, __be32 daddr,
				__be16 sport, __be16 dport, u32 sseq)
{
	u32 count = cookie_count(), diff, data;

	cookie -= cookie_hash(saddr, daddr, sport, dport, 0, 0) + sseq;
	diff = (count - (cookie >> COOKIEBITS)) & ((u32)-1 >> COOKIEBITS);
	if (diff >= MAX_SYNCOOKIE_AGE)
		return -1;
	data = (cookie - cookie_hash(saddr, daddr, sport, dport, count - diff,
				     1)) & COOKIEMASK;
	return data < ARRAY_SIZE(msstab) ? (int)data : -1;
}

/**
 * cookie_v4_init_sequence - the ISN for a SYN-ACK sent without a request
 * sock; *@mss is lowered to the table entry it encodes.
 */
u32 cookie_v4_init_sequence(const struct sk_buff *skb, u16 *mss)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	u32 idx = ARRAY_SIZE(msstab) - 1;

	while (idx && *mss < msstab[idx])
		idx--;
	*mss = msstab[idx];
	TCP_INC_STATS(TCP_MIB_SYNCOOKIESSENT);
	return secure_tcp_syn_cookie(iph->saddr, iph->daddr, th->source,
				     th->dest, TCP_SKB_CB(skb)->seq, idx);
}

/**
 * cookie_v4_check - an ACK for a listener with no request sock: if it
 * returns a valid cookie, put a request sock on the SYN queue for
 * tcp_check_req to complete, as if the SYN had been kept. NULL if not.
 */
struct request_sock *cookie_v4_check(struct sock *sk, struct sk_buff *skb)
{
	const struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);
	struct inet_connection_sock *icsk = inet_csk(sk);
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct request_sock *req;
	int idx;

	if (!icsk->icsk_accept_queue.last_overflow ||
	    (s64)(jiffies - icsk->icsk_accept_queue.last_overflow) >
	    (s64)MAX_SYNCOOKIE_AGE * TCP_SYNCOOKIE_PERIOD)
		return NULL;
	if ((tcb->tcp_flags & (TCPHDR_SYN | TCPHDR_RST)) ||
	    !(tcb->tcp_flags & TCPHDR_ACK))
		return NULL;
	idx = check_tcp_syn_cookie(tcb->ack_seq - 1, iph->saddr, iph->daddr,
				   th->source, th->dest, tcb->seq - 1);
	if (idx < 0)
		return NULL;
	req = inet_reqsk_alloc(sk);
	if (!req)
		return NULL;
	req->ir_loc_addr = iph->daddr;
	req->ir_rmt_addr = iph->saddr;
	req->ir_rmt_port = th->source;
	req->ir_num = ntohs(th->dest);
	req->rcv_isn = tcb->seq - 1;
	req->snt_isn = tcb->ack_seq - 1;
	req->mss = msstab[idx];
	req->rcv_wnd = TCP_MAX_WINDOW;
	list_add_tail(&req->list, &icsk->icsk_accept_queue.syn_queue);
	icsk->icsk_accept_queue.qlen++;
	TCP_INC_STATS(TCP_MIB_SYNCOOKIESRECV);
	return req;
}
