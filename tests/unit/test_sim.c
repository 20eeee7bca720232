/*
 * Two stacks on a simulated link: ping, UDP with fragmentation, loss,
 * duplication and reordering from a seed, and runs that repeat exactly.
 */
#include <criterion/criterion.h>
#include "lib/string.h"
#include "net/arp.h"
#include "net/icmp.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/route.h"
#include "net/udp.h"
#include "kernel/softirq.h"
#include "tests/host/host_random.h"
#include "tests/host/netsim.h"
#include "tests/host/platform.h"
#include "net/net_monitor.h"
#include "tests/host/teardown.h"

static const u8 mac_a[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 0xa };
static const u8 mac_b[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 0xb };
static struct net *ns_b;
static struct net_device *dev_a, *dev_b;
static __be32 addr_a, addr_b;

static int replies;
static u16 last_seq;
static unsigned int last_len;

static void on_reply(__be32 saddr, u16 id, u16 seq, unsigned int len)
{
	(void)saddr;
	cr_assert_eq(id, 0x77);
	replies++;
	last_seq = seq;
	last_len = len;
}

static void setup(void)
{
	netsim_reset();
	host_random_seed(1);
	replies = 0;
	icmp_echo_reply_hook = on_reply;
	addr_a = ip4(10, 0, 0, 1);
	addr_b = ip4(10, 0, 0, 2);
	dev_a = fakedev_create(mac_a);
	inet_set_address(dev_a, addr_a, 24);
	ns_b = net_create("b");
	net_switch(ns_b);
	dev_b = fakedev_create(mac_b);
	inet_set_address(dev_b, addr_b, 24);
	net_switch(&init_net);
}

static void teardown(void)
{
	icmp_echo_reply_hook = NULL;
	netsim_teardown();
	teardown_assert(skb_live_count() == 0, "leaked %lu skbs",
		(unsigned long)skb_live_count());
}

TestSuite(sim, .init = setup, .fini = teardown);

static struct sim_link *link_ab(u64 delay_us, u64 jitter_us, unsigned int loss,
				unsigned int dup, u64 seed)
{
	struct sim_link_params p = { .delay_ns = delay_us * 1000,
				     .jitter_ns = jitter_us * 1000,
				     .loss_pct = loss, .dup_pct = dup, .seed = seed };

	fakedev_flush_tx(dev_a);
	fakedev_flush_tx(dev_b);
	return sim_link_create(dev_a, dev_b, &p);
}

static u64 snmp_in(struct net *net, const char *layer, const char *name)
{
	struct net *prev = net_switch(net);
	u64 v = snmp_get(layer, name);

	net_switch(prev);
	return v;
}

Test(sim, ping_between_two_stacks)
{
	link_ab(500, 0, 0, 0, 1);
	cr_assert_eq(icmp_send_echo(addr_b, 0x77, 1, 56), 0);
	netsim_run_ms(10);
	cr_assert_eq(replies, 1);
	cr_assert_eq(last_seq, 1);
	cr_assert_eq(last_len, 56);
	cr_assert_eq(snmp_in(ns_b, "Icmp", "InEchos"), 1);
	cr_assert_eq(snmp_in(ns_b, "Icmp", "OutEchoReps"), 1);
	cr_assert_eq(snmp_in(&init_net, "Icmp", "InEchoReps"), 1);
	cr_assert_eq(neigh_lookup(addr_b, dev_a)->state, NUD_REACHABLE);
	for (u16 s = 2; s <= 5; s++)
		icmp_send_echo(addr_b, 0x77, s, 100);
	netsim_run_ms(10);
	cr_assert_eq(replies, 5);
	cr_assert_eq(last_len, 100);
}

Test(sim, ping_to_unused_address_fails_cleanly)
{
	link_ab(500, 0, 0, 0, 1);
	cr_assert_eq(icmp_send_echo(ip4(10, 0, 0, 77), 0x77, 1, 56), 0);
	netsim_run_ms(ARP_MAX_PROBES * ARP_RETRANS_MS + 100);
	cr_assert_eq(replies, 0);
	cr_assert_eq(snmp_get("Arp", "OutRequests") - snmp_get("Arp", "OutGratuitous"),
		     ARP_MAX_PROBES);
	cr_assert_eq(snmp_get("Arp", "ResolveFailed"), 1);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_ARP_FAILED], 1);
	cr_assert_eq(neigh_lookup(ip4(10, 0, 0, 77), dev_a)->state, NUD_FAILED);
}

Test(sim, ping_off_link_without_route_fails)
{
	cr_assert_eq(icmp_send_echo(ip4(192, 168, 1, 1), 0x77, 1, 8), -101);
	cr_assert_eq(snmp_get("Ip", "OutNoRoutes"), 1);
}

Test(sim, ping_via_default_gateway_resolves_the_gateway)
{
	struct net_device *lo;

	link_ab(100, 0, 0, 0, 1);
	cr_assert_eq(fib_set_default_gw(addr_b, dev_a), 0);
	icmp_send_echo(ip4(8, 8, 8, 8), 0x77, 1, 8);
	netsim_run_ms(5);
	cr_assert_not_null(neigh_lookup(addr_b, dev_a), "the gateway is resolved");
	cr_assert_null(neigh_lookup(ip4(8, 8, 8, 8), dev_a));
	cr_assert_eq(snmp_in(ns_b, "Ip", "InAddrErrors"), 1, "b does not forward");
	lo = net_current()->loopback_dev;
	cr_assert_not_null(lo);
}

Test(sim, ping_loopback_and_own_address)
{
	icmp_send_echo(ip4(127, 0, 0, 1), 0x77, 1, 32);
	do_softirq();
	cr_assert_eq(replies, 1);
	icmp_send_echo(addr_a, 0x77, 2, 32);
	do_softirq();
	cr_assert_eq(replies, 2);
	cr_assert_eq(fakedev_tx_len(dev_a), 1, "only the gratuitous ARP on eth0");
	cr_assert_eq(net_current()->loopback_dev->stats.rx_packets, 4);
}

static unsigned int udp_bytes, udp_datagrams;
static u8 udp_first;

static int udp_sink(struct sk_buff *skb, void *arg)
{
	(void)arg;
	udp_bytes += skb->len;
	udp_datagrams++;
	udp_first = skb->data[0];
	consume_skb(skb);
	return 0;
}

Test(sim, udp_datagram_fragmented_and_reassembled)
{
	static u8 data[4000];
	struct net *prev;

	for (unsigned int i = 0; i < sizeof(data); i++)
		data[i] = (u8)(i * 7);
	udp_bytes = udp_datagrams = 0;
	link_ab(200, 0, 0, 0, 1);
	prev = net_switch(ns_b);
	cr_assert_eq(udp_register_port(7, udp_sink, NULL, NULL), 0);
	net_switch(prev);
	cr_assert_eq(udp_send(0, addr_b, 5555, 7, data, sizeof(data)), 0);
	netsim_run_ms(10);
	cr_assert_eq(udp_datagrams, 1);
	cr_assert_eq(udp_bytes, sizeof(data));
	cr_assert_eq(snmp_get("Ip", "FragCreates"), 3);
	cr_assert_eq(snmp_get("Ip", "FragOKs"), 1);
	cr_assert_eq(snmp_in(ns_b, "Ip", "ReasmOKs"), 1);
	cr_assert_eq(snmp_in(ns_b, "Ip", "ReasmReqds"), 3);
	cr_assert_eq(snmp_in(ns_b, "Udp", "InDatagrams"), 1);
}

Test(sim, df_datagram_above_mtu_is_refused)
{
	static u8 data[2000];
	struct sk_buff *skb = alloc_skb(MAX_HEADER + sizeof(data));
	struct ip_send_args a = { .daddr = addr_b, .protocol = 253, .df = true };

	link_ab(200, 0, 0, 0, 1);
	skb_reserve(skb, MAX_HEADER);
	skb_put_data(skb, data, sizeof(data));
	cr_assert_eq(ip_build_and_send_pkt(skb, &a), -90);
	cr_assert_eq(snmp_get("Ip", "FragFails"), 1);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_PKT_TOO_BIG], 1);
}

/* 20 pings over a bad link; returns replies, fills the link's counters. */
static int lossy_run(u64 seed, u64 *delivered, u64 *lost)
{
	struct sim_link *l = link_ab(1000, 3000, 20, 15, seed);

	for (u16 s = 0; s < 20; s++) {
		icmp_send_echo(addr_b, 0x77, s, 64);
		netsim_run_ms(50);
	}
	netsim_run_ms(5000);
	*delivered = sim_link_delivered(l);
	*lost = sim_link_lost(l);
	cr_assert_eq(sim_link_in_flight(l), 0);
	return replies;
}

Test(sim, lossy_link_is_repeatable_from_its_seed)
{
	u64 d1, l1, d2, l2;
	int r1, r2;

	r1 = lossy_run(42, &d1, &l1);
	cr_assert_gt(l1, 0, "20%% loss lost nothing");
	cr_assert_gt(r1, 0);
	cr_assert_lt(r1, 40, "more replies than pings and duplicates");
	netsim_teardown();
	setup();
	r2 = lossy_run(42, &d2, &l2);
	cr_assert_eq(r1, r2, "same seed, %d vs %d replies", r1, r2);
	cr_assert_eq(d1, d2);
	cr_assert_eq(l1, l2);
}

Test(sim, reordered_duplicated_fragments_still_reassemble)
{
	static u8 data[6000];
	struct net *prev;

	memset(data, 0x33, sizeof(data));
	udp_bytes = udp_datagrams = 0;
	link_ab(1000, 4000, 0, 30, 7);
	prev = net_switch(ns_b);
	udp_register_port(9, udp_sink, NULL, NULL);
	net_switch(prev);
	udp_send(0, addr_b, 5555, 9, data, sizeof(data));
	netsim_run_ms(100);
	cr_assert_geq(udp_datagrams, 1);
	cr_assert_eq(udp_bytes % sizeof(data), 0);
	netsim_run_ms(IPFRAG_TIMEOUT_MS + 1000);	/* leftovers time out */
	prev = net_switch(ns_b);
	cr_assert_eq(net_current()->ipv4.frag_mem, 0);
	net_switch(prev);
}

/*
 * 20 seeds of a bad link (loss, duplication, reordering): whatever the
 * draw, every reply answers a ping that was sent, a lossless retry after
 * the storm always gets through, and nothing is left allocated.
 */
Test(sim, twenty_seeds_of_a_bad_link_keep_invariants)
{
	for (u64 seed = 1; seed <= 20; seed++) {
		struct sim_link *l = link_ab(800, 2500, 25, 20, seed);
		int before;

		for (u16 s = 0; s < 10; s++) {
			icmp_send_echo(addr_b, 0x77, s, 32);
			netsim_run_ms(20);
		}
		netsim_run_ms(4000);
		cr_assert_leq(replies, 20, "seed %lu: %d replies to 10 pings (x2 dup)",
			      (unsigned long)seed, replies);
		sim_link_destroy(l);
		l = link_ab(800, 0, 0, 0, seed);
		before = replies;
		icmp_send_echo(addr_b, 0x77, 99, 32);
		netsim_run_ms(4000);
		cr_assert_eq(replies, before + 1, "seed %lu: clean ping lost",
			     (unsigned long)seed);
		cr_assert_eq(last_seq, 99);
		sim_link_destroy(l);
		netsim_teardown();
		cr_assert_eq(skb_live_count(), 0, "seed %lu leaked", (unsigned long)seed);
		setup();
	}
}

Test(sim, monitor_ping_waits_for_each_reply)
{
	char *argv[] = { "ping", "10.0.0.2", "3", NULL };
	char *bad[] = { "ping", "10.0.0.999", NULL };
	char *unused[] = { "ping", "10.0.0.77", "1", NULL };

	link_ab(2000, 0, 0, 0, 1);
	icmp_echo_reply_hook = NULL;
	host_console_clear();
	cr_assert_eq(net_cmd_ping(3, argv), 0);
	cr_assert(strstr(host_console_output(), "64 bytes from 10.0.0.2: icmp_seq=1"),
		  "%s", host_console_output());
	cr_assert(strstr(host_console_output(), "icmp_seq=3 time=4.000 ms"),
		  "%s", host_console_output());
	cr_assert(strstr(host_console_output(), "3 packets transmitted, 3 received"));
	cr_assert_eq(net_cmd_ping(2, bad), -1);
	cr_assert(strstr(host_console_output(), "usage: ping"));
	cr_assert_eq(net_cmd_ping(3, unused), -1);
	cr_assert(strstr(host_console_output(), "icmp_seq=1: no reply"));
	cr_assert(strstr(host_console_output(), "1 packets transmitted, 0 received"));
}
