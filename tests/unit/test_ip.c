/* net/ip_input.c: every malformed header dropped and counted, good ones delivered. */
#include <criterion/criterion.h>
#include "lib/string.h"
#include "net/checksum.h"
#include "net/icmp.h"
#include "tests/host/nettest.h"

TestSuite(ip, .init = nettest_setup, .fini = nettest_teardown);

static u8 echo[64];
static unsigned int echo_len;

static void make_echo(void)
{
	u8 data[32];

	memset(data, 0x61, sizeof(data));
	echo_len = pkt_icmp(echo, ICMP_ECHO, 0, 1, 1, data, sizeof(data), false);
}

static void expect_dropped(enum skb_drop_reason r, const char *counter)
{
	cr_assert_eq(skb_drop_counts[r], 1, "%s not counted once",
		     skb_drop_reason_name(r));
	if (counter)
		cr_assert_eq(snmp_get("Ip", counter), 1, "Ip %s", counter);
	cr_assert_eq(fakedev_tx_len(nt_dev), 0, "nothing answered");
	cr_assert_eq(snmp_get("Ip", "InDelivers"), 0);
}

Test(ip, good_echo_is_answered)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP, .id = 9 };
	const struct iphdr *iph;

	make_echo();
	nettest_inject_ip(&ip, echo, echo_len, 0);
	iph = tx_iph(nettest_tx());
	cr_assert_eq(iph->saddr, nt_ours);
	cr_assert_eq(iph->daddr, nt_peer);
	cr_assert_eq(ntohs(iph->tot_len), 20 + echo_len);
	cr_assert_eq(ip_fast_csum(iph, 5), 0);
	cr_assert_eq(snmp_get("Ip", "InReceives"), 1);
	cr_assert_eq(snmp_get("Ip", "InDelivers"), 1);
	cr_assert_eq(snmp_get("Ip", "OutRequests"), 1);
}

Test(ip, truncated_header)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP };
	u8 buf[64];
	unsigned int len = pkt_ipv4(buf, OUR_MAC, PEER_MAC, &ip, NULL, 0);

	fakedev_inject(nt_dev, buf, len - 8);
	expect_dropped(SKB_DROP_REASON_PKT_TOO_SMALL, "InHdrErrors");
}

Test(ip, ihl_below_five)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP, .ihl = 4 };

	make_echo();
	nettest_inject_ip(&ip, echo, echo_len, 0);
	expect_dropped(SKB_DROP_REASON_IP_HDR, "InHdrErrors");
}

Test(ip, ihl_beyond_the_packet)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP, .ihl = 15 };
	u8 buf[128];
	unsigned int len = pkt_ipv4(buf, OUR_MAC, PEER_MAC, &ip, NULL, 0);

	fakedev_inject(nt_dev, buf, len - 30);	/* header cut short */
	expect_dropped(SKB_DROP_REASON_IP_HDR, "InHdrErrors");
}

Test(ip, wrong_version)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP, .version = 6 };

	make_echo();
	nettest_inject_ip(&ip, echo, echo_len, 0);
	expect_dropped(SKB_DROP_REASON_IP_HDR, "InHdrErrors");
}

Test(ip, total_length_above_the_frame)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP, .tot_len_delta = 1 };

	make_echo();
	nettest_inject_ip(&ip, echo, echo_len, 0);
	expect_dropped(SKB_DROP_REASON_PKT_TOO_SMALL, "InTruncatedPkts");
}

Test(ip, total_length_below_the_header)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP };

	ip.tot_len_delta = -(int)(echo_len + 1);
	make_echo();
	ip.tot_len_delta = -(int)(echo_len + 1);
	nettest_inject_ip(&ip, echo, echo_len, 0);
	expect_dropped(SKB_DROP_REASON_IP_HDR, "InHdrErrors");
}

Test(ip, bad_header_checksum)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP, .bad_csum = true };

	make_echo();
	nettest_inject_ip(&ip, echo, echo_len, 0);
	expect_dropped(SKB_DROP_REASON_IP_CSUM, "InCsumErrors");
	cr_assert_eq(snmp_get("Ip", "InHdrErrors"), 1);
}

Test(ip, not_our_address)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP, .daddr = ip4(10, 0, 0, 9) };

	make_echo();
	nettest_inject_ip(&ip, echo, echo_len, 0);
	expect_dropped(SKB_DROP_REASON_IP_NOT_OURS, "InAddrErrors");
}

Test(ip, multicast_destination_not_joined)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP, .daddr = ip4(224, 0, 0, 251) };

	make_echo();
	nettest_inject_ip(&ip, echo, echo_len, 0);
	expect_dropped(SKB_DROP_REASON_IP_NOT_OURS, "InAddrErrors");
}

Test(ip, link_padding_is_trimmed)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP };
	const struct iphdr *iph;

	make_echo();
	nettest_inject_ip(&ip, echo, echo_len, 18);
	iph = tx_iph(nettest_tx());
	cr_assert_eq(ntohs(iph->tot_len), 20 + echo_len, "padding not echoed");
}

Test(ip, options_are_skipped)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP, .ihl = 8 };
	const struct iphdr *iph;
	const struct icmphdr *h;

	make_echo();
	nettest_inject_ip(&ip, echo, echo_len, 0);
	iph = tx_iph(nettest_tx());
	cr_assert_eq(iph->ihl, 5);
	h = (const struct icmphdr *)((const u8 *)iph + 20);
	cr_assert_eq(h->type, ICMP_ECHOREPLY);
	cr_assert_eq(ntohs(iph->tot_len), 20 + echo_len);
}

Test(ip, low_ttl_is_still_delivered)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP, .ttl = 1 };

	make_echo();
	nettest_inject_ip(&ip, echo, echo_len, 0);
	cr_assert_eq(fakedev_tx_len(nt_dev), 1, "RFC 1122 §3.2.1.7");
}

Test(ip, unknown_protocol_gets_protocol_unreachable)
{
	struct pkt_ip ip = { .protocol = 200 };
	const struct iphdr *iph;
	const struct icmphdr *h;
	u8 data[8] = { 1, 2, 3 };

	nettest_inject_ip(&ip, data, sizeof(data), 0);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_IP_NOPROTO], 1);
	cr_assert_eq(snmp_get("Ip", "InUnknownProtos"), 1);
	iph = tx_iph(nettest_tx());
	h = (const struct icmphdr *)((const u8 *)iph + 20);
	cr_assert_eq(iph->protocol, IPPROTO_ICMP);
	cr_assert_eq(h->type, ICMP_DEST_UNREACH);
	cr_assert_eq(h->code, ICMP_PROT_UNREACH);
	cr_assert_eq(ntohs(iph->tot_len), 20 + 8 + 20 + 8, "quotes header + 8");
}

Test(ip, broadcast_to_unknown_protocol_gets_no_error)
{
	struct pkt_ip ip = { .protocol = 200, .daddr = ip4(10, 0, 0, 255) };
	u8 data[8] = { 0 };

	nettest_inject_ip(&ip, data, sizeof(data), 0);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_IP_NOPROTO], 1);
	cr_assert_eq(fakedev_tx_len(nt_dev), 0);
}

Test(ip, ipv4_over_ethertype_with_empty_payload)
{
	u8 buf[ETH_HLEN];

	fakedev_inject(nt_dev, buf, pkt_eth(buf, OUR_MAC, PEER_MAC, ETH_P_IP));
	expect_dropped(SKB_DROP_REASON_PKT_TOO_SMALL, "InHdrErrors");
}
