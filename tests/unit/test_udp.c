/* net/udp.c: delivery through the port hook, length and checksum checks, sending. */
#include <criterion/criterion.h>
#include "lib/string.h"
#include "net/checksum.h"
#include "net/udp.h"
#include "tests/host/nettest.h"

TestSuite(udp, .init = nettest_setup, .fini = nettest_teardown);

static unsigned int got_len, got;
static u8 got_data[2000];

static int sink(struct sk_buff *skb, void *arg)
{
	cr_assert_eq(arg, &got);
	got++;
	got_len = skb->len;
	memcpy(got_data, skb->data, skb->len < sizeof(got_data) ? skb->len : sizeof(got_data));
	cr_assert_eq(ntohs(udp_hdr(skb)->dest), 7);
	consume_skb(skb);
	return 0;
}

static void setup_port(void)
{
	got = got_len = 0;
	cr_assert_eq(udp_register_port(7, sink, NULL, &got), 0);
}

static void inject_udp(const void *data, unsigned int len, int len_field, int csum,
		       unsigned int cut)
{
	struct pkt_ip ip = { .protocol = IPPROTO_UDP };
	u8 dgram[1600];
	unsigned int n = pkt_udp(dgram, nt_peer, nt_ours, 4000, 7, data, len,
				 len_field, csum);

	nettest_inject_ip(&ip, dgram, n - cut, 0);
}

Test(udp, datagram_is_delivered_to_the_registered_port)
{
	setup_port();
	inject_udp("hello", 5, -1, 0, 0);
	cr_assert_eq(got, 1);
	cr_assert_eq(got_len, 5);
	cr_assert_eq(memcmp(got_data, "hello", 5), 0);
	cr_assert_eq(snmp_get("Udp", "InDatagrams"), 1);
}

/* Regression (fuzz_frame): a free hook slot has port 0 and no handler. */
Test(udp, datagram_to_port_zero_is_refused_not_called)
{
	struct pkt_ip ip = { .protocol = IPPROTO_UDP };
	u8 dgram[64];
	unsigned int n;

	setup_port();
	n = pkt_udp(dgram, nt_peer, nt_ours, 4000, 0, "x", 1, -1, 0);
	nettest_inject_ip(&ip, dgram, n, 0);
	cr_assert_eq(got, 0);
	cr_assert_eq(snmp_get("Udp", "NoPorts"), 1);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_NO_SOCKET], 1);
}

Test(udp, zero_checksum_means_none)
{
	setup_port();
	inject_udp("abc", 3, -1, 1, 0);
	cr_assert_eq(got, 1);
}

Test(udp, bad_checksum_is_dropped)
{
	setup_port();
	inject_udp("abc", 3, -1, 2, 0);
	cr_assert_eq(got, 0);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_UDP_CSUM], 1);
	cr_assert_eq(snmp_get("Udp", "InCsumErrors"), 1);
	cr_assert_eq(snmp_get("Udp", "InErrors"), 1);
}

Test(udp, truncated_header_is_dropped)
{
	setup_port();
	inject_udp("", 0, -1, 1, 4);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_UDP_HDR], 1);
}

Test(udp, length_field_zero_below_eight_or_beyond_packet)
{
	setup_port();
	inject_udp("abcd", 4, 0, 1, 0);
	inject_udp("abcd", 4, 5, 1, 0);
	inject_udp("abcd", 4, 13, 1, 0);
	cr_assert_eq(got, 0);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_UDP_HDR], 3);
	cr_assert_eq(snmp_get("Udp", "InErrors"), 3);
	cr_assert_eq(fakedev_tx_len(nt_dev), 0, "no ICMP about a malformed datagram");
}

Test(udp, length_field_shorter_than_packet_trims)
{
	setup_port();
	inject_udp("abcdef", 6, 8 + 2, 1, 0);
	cr_assert_eq(got, 1);
	cr_assert_eq(got_len, 2);
}

Test(udp, ports_are_registered_once)
{
	setup_port();
	cr_assert_eq(udp_register_port(7, sink, NULL, NULL), -98);
	cr_assert_eq(udp_register_port(0, sink, NULL, NULL), -22);
	cr_assert_eq(udp_unregister_port(8), -2);
	for (u16 p = 100; p < 100 + UDP_HOOK_MAX - 1; p++)
		cr_assert_eq(udp_register_port(p, sink, NULL, NULL), 0);
	cr_assert_eq(udp_register_port(999, sink, NULL, NULL), -28);
	cr_assert_eq(udp_unregister_port(7), 0);
	inject_udp("x", 1, -1, 0, 0);
	cr_assert_eq(got, 0);
	cr_assert_eq(snmp_get("Udp", "NoPorts"), 1);
}

Test(udp, send_builds_a_correct_datagram)
{
	const struct iphdr *iph;
	const u8 *uh;
	unsigned int ulen;

	cr_assert_eq(udp_send(0, nt_peer, 1234, 53, "query", 5), 0);
	iph = tx_iph(nettest_tx());
	cr_assert_eq(iph->protocol, IPPROTO_UDP);
	cr_assert_eq(iph->saddr, nt_ours);
	uh = (const u8 *)iph + 20;
	ulen = get_be16(uh + 4);
	cr_assert_eq(ulen, 13);
	cr_assert_eq(get_be16(uh), 1234);
	cr_assert_eq(get_be16(uh + 2), 53);
	cr_assert_eq(csum_fold(csum_tcpudp_nofold(iph->saddr, iph->daddr, ulen,
						  IPPROTO_UDP,
						  csum_partial(uh, ulen, 0))), 0);
	cr_assert_eq(snmp_get("Udp", "OutDatagrams"), 1);
	cr_assert_eq(udp_send(0, nt_peer, 1, 2, NULL, UDP_MAX_PAYLOAD + 1), -90);
	cr_assert_eq(udp_send(0, ip4(192, 168, 0, 1), 1, 2, "x", 1), -101);
	skb_fail_next(1);
	cr_assert_eq(udp_send(0, nt_peer, 1, 2, "x", 1), -105);
}

Test(udp, loopback_datagram_to_own_port)
{
	setup_port();
	cr_assert_eq(udp_send(0, ip4(127, 0, 0, 1), 1234, 7, "loop", 4), 0);
	netsim_run_ms(1);
	cr_assert_eq(got, 1);
	cr_assert_eq(memcmp(got_data, "loop", 4), 0);
}
