/* net/dev.c and net/eth.c: devices, NAPI receive, dispatch, transmit backlog. */
#include <criterion/criterion.h>
#include "kernel/softirq.h"
#include "lib/byteorder.h"
#include "lib/string.h"
#include "net/dev.h"
#include "net/net_namespace.h"
#include "tests/host/netsim.h"
#include "tests/host/teardown.h"

static const u8 mac_a[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 0xa };
static const u8 mac_b[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 0xb };

static int test_rx_count;

static int test_rcv(struct sk_buff *skb, struct net_device *dev)
{
	(void)dev;
	test_rx_count++;
	consume_skb(skb);
	return 0;
}

static struct packet_type test_pt = { .func = test_rcv };

static void setup(void)
{
	netsim_reset();
	test_rx_count = 0;
	test_pt.type = htons(0x88b5);
	dev_add_pack(&test_pt);
}

static void teardown(void)
{
	dev_remove_pack(&test_pt);
	netsim_teardown();
	teardown_assert(skb_live_count() == 0, "leaked %lu skbs",
		(unsigned long)skb_live_count());
}

TestSuite(dev, .init = setup, .fini = teardown);

static unsigned int frame(u8 *buf, const u8 *dst, u16 type, unsigned int payload)
{
	memcpy(buf, dst, ETH_ALEN);
	memcpy(buf + 6, mac_b, ETH_ALEN);
	put_be16(buf + 12, type);
	memset(buf + 14, 0x5a, payload);
	return 14 + payload;
}

Test(dev, names_and_ifindex_are_allocated_in_order)
{
	struct net_device *a = fakedev_create(mac_a), *b = fakedev_create(mac_b);

	cr_assert_str_eq(a->name, "eth0");
	cr_assert_str_eq(b->name, "eth1");
	cr_assert_eq(a->ifindex + 1, b->ifindex);
	cr_assert_eq(dev_get_by_name("eth1"), b);
	cr_assert_eq(dev_get_by_index(a->ifindex), a);
	cr_assert_null(dev_get_by_name("eth9"));
	cr_assert_null(dev_get_by_index(99));
	cr_assert_eq(dev_get_default(), a);
	cr_assert(a->flags & IFF_UP);
	cr_assert(netif_carrier_ok(a));
}

Test(dev, bad_name_format_is_refused)
{
	struct net_device *d = alloc_netdev(0, "x%s");

	cr_assert_eq(register_netdev(d), -22);
	free_netdev(d);
	d = alloc_netdev(0, "same");
	cr_assert_eq(register_netdev(d), 0);
	struct net_device *e = alloc_netdev(0, "same");
	cr_assert_eq(register_netdev(e), -17);
	free_netdev(e);
}

Test(dev, frames_dispatch_by_ethertype_and_filter_by_mac)
{
	struct net_device *dev = fakedev_create(mac_a);
	u8 buf[128], bcast[ETH_ALEN], mcast[ETH_ALEN] = { 0x01, 0, 0x5e, 0, 0, 1 };
	unsigned int len;

	memset(bcast, 0xff, ETH_ALEN);
	len = frame(buf, mac_a, 0x88b5, 46);
	fakedev_inject(dev, buf, len);
	len = frame(buf, bcast, 0x88b5, 46);
	fakedev_inject(dev, buf, len);
	len = frame(buf, mcast, 0x88b5, 46);
	fakedev_inject(dev, buf, len);
	cr_assert_eq(test_rx_count, 3);
	cr_assert_eq(dev->stats.multicast, 1);
	len = frame(buf, mac_b, 0x88b5, 46);	/* another host's */
	fakedev_inject(dev, buf, len);
	cr_assert_eq(test_rx_count, 3);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_OTHERHOST], 1);
	len = frame(buf, mac_a, ETH_P_IPV6, 46);
	fakedev_inject(dev, buf, len);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_IPV6], 1);
	cr_assert_eq(snmp_get("Eth", "InIpv6Drops"), 1);
	len = frame(buf, mac_a, 0x1234, 46);
	fakedev_inject(dev, buf, len);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_UNHANDLED_PROTO], 1);
	fakedev_inject(dev, buf, 13);	/* shorter than an Ethernet header */
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_PKT_TOO_SMALL], 1);
	cr_assert_eq(dev->stats.rx_length_errors, 1);
	cr_assert_eq(dev->stats.rx_packets, 7);
	cr_assert_eq(snmp_get("Eth", "InFrames"), 7);
}

Test(dev, napi_polls_within_budget)
{
	struct net_device *dev = fakedev_create(mac_a);
	struct fake_dev *fd = netdev_priv(dev);
	u8 buf[64];
	unsigned int len = frame(buf, mac_a, 0x88b5, 46);

	for (int i = 0; i < 150; i++) {
		struct sk_buff *skb = netdev_alloc_skb(dev, len);

		skb_put_data(skb, buf, len);
		skb_queue_tail(&fd->rxq, skb);
	}
	napi_schedule(&fd->napi);
	do_softirq();
	cr_assert_eq(test_rx_count, 150);
	cr_assert_eq(dev->stats.polls, 3, "64 + 64 + 22: three polls, got %lu",
		     (unsigned long)dev->stats.polls);
}

Test(dev, napi_schedule_during_poll_keeps_polling)
{
	struct net_device *dev = fakedev_create(mac_a);
	struct fake_dev *fd = netdev_priv(dev);

	napi_schedule(&fd->napi);
	napi_schedule(&fd->napi);	/* as if an IRQ raced in */
	cr_assert_not(napi_complete_done(&fd->napi, 0));
	cr_assert(napi_complete_done(&fd->napi, 0));
}

Test(dev, stopped_queue_holds_frames_in_order_until_woken)
{
	struct net_device *dev = fakedev_create(mac_a);
	u8 buf[64];

	fakedev_set_tx_ring(dev, 2);
	for (int i = 0; i < 5; i++) {
		struct sk_buff *skb = alloc_skb(64);

		skb_put_data(skb, buf, frame(buf, mac_b, 0x88b5, 46));
		skb->data[20] = (u8)i;
		skb->dev = dev;
		cr_assert_eq(dev_queue_xmit(skb), 0);
	}
	cr_assert_eq(fakedev_tx_len(dev), 2);
	cr_assert(netif_queue_stopped(dev));
	cr_assert_eq(skb_queue_len(&dev->tx_backlog), 3);
	fakedev_complete_tx(dev, 2);
	cr_assert_eq(fakedev_tx_len(dev), 4);
	fakedev_complete_tx(dev, 2);
	cr_assert_eq(fakedev_tx_len(dev), 5);
	for (int i = 0; i < 5; i++) {
		struct sk_buff *skb = fakedev_pop_tx(dev);

		cr_assert_eq(skb->data[20], i, "frame %d out of order", i);
		consume_skb(skb);
	}
	cr_assert_eq(dev->stats.tx_packets, 5);
}

Test(dev, backlog_overflow_is_counted)
{
	struct net_device *dev = fakedev_create(mac_a);

	fakedev_set_tx_ring(dev, 1);
	dev->tx_backlog_max = 3;
	for (int i = 0; i < 6; i++) {
		struct sk_buff *skb = alloc_skb(64);
		int err;

		skb_put_zero(skb, 60);
		skb->dev = dev;
		err = dev_queue_xmit(skb);
		cr_assert_eq(err, i < 4 ? 0 : -105, "frame %d: %d", i, err);
	}
	cr_assert_eq(dev->stats.tx_dropped, 2);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_TX_QUEUE_FULL], 2);
	dev_close(dev);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_DEV_DOWN], 3);
	cr_assert_eq(dev->stats.tx_dropped, 5);
}

Test(dev, down_device_neither_sends_nor_receives)
{
	struct net_device *dev = fakedev_create(mac_a);
	struct sk_buff *skb = alloc_skb(64);
	u8 buf[64];

	dev_close(dev);
	skb_put_zero(skb, 60);
	skb->dev = dev;
	cr_assert_eq(dev_queue_xmit(skb), -100);
	skb = netdev_alloc_skb(dev, 60);
	skb_put_data(skb, buf, frame(buf, mac_a, 0x88b5, 46));
	netif_receive_skb(skb);
	cr_assert_eq(test_rx_count, 0);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_DEV_DOWN], 2);
	cr_assert_eq(dev_open(dev), 0);
	cr_assert(dev->flags & IFF_UP);
	netif_carrier_off(dev);
	cr_assert_not(netif_carrier_ok(dev));
}

Test(dev, netif_rx_backlog_is_bounded)
{
	struct net_device *dev = fakedev_create(mac_a);
	u8 buf[64];
	unsigned int len = frame(buf, mac_a, 0x88b5, 46);

	for (int i = 0; i < NETDEV_MAX_BACKLOG + 5; i++) {
		struct sk_buff *skb = netdev_alloc_skb(dev, len);

		skb_put_data(skb, buf, len);
		netif_rx(skb);
	}
	cr_assert_eq(dev->stats.rx_dropped, 5);
	do_softirq();
	cr_assert_eq(test_rx_count, NETDEV_MAX_BACKLOG);
}

Test(dev, namespaces_have_their_own_devices)
{
	struct net_device *a = fakedev_create(mac_a), *b;
	struct net *ns = net_create("peer"), *prev;

	prev = net_switch(ns);
	cr_assert_null(dev_get_by_name("eth0"));
	b = fakedev_create(mac_b);
	cr_assert_str_eq(b->name, "eth0");
	cr_assert_eq(b->ifindex, 2, "after lo");
	net_switch(prev);
	cr_assert_eq(dev_get_by_name("eth0"), a);
	net_destroy(ns);
	cr_assert_eq(dev_get_by_name("eth0"), a);
}

Test(dev, unregister_removes_a_scheduled_napi)
{
	struct net_device *dev = fakedev_create(mac_a);
	struct fake_dev *fd = netdev_priv(dev);

	napi_schedule(&fd->napi);
	unregister_netdev(dev);
	free_netdev(dev);
	do_softirq();
	cr_assert(list_empty(&net_current()->poll_list));
}
