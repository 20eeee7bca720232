/*
 * Transmit offloads done in software (Linux net/core/gso.c,
 * net/ipv4/tcp_offload.c, skb_checksum_help): what a device without
 * NETIF_F_IP_CSUM or NETIF_F_TSO cannot do for a CHECKSUM_PARTIAL or a
 * GSO skb, the stack does before the driver sees it.
 */
#ifndef NET_GSO_H
#define NET_GSO_H

#include "net/netdevice.h"
#include "net/skbuff.h"

static inline bool skb_is_gso(const struct sk_buff *skb)
{
	return skb_shinfo(skb)->gso_size != 0;
}

/* The device cuts and sums TCP segments itself (TSO needs tx checksums). */
static inline bool netif_gso_ok(const struct net_device *dev)
{
	unsigned int need = NETIF_F_TSO | NETIF_F_IP_CSUM;

	return (dev->features & need) == need;
}

/*
 * Linux __tcp_v4_send_check: for the device (or skb_checksum_help) to
 * finish, the pseudo-header sum over the TCP header and payload from the
 * transport header to the end; the skb becomes CHECKSUM_PARTIAL.
 */
void tcp_v4_send_check_partial(struct sk_buff *skb, __be32 saddr, __be32 daddr);

/* Bytes of one segment from its IP header on: what must fit the MTU. */
unsigned int skb_gso_network_seglen(const struct sk_buff *skb);

/*
 * Fill in the checksum of a CHECKSUM_PARTIAL skb: sum from csum_start to
 * the end (the field holds the pseudo-header sum) and store it at
 * csum_offset. 0 or -errno; the skb is then CHECKSUM_NONE.
 */
int skb_checksum_help(struct sk_buff *skb);

/*
 * Cut a GSO TCP/IPv4 skb into gso_size segments, each a full frame with
 * its own IP and TCP header, CHECKSUM_PARTIAL. Returns the list (linked
 * by ->next, NULL-terminated) and leaves @skb to the caller; NULL on
 * ENOMEM or a malformed skb.
 */
struct sk_buff *skb_gso_segment(const struct sk_buff *skb);

/* Free a list from skb_gso_segment() that will not be sent. */
void kfree_skb_list(struct sk_buff *segs, enum skb_drop_reason reason);

#endif
