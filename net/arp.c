/*
 * ARP and the neighbour cache (net/arp.h).
 * Receive: netif_receive_skb -> arp_rcv -> neigh_update / arp_send(reply).
 * Send:    ip_finish_output -> neigh_output -> [queue, arp_send(request)]
 *          -> dev_queue_xmit.
 */
#include "net/arp.h"
#include "kernel/printk.h"
#include "kernel/slab.h"
#include "lib/byteorder.h"
#include "lib/errno.h"
#include "lib/ratelimit.h"
#include "lib/string.h"
#include "net/dev.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/trace.h"

static const u8 zero_ha[ETH_ALEN];

static const char *const nud_names[] = {
	[NUD_INCOMPLETE] = "INCOMPLETE",
	[NUD_REACHABLE] = "REACHABLE",
	[NUD_STALE] = "STALE",
	[NUD_FAILED] = "FAILED",
};

const char *neigh_state_name(enum nud_state s)
{
	return s <= NUD_FAILED ? nud_names[s] : "?";
}

static struct netns_ipv4 *ns(void)
{
	return &net_current()->ipv4;
}

struct neighbour *neigh_lookup(__be32 ip, const struct net_device *dev)
{
	struct neighbour *n;

	list_for_each_entry(n, &ns()->neigh_list, list)
		if (n->ip == ip && n->dev == dev)
			return n;
	return NULL;
}

static void neigh_set_state(struct neighbour *n, enum nud_state state, u64 ms)
{
	n->state = state;
	n->updated = jiffies;
	mod_timer(&n->timer, jiffies + msecs_to_jiffies(ms));
}

static void neigh_purge_queue(struct neighbour *n, enum skb_drop_reason reason)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(&n->arp_queue)))
		kfree_skb_reason(skb, reason);
}

static void neigh_destroy(struct neighbour *n)
{
	del_timer(&n->timer);
	neigh_purge_queue(n, SKB_DROP_REASON_ARP_FAILED);
	list_del(&n->list);
	ns()->neigh_count--;
	kfree(n);
}

/* Make room: a FAILED entry first, else the least recently updated STALE one. */
static bool neigh_evict(void)
{
	struct neighbour *n, *victim = NULL;

	list_for_each_entry(n, &ns()->neigh_list, list) {
		if (n->state == NUD_FAILED) {
			victim = n;
			break;
		}
		if (n->state == NUD_STALE &&
		    (!victim || time_before(n->updated, victim->updated)))
			victim = n;
	}
	if (!victim)
		return false;
	ARP_INC_STATS(ARP_MIB_EVICTIONS);
	neigh_destroy(victim);
	return true;
}

static void neigh_timer_handler(struct timer_list *t);

static struct neighbour *neigh_create(__be32 ip, struct net_device *dev)
{
	struct neighbour *n;

	if (ns()->neigh_count >= ARP_CACHE_MAX && !neigh_evict())
		return NULL;
	n = kzalloc(sizeof(*n));
	if (!n)
		return NULL;
	n->net = net_current();
	n->dev = dev;
	n->ip = ip;
	n->state = NUD_INCOMPLETE;
	skb_queue_head_init(&n->arp_queue);
	timer_setup(&n->timer, neigh_timer_handler, 0);
	list_add_tail(&n->list, &ns()->neigh_list);
	ns()->neigh_count++;
	return n;
}

static void neigh_solicit(struct neighbour *n)
{
	n->probes++;
	arp_send(ARPOP_REQUEST, n->dev, inet_dev_addr(n->dev), n->ip, NULL, NULL);
}

/* Start (or restart) resolution: first request now, retries from the timer. */
static void neigh_start_resolve(struct neighbour *n)
{
	n->probes = 0;
	neigh_set_state(n, NUD_INCOMPLETE, ARP_RETRANS_MS);
	neigh_solicit(n);
}

static void neigh_timer_handler(struct timer_list *t)
{
	struct neighbour *n = from_timer(n, t, timer);
	struct net *prev = net_enter(n->net);

	switch (n->state) {
	case NUD_INCOMPLETE:
		if (n->probes < ARP_MAX_PROBES) {
			neigh_set_state(n, NUD_INCOMPLETE, ARP_RETRANS_MS);
			neigh_solicit(n);
			break;
		}
		ARP_INC_STATS(ARP_MIB_RESOLVEFAILED);
		neigh_purge_queue(n, SKB_DROP_REASON_ARP_FAILED);
		neigh_set_state(n, NUD_FAILED, ARP_GC_MS);
		break;
	case NUD_REACHABLE:
		neigh_set_state(n, NUD_STALE, ARP_GC_MS);
		break;
	case NUD_STALE:
	case NUD_FAILED:
		neigh_destroy(n);
		break;
	}
	net_leave(prev);
}

static int neigh_xmit(struct sk_buff *skb, struct net_device *dev, const u8 *ha)
{
	eth_header(skb, dev, ETH_P_IP, ha, NULL);
	return dev_queue_xmit(skb);
}

/* An address learned or confirmed: record it and send what waited for it. */
static void neigh_update(struct neighbour *n, const u8 *ha, enum nud_state state)
{
	struct sk_buff *skb;

	memcpy(n->ha, ha, ETH_ALEN);
	neigh_set_state(n, state, state == NUD_REACHABLE ? ARP_REACHABLE_MS
							 : ARP_GC_MS);
	n->probes = 0;
	while ((skb = skb_dequeue(&n->arp_queue)))
		neigh_xmit(skb, n->dev, n->ha);
}

static int neigh_enqueue(struct neighbour *n, struct sk_buff *skb)
{
	if (skb_queue_len(&n->arp_queue) >= ARP_QUEUE_MAX) {
		/* As Linux: the oldest waiting packet makes room. */
		ARP_INC_STATS(ARP_MIB_QUEUEDROPS);
		pr_warn_ratelimited("arp: %u packets wait for %pI4 already, "
				    "oldest dropped\n", ARP_QUEUE_MAX, &n->ip);
		kfree_skb_reason(skb_dequeue(&n->arp_queue),
				 SKB_DROP_REASON_ARP_QUEUE_FULL);
	}
	skb_queue_tail(&n->arp_queue, skb);
	return 0;
}

int neigh_output(struct sk_buff *skb, struct net_device *dev, __be32 nexthop)
{
	struct neighbour *n;

	net_trace(skb);
	if (dev->flags & IFF_LOOPBACK)
		return neigh_xmit(skb, dev, zero_ha);
	if (inet_is_broadcast(dev, nexthop))
		return neigh_xmit(skb, dev, dev->broadcast);
	n = neigh_lookup(nexthop, dev);
	if (!n) {
		n = neigh_create(nexthop, dev);
		if (!n) {
			kfree_skb_reason(skb, SKB_DROP_REASON_NO_MEMORY);
			return -ENOBUFS;
		}
		neigh_start_resolve(n);
	}
	switch (n->state) {
	case NUD_STALE:
		if (!n->probes)		/* re-confirm, keep sending meanwhile */
			neigh_solicit(n);
		return neigh_xmit(skb, dev, n->ha);
	case NUD_REACHABLE:
		return neigh_xmit(skb, dev, n->ha);
	case NUD_FAILED:
		neigh_start_resolve(n);
		return neigh_enqueue(n, skb);
	case NUD_INCOMPLETE:
	default:
		return neigh_enqueue(n, skb);
	}
}

int arp_send(int op, struct net_device *dev, __be32 sip, __be32 tip,
	     const u8 *dest_hw, const u8 *target_hw)
{
	struct sk_buff *skb = alloc_skb(ETH_HLEN + sizeof(struct arphdr) + 16);
	struct arphdr *arp;

	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, ETH_HLEN + 16);
	arp = skb_put(skb, sizeof(*arp));
	arp->ar_hrd = htons(ARPHRD_ETHER);
	arp->ar_pro = htons(ETH_P_IP);
	arp->ar_hln = ETH_ALEN;
	arp->ar_pln = 4;
	arp->ar_op = htons((u16)op);
	memcpy(arp->ar_sha, dev->dev_addr, ETH_ALEN);
	arp->ar_sip = sip;
	memcpy(arp->ar_tha, target_hw ? target_hw : zero_ha, ETH_ALEN);
	arp->ar_tip = tip;
	eth_header(skb, dev, ETH_P_ARP, dest_hw ? dest_hw : dev->broadcast, NULL);
	ARP_INC_STATS(op == ARPOP_REQUEST ? ARP_MIB_OUTREQUESTS : ARP_MIB_OUTREPLIES);
	net_trace(skb);
	return dev_queue_xmit(skb);
}

void arp_announce(struct net_device *dev)
{
	__be32 addr = inet_dev_addr(dev);

	if (!addr || (dev->flags & IFF_LOOPBACK) || !(dev->flags & IFF_UP) ||
	    !netif_carrier_ok(dev))
		return;
	/* RFC 5227 §3: an ARP request with sender and target both ours. */
	ARP_INC_STATS(ARP_MIB_OUTGRATUITOUS);
	arp_send(ARPOP_REQUEST, dev, addr, addr, NULL, NULL);
}

static bool arp_hdr_valid(const struct arphdr *arp)
{
	u16 op = ntohs(arp->ar_op);

	return ntohs(arp->ar_hrd) == ARPHRD_ETHER &&
	       ntohs(arp->ar_pro) == ETH_P_IP && arp->ar_hln == ETH_ALEN &&
	       arp->ar_pln == 4 && (op == ARPOP_REQUEST || op == ARPOP_REPLY) &&
	       !is_multicast_ether_addr(arp->ar_sha) &&
	       !is_zero_ether_addr(arp->ar_sha) &&
	       !ipv4_is_multicast(arp->ar_sip) && arp->ar_sip != INADDR_BROADCAST;
}

/* RFC 826 "packet reception": merge the sender, then answer if we are the target. */
int arp_rcv(struct sk_buff *skb, struct net_device *dev)
{
	const struct arphdr *arp = (const struct arphdr *)skb->data;
	__be32 ours = inet_dev_addr(dev);
	struct neighbour *n;
	bool for_us;
	u16 op;

	net_trace(skb);
	if (!pskb_may_pull(skb, sizeof(*arp)) || !arp_hdr_valid(arp))
		goto drop;
	op = ntohs(arp->ar_op);
	ARP_INC_STATS(op == ARPOP_REQUEST ? ARP_MIB_INREQUESTS : ARP_MIB_INREPLIES);
	for_us = ours && arp->ar_tip == ours;
	if (arp->ar_sip == ours && ours)
		goto done;		/* our own announcement, or a conflict */
	n = arp->ar_sip ? neigh_lookup(arp->ar_sip, dev) : NULL;
	if (n && n->state == NUD_REACHABLE && op == ARPOP_REQUEST &&
	    ether_addr_equal(n->ha, arp->ar_sha))
		n = NULL;		/* nothing new: keep REACHABLE */
	else if (n)
		neigh_update(n, arp->ar_sha, op == ARPOP_REPLY && for_us ?
			     NUD_REACHABLE : NUD_STALE);
	else if (for_us && arp->ar_sip && !neigh_lookup(arp->ar_sip, dev) &&
		 (n = neigh_create(arp->ar_sip, dev)))
		neigh_update(n, arp->ar_sha, NUD_STALE);
	if (op == ARPOP_REQUEST && for_us)
		arp_send(ARPOP_REPLY, dev, ours, arp->ar_sip, arp->ar_sha,
			 arp->ar_sha);
done:
	consume_skb(skb);
	return 0;
drop:
	ARP_INC_STATS(ARP_MIB_INERRORS);
	kfree_skb_reason(skb, SKB_DROP_REASON_ARP_INVALID);
	return NET_RX_DROP;
}

static void neigh_flush_dev(struct net_device *dev)
{
	struct neighbour *n, *tmp;

	list_for_each_entry_safe(n, tmp, &ns()->neigh_list, list)
		if (!dev || n->dev == dev)
			neigh_destroy(n);
}

void arp_print(void)
{
	struct neighbour *n;

	kprintf("Address          HWaddress          State       Iface  Queued\n");
	list_for_each_entry(n, &ns()->neigh_list, list)
		kprintf("%-16pI4 %pM  %-10s  %-6s %u\n", &n->ip, n->ha,
			neigh_state_name(n->state), n->dev->name,
			skb_queue_len(&n->arp_queue));
}

static void arp_netdev_event(struct notifier_block *nb, enum netdev_event ev,
			     struct net_device *dev)
{
	(void)nb;
	switch (ev) {
	case NETDEV_UP:
	case NETDEV_CHANGE:
		arp_announce(dev);
		break;
	case NETDEV_DOWN:
	case NETDEV_UNREGISTER:
		neigh_flush_dev(dev);
		break;
	}
}

static struct notifier_block arp_notifier = {
	.notifier_call = arp_netdev_event,
};

static struct packet_type arp_packet_type = {
	.func = arp_rcv,
};

void arp_init(void)
{
	arp_packet_type.type = htons(ETH_P_ARP);
	dev_add_pack(&arp_packet_type);
	register_netdevice_notifier(&arp_notifier);
}

void arp_net_exit(struct net *net)
{
	(void)net;
	neigh_flush_dev(NULL);
}
