/* The one-stack test fixture (tests/host/nettest.h). */
#include <criterion/criterion.h>
#include <string.h>

#include "tests/host/nettest.h"
#include "net/socket.h"
#include "net/sock.h"
#include "net/inetdevice.h"
#include "tests/host/host_random.h"
#include "tests/host/teardown.h"

const u8 OUR_MAC[ETH_ALEN] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
const u8 PEER_MAC[ETH_ALEN] = { 0x52, 0x54, 0, 0xab, 0xcd, 0xef };
const u8 BCAST_MAC[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
struct net_device *nt_dev;
__be32 nt_ours, nt_peer;

static struct sk_buff_head seen;	/* frames handed to the test */

void nettest_setup(void)
{
	u8 buf[64];

	netsim_reset();
	host_random_seed(3);
	nt_ours = ip4(10, 0, 0, 1);
	nt_peer = ip4(10, 0, 0, 2);
	nt_dev = fakedev_create(OUR_MAC);
	inet_set_address(nt_dev, nt_ours, 24);
	fakedev_inject(nt_dev, buf, pkt_arp(buf, BCAST_MAC, 1, PEER_MAC, nt_peer,
					    NULL, nt_ours));
	fakedev_inject(nt_dev, buf, pkt_arp(buf, OUR_MAC, 2, PEER_MAC, nt_peer,
					    OUR_MAC, nt_ours));	/* REACHABLE */
	fakedev_flush_tx(nt_dev);
	skb_queue_head_init(&seen);
	memset(skb_drop_counts, 0, sizeof(skb_drop_counts));
}

void nettest_teardown(void)
{
	skb_queue_purge(&seen);
	netsim_teardown();
	teardown_assert(skb_live_count() == 0, "leaked %lu skbs",
		(unsigned long)skb_live_count());
}

void nettest_inject_ip(struct pkt_ip *ip, const void *payload, unsigned int plen,
		       unsigned int pad)
{
	static u8 buf[PKT_MAX];
	unsigned int len;

	if (!ip->saddr)
		ip->saddr = nt_peer;
	if (!ip->daddr)
		ip->daddr = nt_ours;
	len = pkt_ipv4(buf, OUR_MAC, PEER_MAC, ip, payload, plen);
	memset(buf + len, 0, pad);
	fakedev_inject(nt_dev, buf, len + pad);
}

struct sk_buff *nettest_tx(void)
{
	struct sk_buff *skb;

	while ((skb = fakedev_pop_tx(nt_dev)) && frame_type(skb) == ETH_P_ARP)
		consume_skb(skb);	/* re-confirming the peer */
	cr_assert_not_null(skb, "expected a transmitted IPv4 frame");
	skb_queue_tail(&seen, skb);
	return skb;
}

const struct iphdr *tx_iph(const struct sk_buff *skb)
{
	cr_assert_eq(frame_type(skb), ETH_P_IP);
	return (const struct iphdr *)frame_l3(skb);
}

void netsim_teardown_no_leaks(void)
{
	netsim_teardown();
	teardown_assert(sockets_in_use() == 0, "leaked %ld sockets", sockets_in_use());
	teardown_assert(sk_live_count() == 0, "leaked %ld socks", sk_live_count());
	teardown_assert(skb_live_count() == 0, "leaked %lu skbs",
		(unsigned long)skb_live_count());
}
