/* net/reflect.c: make bench's floor turns echo requests around below the stack. */
#include <criterion/criterion.h>
#include "lib/string.h"
#include "net/checksum.h"
#include "net/icmp.h"
#include "net/reflect.h"
#include "net/udp.h"
#include "tests/host/nettest.h"

static void reflect_setup(void)
{
	nettest_setup();
	reflect_enabled = true;
}

static void reflect_teardown(void)
{
	reflect_enabled = false;
	nettest_teardown();
}

TestSuite(reflect, .init = reflect_setup, .fini = reflect_teardown);

/* The reflected frame went back to the peer, from us, the stack unaware. */
static const struct iphdr *reflected_iph(void)
{
	struct sk_buff *skb = nettest_tx();
	const struct ethhdr *eth = frame_eth(skb);
	const struct iphdr *iph = tx_iph(skb);

	cr_assert_eq(memcmp(eth->h_dest, PEER_MAC, ETH_ALEN), 0);
	cr_assert_eq(memcmp(eth->h_source, OUR_MAC, ETH_ALEN), 0);
	cr_assert_eq(iph->saddr, nt_ours);
	cr_assert_eq(iph->daddr, nt_peer);
	cr_assert_eq(ip_fast_csum(iph, iph->ihl), 0, "IPv4 header checksum");
	return iph;
}

Test(reflect, icmp_echo_comes_back_as_a_reply_with_a_valid_checksum)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP };
	u8 msg[64], data[40];
	const struct icmphdr *h;
	unsigned int len;

	memset(data, 0xa5, sizeof(data));
	len = pkt_icmp(msg, ICMP_ECHO, 0, 0x4242, 9, data, sizeof(data), false);
	nettest_inject_ip(&ip, msg, len, 0);
	h = (const struct icmphdr *)(reflected_iph() + 1);
	cr_assert_eq(h->type, ICMP_ECHOREPLY);
	cr_assert_eq(ntohs(h->un.echo.id), 0x4242);
	cr_assert_eq(ntohs(h->un.echo.sequence), 9);
	cr_assert_eq(csum_fold(csum_partial(h, len, 0)), 0, "ICMP checksum");
	cr_assert_eq(snmp_get("Icmp", "InEchos"), 0, "the stack saw it");
}

Test(reflect, udp_echo_comes_back_with_ports_swapped)
{
	struct pkt_ip ip = { .protocol = IPPROTO_UDP };
	u8 msg[64];
	const struct udphdr *uh;
	unsigned int len;

	len = pkt_udp(msg, nt_peer, nt_ours, 40000, 7, "hello", 5, -1, 0);
	nettest_inject_ip(&ip, msg, len, 0);
	uh = (const struct udphdr *)(reflected_iph() + 1);
	cr_assert_eq(ntohs(uh->source), 7);
	cr_assert_eq(ntohs(uh->dest), 40000);
	cr_assert_eq(uh->check, 0, "RFC 768: no checksum");
	cr_assert_eq(memcmp(uh + 1, "hello", 5), 0);
	cr_assert_eq(snmp_get("Udp", "InDatagrams"), 0, "the stack saw it");
}

Test(reflect, other_traffic_goes_up_the_stack)
{
	struct pkt_ip ip = { .protocol = IPPROTO_UDP };
	struct pkt_ip frag = { .protocol = IPPROTO_ICMP, .frag_off = IP_MF };
	u8 msg[64];
	unsigned int sent;

	nettest_inject_ip(&ip, msg, pkt_udp(msg, nt_peer, nt_ours, 40000, 9, "x", 1, -1, 0), 0);
	cr_assert_eq(snmp_get("Udp", "NoPorts"), 1, "discard is not reflected");
	sent = fakedev_tx_len(nt_dev);	/* the stack's port unreachable */
	nettest_inject_ip(&frag, msg, pkt_icmp(msg, ICMP_ECHO, 0, 1, 1, NULL, 0, false), 0);
	cr_assert_eq(fakedev_tx_len(nt_dev), sent, "a fragment was reflected");
}
