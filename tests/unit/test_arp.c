/* net/arp.c: resolution, the pending queue and its bound, states and timeouts. */
#include <criterion/criterion.h>
#include "lib/string.h"
#include "net/arp.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/udp.h"
#include "tests/host/netsim.h"
#include "tests/host/pktbuild.h"
#include "tests/host/teardown.h"

static const u8 our_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
static const u8 peer_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0xab, 0xcd, 0xef };
static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static struct net_device *dev;
static __be32 ours, peer;

static void setup(void)
{
	netsim_reset();
	ours = ip4(10, 0, 0, 1);
	peer = ip4(10, 0, 0, 2);
	dev = fakedev_create(our_mac);
	cr_assert_eq(inet_set_address(dev, ours, 24), 0);
}

static void teardown(void)
{
	netsim_teardown();
	teardown_assert(skb_live_count() == 0, "leaked %lu skbs",
		(unsigned long)skb_live_count());
}

TestSuite(arp, .init = setup, .fini = teardown);

static const struct arphdr *tx_arp(struct sk_buff *skb)
{
	cr_assert_not_null(skb, "expected a frame");
	cr_assert_eq(frame_type(skb), ETH_P_ARP);
	return (const struct arphdr *)frame_l3(skb);
}

static void expect_request(__be32 tip)
{
	struct sk_buff *skb = fakedev_pop_tx(dev);
	const struct arphdr *a = tx_arp(skb);

	cr_assert_eq(ntohs(a->ar_op), ARPOP_REQUEST);
	cr_assert_eq(a->ar_tip, tip);
	cr_assert_eq(a->ar_sip, ours);
	cr_assert(ether_addr_equal(frame_eth(skb)->h_dest, bcast));
	cr_assert(ether_addr_equal(a->ar_sha, our_mac));
	consume_skb(skb);
}

static void inject_reply(const u8 *mac, __be32 sip)
{
	u8 buf[64];

	fakedev_inject(dev, buf, pkt_arp(buf, our_mac, ARPOP_REPLY, mac, sip,
					 our_mac, ours));
}

static void send_udp(u8 tag)
{
	cr_assert_eq(udp_send(0, peer, 1000, 2000, &tag, 1), 0);
}

Test(arp, address_set_announces_with_gratuitous_arp)
{
	const struct arphdr *a;
	struct sk_buff *skb = fakedev_pop_tx(dev);

	a = tx_arp(skb);
	cr_assert_eq(ntohs(a->ar_op), ARPOP_REQUEST);
	cr_assert_eq(a->ar_sip, ours);
	cr_assert_eq(a->ar_tip, ours);
	cr_assert(ether_addr_equal(frame_eth(skb)->h_dest, bcast));
	consume_skb(skb);
	cr_assert_eq(snmp_get("Arp", "OutGratuitous"), 1);
	netif_carrier_off(dev);
	netif_carrier_on(dev);
	a = tx_arp(skb = fakedev_pop_tx(dev));
	cr_assert_eq(a->ar_tip, ours, "announced again at link up");
	consume_skb(skb);
}

Test(arp, packets_wait_for_resolution_then_leave_in_order)
{
	struct neighbour *n;

	fakedev_flush_tx(dev);
	send_udp(1);
	send_udp(2);
	send_udp(3);
	expect_request(peer);
	cr_assert_eq(fakedev_tx_len(dev), 0, "one request for three packets");
	n = neigh_lookup(peer, dev);
	cr_assert_not_null(n);
	cr_assert_eq(n->state, NUD_INCOMPLETE);
	cr_assert_eq(skb_queue_len(&n->arp_queue), 3);
	inject_reply(peer_mac, peer);
	cr_assert_eq(n->state, NUD_REACHABLE);
	cr_assert_eq(fakedev_tx_len(dev), 3);
	for (u8 i = 1; i <= 3; i++) {
		struct sk_buff *skb = fakedev_pop_tx(dev);
		const u8 *udp = frame_l4(skb, NULL);

		cr_assert(ether_addr_equal(frame_eth(skb)->h_dest, peer_mac));
		cr_assert(ether_addr_equal(frame_eth(skb)->h_source, our_mac));
		cr_assert_eq(udp[8], i, "packet %u out of order", i);
		consume_skb(skb);
	}
	send_udp(4);
	cr_assert_eq(fakedev_tx_len(dev), 1, "resolved: sent at once");
}

Test(arp, unanswered_requests_are_retried_then_fail)
{
	struct neighbour *n;

	fakedev_flush_tx(dev);
	send_udp(1);
	expect_request(peer);
	netsim_run_ms(ARP_RETRANS_MS);
	expect_request(peer);
	netsim_run_ms(ARP_RETRANS_MS);
	expect_request(peer);
	netsim_run_ms(ARP_RETRANS_MS);
	cr_assert_eq(fakedev_tx_len(dev), 0, "no more than %d requests",
		     ARP_MAX_PROBES);
	n = neigh_lookup(peer, dev);
	cr_assert_eq(n->state, NUD_FAILED);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_ARP_FAILED], 1);
	cr_assert_eq(snmp_get("Arp", "ResolveFailed"), 1);
	/* A new packet restarts resolution. */
	send_udp(2);
	expect_request(peer);
	cr_assert_eq(n->state, NUD_INCOMPLETE);
	netsim_run_ms(3 * ARP_RETRANS_MS + ARP_GC_MS);
	cr_assert_null(neigh_lookup(peer, dev), "failed entry collected");
}

Test(arp, pending_queue_is_bounded_oldest_dropped)
{
	fakedev_flush_tx(dev);
	for (u8 i = 0; i < ARP_QUEUE_MAX + 2; i++)
		send_udp(i);
	cr_assert_eq(snmp_get("Arp", "QueueDrops"), 2);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_ARP_QUEUE_FULL], 2);
	expect_request(peer);
	inject_reply(peer_mac, peer);
	cr_assert_eq(fakedev_tx_len(dev), ARP_QUEUE_MAX);
	for (u8 i = 2; i < ARP_QUEUE_MAX + 2; i++) {
		struct sk_buff *skb = fakedev_pop_tx(dev);

		cr_assert_eq(frame_l4(skb, NULL)[8], i);
		consume_skb(skb);
	}
}

Test(arp, reachable_goes_stale_then_expires)
{
	struct neighbour *n;

	fakedev_flush_tx(dev);
	send_udp(1);
	inject_reply(peer_mac, peer);
	fakedev_flush_tx(dev);
	n = neigh_lookup(peer, dev);
	netsim_run_ms(ARP_REACHABLE_MS - 1);
	cr_assert_eq(n->state, NUD_REACHABLE);
	netsim_run_ms(2);
	cr_assert_eq(n->state, NUD_STALE);
	send_udp(2);	/* used while stale: sent, and re-confirmed */
	cr_assert_eq(fakedev_tx_len(dev), 2);
	fakedev_flush_tx(dev);
	netsim_run_ms(ARP_GC_MS);
	cr_assert_null(neigh_lookup(peer, dev));
}

Test(arp, stale_entry_confirmed_by_reply)
{
	struct neighbour *n;

	send_udp(1);
	inject_reply(peer_mac, peer);
	n = neigh_lookup(peer, dev);
	netsim_run_ms(ARP_REACHABLE_MS + 1);
	cr_assert_eq(n->state, NUD_STALE);
	inject_reply(peer_mac, peer);
	cr_assert_eq(n->state, NUD_REACHABLE);
}

Test(arp, answers_requests_for_our_address_only)
{
	u8 buf[64];
	struct sk_buff *skb;
	const struct arphdr *a;

	fakedev_flush_tx(dev);
	fakedev_inject(dev, buf, pkt_arp(buf, bcast, ARPOP_REQUEST, peer_mac,
					 peer, NULL, ip4(10, 0, 0, 99)));
	cr_assert_eq(fakedev_tx_len(dev), 0);
	cr_assert_null(neigh_lookup(peer, dev), "not for us: not learned");
	fakedev_inject(dev, buf, pkt_arp(buf, bcast, ARPOP_REQUEST, peer_mac,
					 peer, NULL, ours));
	a = tx_arp(skb = fakedev_pop_tx(dev));
	cr_assert_eq(ntohs(a->ar_op), ARPOP_REPLY);
	cr_assert_eq(a->ar_sip, ours);
	cr_assert_eq(a->ar_tip, peer);
	cr_assert(ether_addr_equal(a->ar_sha, our_mac));
	cr_assert(ether_addr_equal(a->ar_tha, peer_mac));
	cr_assert(ether_addr_equal(frame_eth(skb)->h_dest, peer_mac));
	consume_skb(skb);
	cr_assert_eq(neigh_lookup(peer, dev)->state, NUD_STALE);
	cr_assert_eq(snmp_get("Arp", "InRequests"), 2);
	cr_assert_eq(snmp_get("Arp", "OutReplies"), 1);
}

Test(arp, malformed_arp_is_dropped_and_counted)
{
	static const u8 mcast[ETH_ALEN] = { 1, 0, 0x5e, 0, 0, 1 };
	u8 buf[64];
	unsigned int len = pkt_arp(buf, bcast, ARPOP_REQUEST, peer_mac, peer,
				   NULL, ours);
	struct arphdr *a = (struct arphdr *)(buf + ETH_HLEN);

	fakedev_flush_tx(dev);
	fakedev_inject(dev, buf, len - 1);		/* truncated */
	a->ar_hln = 8;
	fakedev_inject(dev, buf, len);
	a->ar_hln = ETH_ALEN;
	a->ar_op = htons(3);
	fakedev_inject(dev, buf, len);
	a->ar_op = htons(ARPOP_REQUEST);
	a->ar_pro = htons(ETH_P_IPV6);
	fakedev_inject(dev, buf, len);
	a->ar_pro = htons(ETH_P_IP);
	memcpy(a->ar_sha, mcast, ETH_ALEN);
	fakedev_inject(dev, buf, len);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_ARP_INVALID], 5);
	cr_assert_eq(snmp_get("Arp", "InErrors"), 5);
	cr_assert_eq(fakedev_tx_len(dev), 0);
}

Test(arp, full_cache_evicts_stale_entries_first)
{
	u8 buf[64], mac[ETH_ALEN];
	struct neighbour *n;
	unsigned int count = 0;

	memcpy(mac, peer_mac, ETH_ALEN);
	for (int i = 0; i < ARP_CACHE_MAX; i++) {
		mac[5] = (u8)i;
		fakedev_inject(dev, buf, pkt_arp(buf, bcast, ARPOP_REQUEST, mac,
						 ip4(10, 0, 0, (u8)(100 + i)),
						 NULL, ours));
		netsim_run_ms(1);
	}
	fakedev_flush_tx(dev);
	send_udp(1);		/* needs a new entry: the oldest stale one goes */
	cr_assert_eq(snmp_get("Arp", "Evictions"), 1);
	cr_assert_null(neigh_lookup(ip4(10, 0, 0, 100), dev));
	cr_assert_not_null(neigh_lookup(ip4(10, 0, 0, 101), dev));
	cr_assert_not_null(neigh_lookup(peer, dev));
	list_for_each_entry(n, &net_current()->ipv4.neigh_list, list)
		count++;
	cr_assert_eq(count, ARP_CACHE_MAX);
	expect_request(peer);
}

Test(arp, device_down_flushes_its_entries)
{
	send_udp(1);
	cr_assert_not_null(neigh_lookup(peer, dev));
	dev_close(dev);
	cr_assert_null(neigh_lookup(peer, dev));
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_ARP_FAILED], 1);
}
