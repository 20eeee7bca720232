/*
 * IPv4 reassembly (RFC 791 §3.2 "Reassembly", RFC 815), hardened as Linux
 * is since FragmentSmack: fragments of one datagram, keyed by (src, dst,
 * id, protocol), are kept sorted by offset. An exact duplicate is dropped;
 * any other overlap discards the whole datagram (ReasmOverlaps), as Linux
 * does for IPv4 today and RFC 5722 asks for IPv6. All queues together
 * hold at most IPFRAG_HIGH_THRESH bytes; a fragment beyond that is
 * refused (ReasmFails). A datagram not complete in IPFRAG_TIMEOUT_MS is
 * dropped, with an ICMP time exceeded if its first fragment came.
 * ip_rcv -> ip_defrag -> [ip_frag_reasm] -> ip_local_deliver.
 */
#include "net/ip.h"
#include "kernel/slab.h"
#include "kernel/timer.h"
#include "lib/ratelimit.h"
#include "lib/string.h"
#include "net/checksum.h"
#include "net/icmp.h"
#include "net/net_namespace.h"
#include "net/trace.h"

struct ipq {
	struct list_head list;		/* on net->ipv4.frag_queues */
	struct net *net;
	__be32 saddr, daddr;
	__be16 id;
	u8 protocol;
	bool last_seen;
	unsigned int len;		/* payload length, known once last_seen */
	unsigned int meat;		/* payload bytes received */
	unsigned int truesize;
	struct sk_buff_head frags;	/* sorted by offset */
	struct timer_list timer;
};

/* Where the fragment's payload sits in the datagram (skb->cb after IPCB). */
struct ipfrag_skb_cb {
	struct inet_skb_parm h;
	unsigned int offset, len;
};
#define FRAG_CB(skb)	((struct ipfrag_skb_cb *)((skb)->cb))
BUILD_BUG_ON(sizeof(struct ipfrag_skb_cb) > sizeof(((struct sk_buff *)0)->cb));

static struct netns_ipv4 *ns(void)
{
	return &net_current()->ipv4;
}

static void ipq_destroy(struct ipq *q, enum skb_drop_reason reason)
{
	struct sk_buff *skb;

	del_timer(&q->timer);
	while ((skb = skb_dequeue(&q->frags)))
		kfree_skb_reason(skb, reason);
	ns()->frag_mem -= q->truesize;
	ns()->frag_count--;
	list_del(&q->list);
	kfree(q);
}

static void ipq_kill(struct ipq *q)
{
	IP_INC_STATS(IPSTATS_MIB_REASMFAILS);
	ipq_destroy(q, SKB_DROP_REASON_IP_FRAG);
}

static void ip_expire(struct timer_list *t)
{
	struct ipq *q = from_timer(q, t, timer);
	struct net *prev = net_enter(q->net);
	struct sk_buff *head = skb_peek(&q->frags);

	IP_INC_STATS(IPSTATS_MIB_REASMTIMEOUT);
	/* RFC 792: time exceeded, code 1, only if fragment zero is here. */
	if (head && FRAG_CB(head)->offset == 0)
		icmp_send(head, ICMP_TIME_EXCEEDED, ICMP_EXC_FRAGTIME, 0);
	ipq_kill(q);
	net_leave(prev);
}

static struct ipq *ipq_find(const struct iphdr *iph)
{
	struct ipq *q;

	list_for_each_entry(q, &ns()->frag_queues, list)
		if (q->id == iph->id && q->saddr == iph->saddr &&
		    q->daddr == iph->daddr && q->protocol == iph->protocol)
			return q;
	if (ns()->frag_count >= IPFRAG_MAX_QUEUES) {
		pr_warn_ratelimited("ip: %u reassembly queues in use, "
				    "fragment dropped\n", IPFRAG_MAX_QUEUES);
		return NULL;
	}
	q = kzalloc(sizeof(*q));
	if (!q)
		return NULL;
	q->net = net_current();
	q->saddr = iph->saddr;
	q->daddr = iph->daddr;
	q->id = iph->id;
	q->protocol = iph->protocol;
	skb_queue_head_init(&q->frags);
	timer_setup(&q->timer, ip_expire, 0);
	mod_timer(&q->timer, jiffies + msecs_to_jiffies(IPFRAG_TIMEOUT_MS));
	list_add_tail(&q->list, &ns()->frag_queues);
	ns()->frag_count++;
	return q;
}

enum frag_verdict { FRAG_OK, FRAG_DUP, FRAG_BAD };

/* Insert in offset order; refuse overlaps (exact duplicates are harmless). */
static enum frag_verdict ipq_insert(struct ipq *q, struct sk_buff *skb)
{
	unsigned int off = FRAG_CB(skb)->offset, end = off + FRAG_CB(skb)->len;
	struct sk_buff *it;

	skb_queue_walk(&q->frags, it) {
		unsigned int o = FRAG_CB(it)->offset, e = o + FRAG_CB(it)->len;

		if (o == off && e == end)
			return FRAG_DUP;
		if (off < e && o < end)
			return FRAG_BAD;
		if (o > off) {
			skb_insert_before(it, skb, &q->frags);
			return FRAG_OK;
		}
	}
	skb_queue_tail(&q->frags, skb);
	return FRAG_OK;
}

/* Check the fragment against what the queue knows of the datagram's end. */
static bool ipq_end_ok(struct ipq *q, unsigned int end, bool more)
{
	struct sk_buff *tail = skb_peek_tail(&q->frags);
	unsigned int max_end = tail ? FRAG_CB(tail)->offset + FRAG_CB(tail)->len : 0;

	if (!more) {
		if ((q->last_seen && end != q->len) || end < max_end)
			return false;
		q->last_seen = true;
		q->len = end;
		return true;
	}
	return !q->last_seen || end <= q->len;
}

/* All pieces are here: one skb with the first fragment's header. */
static struct sk_buff *ip_frag_reasm(struct ipq *q)
{
	struct sk_buff *head = skb_peek(&q->frags), *skb, *it;
	const struct iphdr *hiph = ip_hdr(head);
	unsigned int hlen = hiph->ihl * 4u;
	struct iphdr *iph;

	if (hlen + q->len > IP_MAX_PACKET)
		return NULL;
	skb = alloc_skb(MAX_HEADER + hlen + q->len);
	if (!skb)
		return NULL;
	skb_reserve(skb, MAX_HEADER);
	skb_put_data(skb, hiph, hlen);
	skb_queue_walk(&q->frags, it)
		skb_put_data(skb, skb_network_header(it) + ip_hdr(it)->ihl * 4u,
			     FRAG_CB(it)->len);
	skb_reset_network_header(skb);
	skb->dev = head->dev;
	skb->protocol = head->protocol;
	skb->pkt_type = head->pkt_type;
	skb->trace = head->trace;
	memset(skb->cb, 0, sizeof(skb->cb));
	IPCB(skb)->flags = IPCB(head)->flags | IPSKB_FRAG_COMPLETE;
	iph = ip_hdr(skb);
	iph->tot_len = htons((u16)(hlen + q->len));
	iph->frag_off = 0;
	iph->check = 0;
	iph->check = htons(ip_fast_csum(iph, iph->ihl));
	return skb;
}

static struct sk_buff *ipq_add(struct ipq *q, struct sk_buff *skb, bool more)
{
	unsigned int end = FRAG_CB(skb)->offset + FRAG_CB(skb)->len;
	struct sk_buff *whole;

	if (!ipq_end_ok(q, end, more))
		goto kill;
	switch (ipq_insert(q, skb)) {
	case FRAG_DUP:
		kfree_skb_reason(skb, SKB_DROP_REASON_IP_FRAG);
		return NULL;
	case FRAG_BAD:
		IP_INC_STATS(IPSTATS_MIB_REASMOVERLAPS);
		goto kill;
	case FRAG_OK:
		break;
	}
	q->meat += FRAG_CB(skb)->len;
	q->truesize += skb->truesize;
	ns()->frag_mem += skb->truesize;
	if (!q->last_seen || q->meat != q->len ||
	    FRAG_CB(skb_peek(&q->frags))->offset != 0)
		return NULL;
	whole = ip_frag_reasm(q);
	if (!whole) {
		ipq_kill(q);
		return NULL;
	}
	IP_INC_STATS(IPSTATS_MIB_REASMOKS);
	ipq_destroy(q, SKB_CONSUMED);
	return whole;
kill:
	kfree_skb_reason(skb, SKB_DROP_REASON_IP_FRAG);
	ipq_kill(q);
	return NULL;
}

struct sk_buff *ip_defrag(struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int hlen = iph->ihl * 4u, fo = ntohs(iph->frag_off);
	unsigned int offset = (fo & IP_OFFSET) * 8u, len = skb->len - hlen;
	bool more = fo & IP_MF;
	struct ipq *q;

	net_trace(skb);
	IP_INC_STATS(IPSTATS_MIB_REASMREQDS);
	/* Empty, past 64 KiB, or a middle piece not a multiple of 8: invalid. */
	if (!len || hlen + offset + len > IP_MAX_PACKET || (more && (len & 7)))
		goto fail;
	if (ns()->frag_mem + skb->truesize > IPFRAG_HIGH_THRESH) {
		pr_warn_ratelimited("ip: reassembly memory limit of %u bytes "
				    "reached, fragment dropped\n",
				    IPFRAG_HIGH_THRESH);
		goto fail;
	}
	q = ipq_find(iph);
	if (!q)
		goto fail;
	FRAG_CB(skb)->offset = offset;
	FRAG_CB(skb)->len = len;
	return ipq_add(q, skb, more);
fail:
	IP_INC_STATS(IPSTATS_MIB_REASMFAILS);
	kfree_skb_reason(skb, SKB_DROP_REASON_IP_FRAG);
	return NULL;
}

void ipfrag_net_init(struct net *net)
{
	INIT_LIST_HEAD(&net->ipv4.frag_queues);
	net->ipv4.frag_mem = 0;
	net->ipv4.frag_count = 0;
}

void ipfrag_net_exit(struct net *net)
{
	struct ipq *q, *tmp;

	list_for_each_entry_safe(q, tmp, &net->ipv4.frag_queues, list)
		ipq_destroy(q, SKB_DROP_REASON_IP_FRAG);
}
