/*
 * IPv4 send (RFC 791 §3.2): route, build the header, fragment above the
 * MTU unless DF, resolve the next hop.
 * ip_build_and_send_pkt -> ip_route_output -> ip_finish_output ->
 * [ip_fragment] -> neigh_output -> dev_queue_xmit. A GSO (TSO) skb is
 * never fragmented: ip_finish_output_gso.
 */
#include "net/ip.h"
#include "lib/errno.h"
#include "net/arp.h"
#include "net/checksum.h"
#include "net/gso.h"
#include "net/net_namespace.h"
#include "net/route.h"
#include "net/trace.h"

u16 ip_select_ident(void)
{
	return net_current()->ipv4.ip_id++;
}

void ip_build_header(struct sk_buff *skb, const struct ip_send_args *a,
		     __be32 saddr, u16 id)
{
	struct iphdr *iph = (struct iphdr *)skb->data;

	iph->version = 4;
	iph->ihl = 5;
	iph->tos = a->tos;
	iph->tot_len = htons((u16)skb->len);
	iph->id = htons(id);
	iph->frag_off = htons(a->df ? IP_DF : 0);
	iph->ttl = a->ttl ? a->ttl : IPDEFTTL;
	iph->protocol = a->protocol;
	iph->saddr = saddr;
	iph->daddr = a->daddr;
	iph->check = 0;
	iph->check = htons(ip_fast_csum(iph, 5));
}

static int ip_finish_output2(struct sk_buff *skb, __be32 nexthop)
{
	return neigh_output(skb, skb->dev, nexthop);
}

static int ip_finish_output(struct sk_buff *skb, __be32 nexthop);

/*
 * Linux ip_finish_output_gso: a GSO skb is never fragmented. If its
 * segments fit the MTU it goes down whole (the device or dev_queue_xmit
 * cuts it); otherwise it is cut here and each segment takes the normal
 * path, where DF segments too big for the link are refused.
 */
static int ip_finish_output_gso(struct sk_buff *skb, __be32 nexthop,
				unsigned int mtu)
{
	struct sk_buff *segs, *next;
	int err = 0, ret;

	if (skb_gso_network_seglen(skb) <= mtu)
		return ip_finish_output2(skb, nexthop);
	segs = skb_gso_segment(skb);
	if (!segs) {
		IP_INC_STATS(IPSTATS_MIB_OUTDISCARDS);
		kfree_skb_reason(skb, SKB_DROP_REASON_NO_MEMORY);
		return -ENOMEM;
	}
	consume_skb(skb);
	for (; segs; segs = next) {
		next = segs->next;
		segs->next = NULL;
		ret = ip_finish_output(segs, nexthop);
		if (ret && !err)
			err = ret;
	}
	return err;
}

static int ip_finish_output(struct sk_buff *skb, __be32 nexthop)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int mtu = skb->dev->mtu;

	net_trace(skb);
	if (skb_is_gso(skb))
		return ip_finish_output_gso(skb, nexthop, mtu);
	if (skb->len <= mtu)
		return ip_finish_output2(skb, nexthop);
	if (ntohs(iph->frag_off) & IP_DF) {
		/* We do not forward, so no ICMP "fragmentation needed" to send. */
		IP_INC_STATS(IPSTATS_MIB_FRAGFAILS);
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_BIG);
		return -EMSGSIZE;
	}
	return ip_fragment(skb, mtu, ip_finish_output2, nexthop);
}

int ip_build_and_send_pkt(struct sk_buff *skb, const struct ip_send_args *a)
{
	struct rtable rt;

	net_trace(skb);
	IP_INC_STATS(IPSTATS_MIB_OUTREQUESTS);
	if (a->rt_cache ? ip_route_output_cached(a->rt_cache, a->daddr, a->saddr, &rt)
			: ip_route_output(a->daddr, a->saddr, &rt)) {
		IP_INC_STATS(IPSTATS_MIB_OUTNOROUTES);
		kfree_skb_reason(skb, SKB_DROP_REASON_NO_ROUTE);
		return -ENETUNREACH;
	}
	if (skb->len + sizeof(struct iphdr) > IP_MAX_PACKET) {
		IP_INC_STATS(IPSTATS_MIB_OUTDISCARDS);
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_BIG);
		return -EMSGSIZE;
	}
	skb_push(skb, sizeof(struct iphdr));
	skb_reset_network_header(skb);
	ip_build_header(skb, a, rt.saddr, ip_select_ident());
	skb->dev = rt.dev;
	skb->protocol = htons(ETH_P_IP);
	return ip_finish_output(skb, rt.nexthop);
}

/* One fragment: @hlen bytes of header, then @len bytes of payload from @from. */
static struct sk_buff *ip_frag_alloc(const struct sk_buff *skb, unsigned int hlen,
				     unsigned int from, unsigned int len,
				     u16 frag_off)
{
	struct sk_buff *frag = alloc_skb(MAX_HEADER + hlen + len);
	struct iphdr *iph;

	if (!frag)
		return NULL;
	skb_reserve(frag, MAX_HEADER);
	skb_put_data(frag, skb->data, hlen);
	skb_put_data(frag, skb->data + from, len);
	skb_reset_network_header(frag);
	frag->dev = skb->dev;
	frag->protocol = skb->protocol;
	iph = ip_hdr(frag);
	iph->tot_len = htons((u16)(hlen + len));
	iph->frag_off = htons(frag_off);
	iph->check = 0;
	iph->check = htons(ip_fast_csum(iph, iph->ihl));
	return frag;
}

/*
 * RFC 791 §3.2 "Fragmentation": cut the payload into pieces of at most
 * (mtu - header) rounded down to 8 bytes; every piece but the last carries
 * MF. We send no options, so each fragment copies the whole header.
 */
int ip_fragment(struct sk_buff *skb, unsigned int mtu,
		int (*output)(struct sk_buff *skb, __be32 nexthop),
		__be32 nexthop)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int hlen = iph->ihl * 4u, left = skb->len - hlen, pos = hlen;
	unsigned int chunk = (mtu - hlen) & ~7u;
	u16 orig = ntohs(iph->frag_off);
	unsigned int offset = (orig & IP_OFFSET) * 8u;
	int err = 0;

	if (mtu < hlen + 8) {
		IP_INC_STATS(IPSTATS_MIB_FRAGFAILS);
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_BIG);
		return -EMSGSIZE;
	}
	while (left) {
		unsigned int len = left > chunk ? chunk : left;
		u16 fo = (u16)(offset / 8) | (orig & IP_MF) | (len < left ? IP_MF : 0);
		struct sk_buff *frag = ip_frag_alloc(skb, hlen, pos, len, fo);

		if (!frag) {
			IP_INC_STATS(IPSTATS_MIB_FRAGFAILS);
			kfree_skb_reason(skb, SKB_DROP_REASON_NO_MEMORY);
			return -ENOMEM;
		}
		IP_INC_STATS(IPSTATS_MIB_FRAGCREATES);
		err = output(frag, nexthop);
		pos += len;
		offset += len;
		left -= len;
	}
	IP_INC_STATS(IPSTATS_MIB_FRAGOKS);
	consume_skb(skb);
	return err;
}
