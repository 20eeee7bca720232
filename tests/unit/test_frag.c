/* net/ip_fragment.c: reassembly in any order, duplicates, overlaps, limits, timeout. */
#include <criterion/criterion.h>
#include "lib/string.h"
#include "net/icmp.h"
#include "net/net_namespace.h"
#include "net/udp.h"
#include "tests/host/nettest.h"

#define PAYLOAD	3000	/* UDP header + data, cut in pieces of 1000 */

static u8 dgram[PAYLOAD + 64];	/* slack for out-of-range pieces */
static unsigned int got, got_len;
static bool got_ok;

static int sink(struct sk_buff *skb, void *arg)
{
	(void)arg;
	got++;
	got_len = skb->len;
	got_ok = skb->len == PAYLOAD - 8 && !memcmp(skb->data, dgram + 8, skb->len);
	consume_skb(skb);
	return 0;
}

static void setup(void)
{
	u8 data[PAYLOAD - 8];

	nettest_setup();
	for (unsigned int i = 0; i < sizeof(data); i++)
		data[i] = (u8)(i * 13 + 1);
	pkt_udp(dgram, nt_peer, nt_ours, 4000, 7, data, sizeof(data), -1, 0);
	got = got_len = 0;
	got_ok = false;
	udp_register_port(7, sink, NULL, NULL);
}

TestSuite(frag, .init = setup, .fini = nettest_teardown);

/* Fragment @i of 3 (1000 payload bytes each) of datagram @id. */
static void frag(int i, u16 id)
{
	struct pkt_ip ip = { .protocol = IPPROTO_UDP, .id = id };

	ip.frag_off = (u16)(i * 1000 / 8) | (i < 2 ? IP_MF : 0);
	nettest_inject_ip(&ip, dgram + i * 1000, 1000, 0);
}

static void frag_at(unsigned int off, unsigned int len, bool more, u16 id)
{
	struct pkt_ip ip = { .protocol = IPPROTO_UDP, .id = id };

	ip.frag_off = (u16)(off / 8) | (more ? IP_MF : 0);
	nettest_inject_ip(&ip, dgram + off, len, 0);
}

static void expect_whole(void)
{
	cr_assert_eq(got, 1, "delivered %u times", got);
	cr_assert(got_ok, "payload differs (len %u)", got_len);
	cr_assert_eq(snmp_get("Ip", "ReasmOKs"), 1);
	cr_assert_eq(net_current()->ipv4.frag_mem, 0);
	cr_assert_eq(net_current()->ipv4.frag_count, 0);
}

Test(frag, in_order)
{
	frag(0, 1);
	frag(1, 1);
	cr_assert_eq(got, 0);
	frag(2, 1);
	expect_whole();
	cr_assert_eq(snmp_get("Ip", "ReasmReqds"), 3);
}

Test(frag, reverse_order)
{
	frag(2, 1);
	frag(1, 1);
	frag(0, 1);
	expect_whole();
}

Test(frag, every_order_of_three)
{
	static const int perms[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
					 { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };

	for (int p = 0; p < 6; p++)
		for (int i = 0; i < 3; i++)
			frag(perms[p][i], (u16)(100 + p));
	cr_assert_eq(got, 6);
	cr_assert_eq(snmp_get("Ip", "ReasmOKs"), 6);
	cr_assert_eq(net_current()->ipv4.frag_mem, 0);
}

Test(frag, exact_duplicates_are_harmless)
{
	frag(0, 1);
	frag(0, 1);
	frag(2, 1);
	frag(2, 1);
	frag(1, 1);
	expect_whole();
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_IP_FRAG], 2);
}

Test(frag, interleaved_datagrams_are_kept_apart)
{
	frag(0, 1);
	frag(0, 2);
	frag(1, 2);
	frag(1, 1);
	frag(2, 2);
	frag(2, 1);
	cr_assert_eq(got, 2);
}

Test(frag, overlap_discards_the_datagram)
{
	frag_at(0, 1000, true, 1);
	frag_at(496, 1000, true, 1);	/* overlaps the first */
	cr_assert_eq(snmp_get("Ip", "ReasmOverlaps"), 1);
	cr_assert_eq(snmp_get("Ip", "ReasmFails"), 1);
	cr_assert_eq(net_current()->ipv4.frag_count, 0);
	frag(1, 1);
	frag(2, 1);
	cr_assert_eq(got, 0, "the rest cannot complete a discarded datagram");
}

Test(frag, conflicting_ends_discard_the_datagram)
{
	frag(2, 1);			/* ends at 3000 */
	frag_at(1000, 1000, false, 1);	/* claims to end at 2000 */
	cr_assert_eq(snmp_get("Ip", "ReasmFails"), 1);
	frag(2, 3);
	frag_at(2000, 1008, true, 3);	/* a middle piece past the end */
	cr_assert_eq(snmp_get("Ip", "ReasmFails"), 2);
	cr_assert_eq(net_current()->ipv4.frag_mem, 0);
}

Test(frag, offsets_past_64k_are_rejected)
{
	struct pkt_ip ip = { .protocol = IPPROTO_UDP, .id = 5 };

	ip.frag_off = 8189;		/* 65512 + 20 + 100 > 65535 */
	nettest_inject_ip(&ip, dgram, 100, 0);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_IP_FRAG], 1);
	cr_assert_eq(snmp_get("Ip", "ReasmFails"), 1);
	cr_assert_eq(net_current()->ipv4.frag_count, 0);
}

Test(frag, middle_piece_not_a_multiple_of_eight_is_rejected)
{
	frag_at(0, 999, true, 1);
	cr_assert_eq(snmp_get("Ip", "ReasmFails"), 1);
}

Test(frag, memory_cap_refuses_then_timeout_frees_everything)
{
	unsigned int sent = 0;

	/* First pieces of many datagrams, never completed. */
	for (u16 id = 1; id <= IPFRAG_MAX_QUEUES + 40; id++) {
		frag(0, id);
		sent++;
	}
	cr_assert_leq(net_current()->ipv4.frag_mem, IPFRAG_HIGH_THRESH);
	cr_assert_gt(snmp_get("Ip", "ReasmFails"), 0, "cap never reached");
	cr_assert_lt(net_current()->ipv4.frag_count, sent);
	fakedev_flush_tx(nt_dev);
	netsim_run_ms(IPFRAG_TIMEOUT_MS + 1);
	cr_assert_eq(net_current()->ipv4.frag_count, 0);
	cr_assert_eq(net_current()->ipv4.frag_mem, 0);
	cr_assert_gt(snmp_get("Ip", "ReasmTimeout"), 0);
	cr_assert_eq(got, 0);
}

Test(frag, timeout_with_first_fragment_sends_time_exceeded)
{
	const struct iphdr *iph;
	const struct icmphdr *h;

	frag(0, 1);
	frag(2, 1);
	netsim_run_ms(IPFRAG_TIMEOUT_MS - 10);
	cr_assert_eq(fakedev_tx_len(nt_dev), 0);
	netsim_run_ms(20);
	iph = tx_iph(nettest_tx());
	h = (const struct icmphdr *)((const u8 *)iph + 20);
	cr_assert_eq(h->type, ICMP_TIME_EXCEEDED);
	cr_assert_eq(h->code, ICMP_EXC_FRAGTIME);
	cr_assert_eq(snmp_get("Ip", "ReasmTimeout"), 1);
	cr_assert_eq(snmp_get("Ip", "ReasmFails"), 1);
	cr_assert_eq(net_current()->ipv4.frag_mem, 0);
}

Test(frag, out_of_memory_while_joining)
{
	struct pkt_ip ip = { .protocol = IPPROTO_UDP, .id = 1, .saddr = nt_peer,
			     .daddr = nt_ours, .frag_off = 2000 / 8 };
	static u8 buf[1100];
	unsigned int len = pkt_ipv4(buf, OUR_MAC, PEER_MAC, &ip, dgram + 2000, 1000);
	struct sk_buff *skb = netdev_alloc_skb(nt_dev, len);

	frag(0, 1);
	frag(1, 1);
	skb_put_data(skb, buf, len);
	skb_fail_next(1);	/* the reassembled datagram's buffer */
	netif_receive_skb(skb);
	cr_assert_eq(got, 0);
	cr_assert_eq(snmp_get("Ip", "ReasmFails"), 1);
	cr_assert_eq(net_current()->ipv4.frag_count, 0);
}

Test(frag, output_fragments_carry_offsets_and_mf)
{
	static u8 big[3500];
	unsigned int total = 0;

	cr_assert_eq(udp_send(0, nt_peer, 1, 2, big, sizeof(big)), 0);
	cr_assert_eq(fakedev_tx_len(nt_dev), 3);
	for (int i = 0; i < 3; i++) {
		const struct iphdr *iph = tx_iph(nettest_tx());
		u16 fo = ntohs(iph->frag_off);

		cr_assert_leq(ntohs(iph->tot_len), 1500);
		cr_assert_eq((fo & IP_OFFSET) * 8u, total);
		cr_assert_eq(!!(fo & IP_MF), i < 2);
		total += ntohs(iph->tot_len) - 20u;
	}
	cr_assert_eq(total, sizeof(big) + 8);
}
