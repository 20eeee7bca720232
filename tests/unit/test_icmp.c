/* net/icmp.c: echo, errors, the rules for not sending errors, rate limit, error dispatch. */
#include <criterion/criterion.h>
#include "lib/string.h"
#include "net/checksum.h"
#include "net/icmp.h"
#include "net/udp.h"
#include "tests/host/nettest.h"

TestSuite(icmp, .init = nettest_setup, .fini = nettest_teardown);

static const struct icmphdr *tx_icmp(const struct iphdr **piph)
{
	const struct iphdr *iph = tx_iph(nettest_tx());

	cr_assert_eq(iph->protocol, IPPROTO_ICMP);
	if (piph)
		*piph = iph;
	return (const struct icmphdr *)((const u8 *)iph + iph->ihl * 4);
}

Test(icmp, echo_reply_mirrors_id_seq_and_data)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP };
	u8 msg[128], data[100];
	const struct iphdr *iph;
	const struct icmphdr *h;
	unsigned int len;

	for (unsigned int i = 0; i < sizeof(data); i++)
		data[i] = (u8)i;
	len = pkt_icmp(msg, ICMP_ECHO, 0, 0x1234, 7, data, sizeof(data), false);
	nettest_inject_ip(&ip, msg, len, 0);
	h = tx_icmp(&iph);
	cr_assert_eq(h->type, ICMP_ECHOREPLY);
	cr_assert_eq(ntohs(h->un.echo.id), 0x1234);
	cr_assert_eq(ntohs(h->un.echo.sequence), 7);
	cr_assert_eq(memcmp(h + 1, data, sizeof(data)), 0);
	cr_assert_eq(csum_fold(csum_partial(h, len, 0)), 0, "reply checksum");
	cr_assert_eq(snmp_get("Icmp", "InEchos"), 1);
	cr_assert_eq(snmp_get("Icmp", "OutEchoReps"), 1);
}

Test(icmp, broadcast_echo_is_ignored)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP, .daddr = ip4(10, 0, 0, 255) };
	u8 msg[16] = { 0 };

	nettest_inject_ip(&ip, msg, pkt_icmp(msg, ICMP_ECHO, 0, 1, 1, NULL, 0, false), 0);
	cr_assert_eq(snmp_get("Icmp", "InEchos"), 1);
	cr_assert_eq(fakedev_tx_len(nt_dev), 0);
}

Test(icmp, truncated_and_bad_checksum_are_dropped)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP };
	u8 msg[16] = { 0 };

	nettest_inject_ip(&ip, msg, 4, 0);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_PKT_TOO_SMALL], 1);
	ip = (struct pkt_ip){ .protocol = IPPROTO_ICMP };
	nettest_inject_ip(&ip, msg, pkt_icmp(msg, ICMP_ECHO, 0, 1, 1, NULL, 0, true), 0);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_ICMP_INVALID], 1);
	cr_assert_eq(snmp_get("Icmp", "InCsumErrors"), 1);
	cr_assert_eq(snmp_get("Icmp", "InErrors"), 2);
	cr_assert_eq(fakedev_tx_len(nt_dev), 0);
}

Test(icmp, redirects_are_ignored_and_counted)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP };
	u8 msg[64], quote[28] = { 0x45 };

	nettest_inject_ip(&ip, msg, pkt_icmp(msg, ICMP_REDIRECT, 1, 0, 0, quote,
					     sizeof(quote), false), 0);
	cr_assert_eq(snmp_get("Icmp", "InRedirects"), 1);
	cr_assert_eq(fakedev_tx_len(nt_dev), 0);
	cr_assert_eq(skb_drop_counts[SKB_CONSUMED] > 0, 1);
}

static void send_to_closed_port(u16 port)
{
	struct pkt_ip ip = { .protocol = IPPROTO_UDP };
	u8 dgram[64];

	nettest_inject_ip(&ip, dgram, pkt_udp(dgram, nt_peer, nt_ours, 4000, port,
					      "x", 1, -1, 0), 0);
}

Test(icmp, closed_udp_port_gets_port_unreachable)
{
	const struct iphdr *iph;
	const struct icmphdr *h;
	const struct iphdr *quoted;

	send_to_closed_port(9999);
	h = tx_icmp(&iph);
	cr_assert_eq(h->type, ICMP_DEST_UNREACH);
	cr_assert_eq(h->code, ICMP_PORT_UNREACH);
	cr_assert_eq(iph->daddr, nt_peer);
	cr_assert_eq(iph->saddr, nt_ours);
	quoted = (const struct iphdr *)(h + 1);
	cr_assert_eq(quoted->saddr, nt_peer);
	cr_assert_eq(quoted->protocol, IPPROTO_UDP);
	cr_assert_eq(get_be16((const u8 *)quoted + 22), 9999, "quoted dport");
	cr_assert_eq(snmp_get("Udp", "NoPorts"), 1);
	cr_assert_eq(snmp_get("Icmp", "OutDestUnreachs"), 1);
}

Test(icmp, errors_are_rate_limited_by_a_token_bucket)
{
	for (int i = 0; i < ICMP_RATE_BURST + 10; i++)
		send_to_closed_port(9999);
	cr_assert_eq(fakedev_tx_len(nt_dev), ICMP_RATE_BURST);
	cr_assert_eq(snmp_get("Icmp", "OutRateLimited"), 10);
	fakedev_flush_tx(nt_dev);
	netsim_run_ms(5);	/* 1 token per ms */
	for (int i = 0; i < 10; i++)
		send_to_closed_port(9999);
	cr_assert_eq(fakedev_tx_len(nt_dev), 5);
}

Test(icmp, never_an_error_about_an_error)
{
	struct pkt_ip ip = { .protocol = 200 };
	u8 msg[64], quote[28] = { 0x45 };

	/* An ICMP error to us about a protocol we do not speak... */
	ip.protocol = IPPROTO_ICMP;
	nettest_inject_ip(&ip, msg, pkt_icmp(msg, ICMP_DEST_UNREACH, 3, 0, 0, quote,
					     sizeof(quote), false), 0);
	cr_assert_eq(fakedev_tx_len(nt_dev), 0);
	/* ...and a non-first fragment of an unknown protocol: no error either. */
	ip = (struct pkt_ip){ .protocol = 200, .frag_off = 1 };
	nettest_inject_ip(&ip, msg, 16, 0);
	netsim_run_ms(31000);
	cr_assert_eq(fakedev_tx_len(nt_dev), 0, "no time exceeded without fragment 0");
	cr_assert_eq(snmp_get("Ip", "ReasmTimeout"), 1);
}

Test(icmp, link_broadcast_gets_no_error)
{
	struct pkt_ip ip = { .protocol = IPPROTO_UDP };
	u8 buf[128], dgram[64];
	unsigned int len = pkt_udp(dgram, nt_peer, nt_ours, 4000, 9999, "x", 1, -1, 0);

	len = pkt_ipv4(buf, BCAST_MAC, PEER_MAC, &(struct pkt_ip){
		.protocol = IPPROTO_UDP, .saddr = nt_peer, .daddr = nt_ours },
		dgram, len);
	(void)ip;
	fakedev_inject(nt_dev, buf, len);
	cr_assert_eq(snmp_get("Udp", "NoPorts"), 1);
	cr_assert_eq(fakedev_tx_len(nt_dev), 0);
}

static int err_seen, err_port;

static void on_err(void *arg, int err, __be32 daddr, u16 dport)
{
	(void)arg;
	cr_assert_eq(daddr, nt_peer);
	err_seen = err;
	err_port = dport;
}

static int drop_rcv(struct sk_buff *skb, void *arg)
{
	(void)arg;
	consume_skb(skb);
	return 0;
}

Test(icmp, errors_reach_the_protocol_of_the_quoted_header)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP };
	u8 quote[28], msg[64];
	struct iphdr *q = (struct iphdr *)quote;

	cr_assert_eq(udp_register_port(5000, drop_rcv, on_err, NULL), 0);
	memset(quote, 0, sizeof(quote));
	q->version = 4;
	q->ihl = 5;
	q->protocol = IPPROTO_UDP;
	q->saddr = nt_ours;
	q->daddr = nt_peer;
	put_be16(quote + 20, 5000);	/* our source port */
	put_be16(quote + 22, 53);
	nettest_inject_ip(&ip, msg, pkt_icmp(msg, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH,
					     0, 0, quote, sizeof(quote), false), 0);
	cr_assert_eq(err_seen, 111, "ECONNREFUSED");
	cr_assert_eq(err_port, 53);
	cr_assert_eq(snmp_get("Icmp", "InDestUnreachs"), 1);
	/* A quote too short to name a port is an invalid message. */
	nettest_inject_ip(&ip, msg, pkt_icmp(msg, ICMP_DEST_UNREACH, 3, 0, 0, quote,
					     20, false), 0);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_ICMP_INVALID], 1);
	cr_assert_eq(icmp_err_to_errno(ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED), 90);
	cr_assert_eq(icmp_err_to_errno(ICMP_TIME_EXCEEDED, 0), 113);
	cr_assert_eq(icmp_err_to_errno(ICMP_DEST_UNREACH, ICMP_NET_UNREACH), 101);
	cr_assert_eq(icmp_err_to_errno(ICMP_DEST_UNREACH, ICMP_PROT_UNREACH), 92);
}

Test(icmp, unknown_types_are_ignored)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP };
	u8 msg[16] = { 0 };

	nettest_inject_ip(&ip, msg, pkt_icmp(msg, 42, 0, 0, 0, NULL, 0, false), 0);
	cr_assert_eq(snmp_get("Icmp", "InMsgs"), 1);
	cr_assert_eq(snmp_get("Icmp", "InErrors"), 0);
	cr_assert_eq(fakedev_tx_len(nt_dev), 0);
}

Test(icmp, oversized_echo_request_refused)
{
	cr_assert_eq(icmp_send_echo(nt_peer, 1, 1, 1000), -90);
	cr_assert_eq(icmp_send_echo(nt_peer, 1, 1, 8), 0);
	cr_assert_eq(fakedev_tx_len(nt_dev), 1);
}
