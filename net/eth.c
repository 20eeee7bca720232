/*
 * Ethernet (IEEE 802.3 framing with Ethernet II types): classify a received
 * frame by its destination MAC and strip the header; prepend one to send.
 * netif_receive_skb -> eth_type_trans -> arp_rcv / ip_rcv.
 */
#include "net/netdevice.h"
#include "lib/byteorder.h"
#include "lib/string.h"
#include "net/trace.h"

/*
 * Set skb->pkt_type from the destination address: broadcast, multicast
 * (the group bit), ours, or someone else's (dropped by the caller unless
 * the device is promiscuous). The caller has checked skb->len >= ETH_HLEN.
 */
__be16 eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	const struct ethhdr *eth = (const struct ethhdr *)skb->data;

	net_trace(skb);
	skb->dev = dev;
	skb_reset_mac_header(skb);
	skb_pull(skb, ETH_HLEN);
	skb_reset_network_header(skb);
	if (is_multicast_ether_addr(eth->h_dest))
		skb->pkt_type = is_broadcast_ether_addr(eth->h_dest) ?
				PACKET_BROADCAST : PACKET_MULTICAST;
	else if (ether_addr_equal(eth->h_dest, dev->dev_addr))
		skb->pkt_type = (dev->flags & IFF_LOOPBACK) ? PACKET_LOOPBACK
							    : PACKET_HOST;
	else
		skb->pkt_type = PACKET_OTHERHOST;
	return eth->h_proto;
}

int eth_header(struct sk_buff *skb, struct net_device *dev, u16 type,
	       const u8 *daddr, const u8 *saddr)
{
	struct ethhdr *eth = skb_push(skb, ETH_HLEN);

	skb_reset_mac_header(skb);
	eth->h_proto = htons(type);
	memcpy(eth->h_source, saddr ? saddr : dev->dev_addr, ETH_ALEN);
	if (daddr)
		memcpy(eth->h_dest, daddr, ETH_ALEN);
	else
		memset(eth->h_dest, 0, ETH_ALEN);
	skb->dev = dev;
	skb->protocol = htons(type);
	return ETH_HLEN;
}
