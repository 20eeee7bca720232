/*
 * IPv4 receive (RFC 791 §3.2, RFC 1122 §3.2.1): validate the header,
 * reassemble fragments, deliver to the transport protocol.
 * netif_receive_skb -> ip_rcv -> [ip_defrag] -> ip_local_deliver ->
 * inet_protos[]->handler.
 */
#include "net/ip.h"
#include "net/checksum.h"
#include "net/dev.h"
#include "net/icmp.h"
#include "net/inetdevice.h"
#include "net/net_namespace.h"
#include "net/trace.h"
#include "lib/errno.h"

const struct net_protocol *inet_protos[256];

int inet_add_protocol(const struct net_protocol *prot, u8 protocol)
{
	if (inet_protos[protocol])
		return -EEXIST;
	inet_protos[protocol] = prot;
	return 0;
}

int inet_del_protocol(const struct net_protocol *prot, u8 protocol)
{
	if (inet_protos[protocol] != prot)
		return -ENOENT;
	inet_protos[protocol] = NULL;
	return 0;
}

int ip_local_deliver(struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct net_protocol *prot = inet_protos[iph->protocol];

	net_trace(skb);
	if (!prot) {
		IP_INC_STATS(IPSTATS_MIB_INUNKNOWNPROTOS);
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, 0);
		kfree_skb_reason(skb, SKB_DROP_REASON_IP_NOPROTO);
		return NET_RX_DROP;
	}
	skb_pull(skb, iph->ihl * 4u);
	skb_reset_transport_header(skb);
	IP_INC_STATS(IPSTATS_MIB_INDELIVERS);
	return prot->handler(skb);
}

/*
 * Is the datagram for us? Our address on any device (the weak host model,
 * as Linux), a broadcast, or, while @dev has no address yet, anything:
 * a DHCP client must hear the offer sent to the address it will get
 * (RFC 2131 §4.1).
 */
static bool ip_for_us(struct sk_buff *skb, struct net_device *dev,
		      const struct iphdr *iph)
{
	if (inet_is_broadcast(dev, iph->daddr)) {
		IPCB(skb)->flags |= IPSKB_BROADCAST;
		return true;
	}
	if (ipv4_is_multicast(iph->daddr))
		return false;		/* we join no groups */
	if (ip_dev_find(iph->daddr))
		return true;
	if ((dev->flags & IFF_LOOPBACK) && ipv4_is_loopback(iph->daddr))
		return true;
	return !inet_dev_addr(dev) && iph->protocol == IPPROTO_UDP;
}

/*
 * Header checks in RFC 1122 §3.2.1 order. TTL is not checked: a host
 * "MUST NOT discard a datagram just because it was received with TTL
 * less than 2" (RFC 1122 §3.2.1.7); only forwarding decrements it, and we
 * do not forward. Options are not interpreted, only skipped (IHL covers
 * them).
 */
int ip_rcv(struct sk_buff *skb, struct net_device *dev)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	enum skb_drop_reason reason = SKB_DROP_REASON_IP_HDR;
	unsigned int hlen, tot;

	net_trace(skb);
	IP_INC_STATS(IPSTATS_MIB_INRECEIVES);
	IPCB(skb)->flags = 0;
	if (!pskb_may_pull(skb, sizeof(*iph))) {
		reason = SKB_DROP_REASON_PKT_TOO_SMALL;
		goto hdr_error;
	}
	hlen = iph->ihl * 4u;
	if (iph->version != 4 || iph->ihl < 5 || !pskb_may_pull(skb, hlen))
		goto hdr_error;
	if (ip_fast_csum(iph, iph->ihl)) {
		IP_INC_STATS(IPSTATS_MIB_INCSUMERRORS);
		reason = SKB_DROP_REASON_IP_CSUM;
		goto hdr_error;
	}
	tot = ntohs(iph->tot_len);
	if (tot > skb->len) {
		IP_INC_STATS(IPSTATS_MIB_INTRUNCATEDPKTS);
		reason = SKB_DROP_REASON_PKT_TOO_SMALL;
		goto drop;
	}
	if (tot < hlen)
		goto hdr_error;
	skb_trim(skb, tot);		/* Ethernet pads short frames */
	skb_reset_network_header(skb);
	if (!ip_for_us(skb, dev, iph)) {
		IP_INC_STATS(IPSTATS_MIB_INADDRERRORS);
		reason = SKB_DROP_REASON_IP_NOT_OURS;
		goto drop;
	}
	if (ntohs(iph->frag_off) & (IP_MF | IP_OFFSET)) {
		skb = ip_defrag(skb);
		if (!skb)
			return 0;
	}
	return ip_local_deliver(skb);
hdr_error:
	IP_INC_STATS(IPSTATS_MIB_INHDRERRORS);
drop:
	kfree_skb_reason(skb, reason);
	return NET_RX_DROP;
}

static struct packet_type ip_packet_type = {
	.func = ip_rcv,
};

void ip_init(void)
{
	ip_packet_type.type = htons(ETH_P_IP);
	dev_add_pack(&ip_packet_type);
}
