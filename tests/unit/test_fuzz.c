/*
 * Hostile input: thousands of random and half-valid frames. Nothing may
 * crash (ASan/UBSan watch), every frame is accounted for, nothing leaks.
 */
#include <criterion/criterion.h>
#include "lib/string.h"
#include "net/checksum.h"
#include "net/udp.h"
#include "tests/host/nettest.h"

TestSuite(fuzz, .init = nettest_setup, .fini = nettest_teardown);

static u64 rng = 0x1234567;

static u32 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (u32)rng;
}

static int sink(struct sk_buff *skb, void *arg)
{
	(void)arg;
	consume_skb(skb);
	return 0;
}

/* A frame to us: random bytes, then some fields made plausible. */
static unsigned int mutate(u8 *buf)
{
	unsigned int len = 14 + rnd() % 600;
	u16 types[] = { ETH_P_IP, ETH_P_IP, ETH_P_IP, ETH_P_ARP, ETH_P_IPV6, 0x88cc };
	struct iphdr *iph = (struct iphdr *)(buf + ETH_HLEN);

	for (unsigned int i = 0; i < len; i++)
		buf[i] = (u8)rnd();
	pkt_eth(buf, rnd() % 8 ? OUR_MAC : BCAST_MAC, PEER_MAC,
		types[rnd() % ARRAY_SIZE(types)]);
	if (len >= ETH_HLEN + 20 && rnd() % 4) {
		iph->version = 4;
		iph->ihl = rnd() % 3 ? 5 : rnd() % 16;
		iph->daddr = rnd() % 2 ? nt_ours : ip4(10, 0, 0, 255);
		iph->protocol = (u8[]){ 1, 17, 6, 200 }[rnd() % 4];
		if (rnd() % 3)
			iph->tot_len = htons((u16)(len - ETH_HLEN));
		if (rnd() % 2)
			iph->frag_off = 0;
		iph->check = 0;
		if (iph->ihl >= 5 && ETH_HLEN + iph->ihl * 4u <= len && rnd() % 4)
			iph->check = htons(ip_fast_csum(iph, iph->ihl));
	}
	return len;
}

Test(fuzz, random_frames_are_dropped_or_handled_and_never_leak)
{
	static u8 buf[700];
	u64 rx;

	udp_register_port(7, sink, NULL, NULL);
	for (int i = 0; i < 20000; i++) {
		unsigned int len = mutate(buf);

		fakedev_inject(nt_dev, buf, len);
		fakedev_flush_tx(nt_dev);
		if (i % 1000 == 0)
			netsim_run_ms(1000);
	}
	netsim_run_ms(60000);	/* reassembly and ARP timers run out */
	fakedev_flush_tx(nt_dev);
	rx = nt_dev->stats.rx_packets;
	cr_assert_geq(rx, 20000);
	cr_assert_eq(net_current()->ipv4.frag_mem, 0);
	cr_assert_gt(snmp_get("Ip", "InHdrErrors"), 0);
	cr_assert_gt(snmp_get("Ip", "InDelivers"), 100, "too little got through");
	cr_assert_gt(snmp_get("Ip", "ReasmReqds"), 0);
	cr_assert_gt(snmp_get("Icmp", "InMsgs"), 0);
	cr_assert_gt(snmp_get("Udp", "InErrors") + snmp_get("Udp", "InDatagrams"), 0);
	for (int r = SKB_DROP_REASON_IPV6; r <= SKB_DROP_REASON_IP_CSUM; r++)
		if (r != SKB_DROP_REASON_ARP_QUEUE_FULL && r != SKB_DROP_REASON_ARP_FAILED)
			cr_assert_gt(skb_drop_counts[r], 0, "no %s drop",
				     skb_drop_reason_name(r));
}
