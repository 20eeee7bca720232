/*
 * ARP (RFC 826) and the neighbour cache: IPv4 next hop -> Ethernet address.
 * Packets to a next hop not yet resolved wait on the entry's bounded
 * queue while requests are retried; they leave when the reply comes and
 * are dropped (counted) when resolution fails.
 *
 * States (a subset of Linux's NUD_*, RFC 4861 §7.3.2 in spirit):
 *   INCOMPLETE  request sent, waiting; retried every ARP_RETRANS_MS
 *   REACHABLE   confirmed by a reply within ARP_REACHABLE_MS
 *   STALE       older than that: still used, re-probed on use
 *   FAILED      no answer after ARP_MAX_PROBES requests
 * Entries unused for ARP_GC_MS (STALE, FAILED) are removed; when the cache
 * is full a new entry evicts a FAILED, then the oldest STALE, entry.
 */
#ifndef NET_ARP_H
#define NET_ARP_H

#include "kernel/timer.h"
#include "lib/compiler.h"
#include "net/netdevice.h"

struct arphdr {
	__be16 ar_hrd;		/* ARPHRD_ETHER */
	__be16 ar_pro;		/* ETH_P_IP */
	u8 ar_hln;
	u8 ar_pln;
	__be16 ar_op;
	u8 ar_sha[ETH_ALEN];
	__be32 ar_sip;
	u8 ar_tha[ETH_ALEN];
	__be32 ar_tip;
} __packed;
BUILD_BUG_ON(sizeof(struct arphdr) != 28);

#define ARPHRD_ETHER	1
#define ARPOP_REQUEST	1
#define ARPOP_REPLY	2

enum nud_state {
	NUD_INCOMPLETE,
	NUD_REACHABLE,
	NUD_STALE,
	NUD_FAILED,
};

#define ARP_RETRANS_MS		1000
#define ARP_MAX_PROBES		3
#define ARP_REACHABLE_MS	30000
#define ARP_GC_MS		60000
#define ARP_QUEUE_MAX		8	/* packets waiting per entry */
#define ARP_CACHE_MAX		64

struct net;

struct neighbour {
	struct list_head list;		/* on net->ipv4.neigh_list */
	struct net *net;
	struct net_device *dev;
	__be32 ip;
	u8 ha[ETH_ALEN];
	enum nud_state state;
	unsigned int probes;		/* requests sent in this round */
	u64 updated;			/* jiffies of the last state change */
	struct timer_list timer;
	struct sk_buff_head arp_queue;
};

/*
 * Send @skb (IP header at data) to @nexthop on @dev: add the Ethernet
 * header and transmit, or queue it while the address is resolved.
 * Consumes @skb. 0 or -errno.
 */
int neigh_output(struct sk_buff *skb, struct net_device *dev, __be32 nexthop);
struct neighbour *neigh_lookup(__be32 ip, const struct net_device *dev);
const char *neigh_state_name(enum nud_state s);

int arp_rcv(struct sk_buff *skb, struct net_device *dev);
int arp_send(int op, struct net_device *dev, __be32 sip, __be32 tip,
	     const u8 *dest_hw, const u8 *target_hw);
/* Gratuitous ARP for @dev's address, if it has one and is running. */
void arp_announce(struct net_device *dev);
void arp_print(void);

void arp_init(void);
void arp_net_exit(struct net *net);

#endif
