/* net/dhcp.c against a scripted server: the four-message exchange, renewal, NAK, silence. */
#include <criterion/criterion.h>
#include "lib/string.h"
#include "net/arp.h"
#include "net/dhcp.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/route.h"
#include "net/udp.h"
#include "tests/host/host_random.h"
#include "tests/host/netsim.h"
#include "tests/host/pktbuild.h"
#include "tests/host/platform.h"
#include "tests/host/teardown.h"

static const u8 our_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
static const u8 srv_mac[ETH_ALEN] = { 0x52, 0x55, 0x0a, 0, 2, 2 };
static struct net_device *dev;
static __be32 srv, offered;

static void setup(void)
{
	netsim_reset();
	host_random_seed(11);
	srv = ip4(10, 0, 2, 2);
	offered = ip4(10, 0, 2, 20);
	dev = fakedev_create(our_mac);
	cr_assert_eq(dhcp_start(dev), 0);
}

static void teardown(void)
{
	netsim_teardown();
	teardown_assert(skb_live_count() == 0, "leaked %lu skbs",
		(unsigned long)skb_live_count());
}

TestSuite(dhcp, .init = setup, .fini = teardown);

/* What the client sent: message type, and the fields a server looks at. */
struct sent {
	u8 type;
	u32 xid;
	__be32 ciaddr, requested, server_id, ip_dst;
	bool broadcast_flag;
};

/* The server answers ARP for its address, so unicast renewals can leave. */
static void answer_arp(struct sk_buff *skb)
{
	const struct arphdr *a = (const struct arphdr *)frame_l3(skb);
	u8 buf[64];

	if (ntohs(a->ar_op) == ARPOP_REQUEST && a->ar_tip == srv && a->ar_sip)
		fakedev_inject(dev, buf, pkt_arp(buf, our_mac, ARPOP_REPLY, srv_mac,
						 srv, our_mac, a->ar_sip));
	consume_skb(skb);
}

static bool pop_dhcp(struct sent *s)
{
	struct sk_buff *skb;

	while ((skb = fakedev_pop_tx(dev))) {
		u8 proto;
		const u8 *l4 = frame_l4(skb, &proto);
		const struct dhcp_msg *m;
		const u8 *o;

		if (frame_type(skb) == ETH_P_ARP) {
			answer_arp(skb);
			continue;
		}
		if (!l4 || proto != IPPROTO_UDP || get_be16(l4 + 2) != 67) {
			consume_skb(skb);
			continue;
		}
		m = (const struct dhcp_msg *)(l4 + 8);
		memset(s, 0, sizeof(*s));
		s->xid = ntohl(m->xid);
		s->ciaddr = m->ciaddr;
		s->broadcast_flag = ntohs(m->flags) & DHCP_FLAG_BROADCAST;
		s->ip_dst = ((const struct iphdr *)frame_l3(skb))->daddr;
		cr_assert_eq(ntohl(m->cookie), DHCP_MAGIC);
		cr_assert(!memcmp(m->chaddr, our_mac, ETH_ALEN));
		for (o = m->options; *o != DHO_END; o += 2 + o[1]) {
			if (*o == DHO_PAD) {
				o--;
				continue;
			}
			if (*o == DHO_MSG_TYPE)
				s->type = o[2];
			if (*o == DHO_REQUESTED_ADDR)
				memcpy(&s->requested, o + 2, 4);
			if (*o == DHO_SERVER_ID)
				memcpy(&s->server_id, o + 2, 4);
		}
		consume_skb(skb);
		return true;
	}
	return false;
}

/* A reply from the server; @extra: more raw options before END. */
static void reply(u8 type, u32 xid, const u8 *extra, unsigned int extra_len)
{
	static u8 msg[600], dgram[700], frame[800];
	struct dhcp_msg *m = (struct dhcp_msg *)msg;
	struct pkt_ip ip = { .protocol = IPPROTO_UDP, .saddr = srv,
			     .daddr = INADDR_BROADCAST };
	u8 *o = m->options;
	unsigned int len;
	u32 lease = htonl(600);

	memset(msg, 0, sizeof(msg));
	m->op = BOOTREPLY;
	m->htype = 1;
	m->hlen = 6;
	m->xid = htonl(xid);
	m->yiaddr = type == DHCPNAK ? 0 : offered;
	memcpy(m->chaddr, our_mac, ETH_ALEN);
	m->cookie = htonl(DHCP_MAGIC);
	*o++ = DHO_MSG_TYPE; *o++ = 1; *o++ = type;
	*o++ = DHO_SERVER_ID; *o++ = 4; memcpy(o, &srv, 4); o += 4;
	if (type != DHCPNAK) {
		__be32 mask = htonl(0xffffff00u);

		*o++ = DHO_SUBNET_MASK; *o++ = 4; memcpy(o, &mask, 4); o += 4;
		*o++ = DHO_ROUTER; *o++ = 4; memcpy(o, &srv, 4); o += 4;
		*o++ = DHO_LEASE_TIME; *o++ = 4; memcpy(o, &lease, 4); o += 4;
	}
	if (extra_len)
		memcpy(o, extra, extra_len);
	o += extra_len;
	*o++ = DHO_END;
	len = pkt_udp(dgram, srv, INADDR_BROADCAST, 67, 68, msg,
		      (unsigned int)(o - msg), -1, 0);
	len = pkt_ipv4(frame, (const u8 *)"\xff\xff\xff\xff\xff\xff", srv_mac,
		       &ip, dgram, len);
	fakedev_inject(dev, frame, len);
}

static struct sent bind_lease(void)
{
	struct sent s;

	cr_assert(pop_dhcp(&s));
	cr_assert_eq(s.type, DHCPDISCOVER);
	cr_assert(s.broadcast_flag);
	cr_assert_eq(s.ip_dst, INADDR_BROADCAST);
	reply(DHCPOFFER, s.xid, NULL, 0);
	cr_assert(pop_dhcp(&s));
	cr_assert_eq(s.type, DHCPREQUEST);
	cr_assert_eq(s.requested, offered);
	cr_assert_eq(s.server_id, srv);
	cr_assert_eq(dhcp_client()->state, DHCP_REQUESTING);
	reply(DHCPACK, s.xid, NULL, 0);
	cr_assert_eq(dhcp_client()->state, DHCP_BOUND);
	return s;
}

Test(dhcp, discover_offer_request_ack_configures_the_device)
{
	struct rtable rt;

	bind_lease();
	cr_assert_eq(inet_dev_addr(dev), offered);
	cr_assert_eq(dev->ip_ptr->ifa_prefixlen, 24);
	cr_assert_eq(ip_route_output(ip4(1, 1, 1, 1), 0, &rt), 0);
	cr_assert_eq(rt.nexthop, srv, "default route via the router option");
	netsim_run_ms(2000);
	cr_assert_eq(dhcp_client()->state, DHCP_BOUND, "no fallback once bound");
}

Test(dhcp, renews_at_t1_and_rebinds_at_t2)
{
	struct sent s;

	bind_lease();
	netsim_run_ms(300 * 1000 - 10);
	cr_assert_not(pop_dhcp(&s), "nothing before T1");
	netsim_run_ms(20);
	cr_assert(pop_dhcp(&s));
	cr_assert_eq(dhcp_client()->state, DHCP_RENEWING);
	cr_assert_eq(s.type, DHCPREQUEST);
	cr_assert_eq(s.ciaddr, offered);
	cr_assert_eq(s.ip_dst, srv, "renewal is unicast to the server");
	cr_assert_not(s.broadcast_flag);
	/* Server silent until T2 (525 s): rebinding broadcasts. */
	netsim_run_ms(225 * 1000);
	while (pop_dhcp(&s))
		;
	cr_assert_eq(dhcp_client()->state, DHCP_REBINDING);
	cr_assert_eq(s.ip_dst, INADDR_BROADCAST);
	reply(DHCPACK, s.xid, NULL, 0);
	cr_assert_eq(dhcp_client()->state, DHCP_BOUND);
	cr_assert_eq(inet_dev_addr(dev), offered);
}

Test(dhcp, lease_expiry_starts_over)
{
	struct sent s;

	bind_lease();
	netsim_run_ms(600 * 1000 + 10);
	while (pop_dhcp(&s) && s.type != DHCPDISCOVER)
		;
	cr_assert_eq(s.type, DHCPDISCOVER);
	cr_assert_eq(inet_dev_addr(dev), 0, "expired address removed");
}

Test(dhcp, nak_restarts_from_discover)
{
	struct sent s;

	cr_assert(pop_dhcp(&s));
	reply(DHCPOFFER, s.xid, NULL, 0);
	cr_assert(pop_dhcp(&s));
	reply(DHCPNAK, s.xid, NULL, 0);
	cr_assert(pop_dhcp(&s));
	cr_assert_eq(s.type, DHCPDISCOVER);
	cr_assert_eq(dhcp_client()->state, DHCP_SELECTING);
	reply(DHCPOFFER, s.xid, NULL, 0);
	cr_assert(pop_dhcp(&s));
	reply(DHCPACK, s.xid, NULL, 0);
	cr_assert_eq(inet_dev_addr(dev), offered);
}

Test(dhcp, nak_while_renewing_drops_the_address)
{
	struct sent s;

	bind_lease();
	netsim_run_ms(300 * 1000 + 10);
	cr_assert(pop_dhcp(&s));
	reply(DHCPNAK, s.xid, NULL, 0);
	cr_assert_eq(inet_dev_addr(dev), 0);
	cr_assert_eq(dhcp_client()->state, DHCP_SELECTING);
}

Test(dhcp, silent_server_falls_back_to_the_static_default)
{
	struct sent s;
	struct rtable rt;
	int discovers = 0;

	netsim_run_ms(DHCP_FALLBACK_MS - 1);
	while (pop_dhcp(&s))
		discovers += s.type == DHCPDISCOVER;
	cr_assert_geq(discovers, 3, "retransmitted within the second");
	cr_assert_eq(inet_dev_addr(dev), 0);
	netsim_run_ms(DHCP_RETRANS_MS);
	cr_assert_eq(dhcp_client()->state, DHCP_FALLBACK);
	cr_assert_eq(inet_dev_addr(dev), ip4(10, 0, 2, 15));
	cr_assert_eq(ip_route_output(ip4(1, 1, 1, 1), 0, &rt), 0);
	cr_assert_eq(rt.nexthop, ip4(10, 0, 2, 2));
	cr_assert(strstr(host_console_output(), "using 10.0.2.15/24 gw 10.0.2.2"));
	netsim_run_ms(10000);
	cr_assert_not(pop_dhcp(&s), "quiet after falling back");
}

Test(dhcp, request_unanswered_goes_back_to_discover)
{
	struct sent s;

	cr_assert(pop_dhcp(&s));
	reply(DHCPOFFER, s.xid, NULL, 0);
	netsim_run_ms(DHCP_RETRANS_MS * DHCP_MAX_REQUESTS - 10);
	while (pop_dhcp(&s))
		cr_assert_eq(s.type, DHCPREQUEST);
	netsim_run_ms(DHCP_RETRANS_MS);
	cr_assert(pop_dhcp(&s));
	cr_assert_eq(s.type, DHCPDISCOVER);
}

Test(dhcp, replies_for_another_transaction_are_ignored)
{
	struct sent s;

	cr_assert(pop_dhcp(&s));
	reply(DHCPOFFER, s.xid + 1, NULL, 0);
	cr_assert_not(pop_dhcp(&s));
	cr_assert_eq(dhcp_client()->state, DHCP_SELECTING);
}

Test(dhcp, malformed_options_are_rejected)
{
	struct sent s;
	static const u8 overrun[] = { DHO_T1, 200, 1, 2 };

	cr_assert(pop_dhcp(&s));
	reply(DHCPOFFER, s.xid, overrun, sizeof(overrun));
	cr_assert_not(pop_dhcp(&s), "an option past the end: ignored");
	cr_assert_eq(dhcp_client()->state, DHCP_SELECTING);
}

Test(dhcp, second_start_is_refused)
{
	cr_assert_eq(dhcp_start(dev), -16);
	dhcp_stop();
	cr_assert_null(dhcp_client());
}

/* dhcp_parse on hand-made messages. */
static struct {
	struct dhcp_msg m;
	u8 opts[64];
} msg;

static int parse_opts(const u8 *opts, unsigned int len, struct dhcp_lease *l)
{
	memset(&msg, 0, sizeof(msg));
	msg.m.cookie = htonl(DHCP_MAGIC);
	memcpy(msg.opts, opts, len);
	return dhcp_parse(&msg.m, sizeof(msg.m) + len, l);
}

Test(dhcp, parse_handles_pad_end_and_lengths)
{
	struct dhcp_lease l;
	static const u8 good[] = { 0, 0, DHO_MSG_TYPE, 1, DHCPACK, 0,
				   DHO_LEASE_TIME, 4, 0, 0, 1, 0, DHO_END };
	static const u8 no_end[] = { DHO_MSG_TYPE, 1, DHCPACK };
	static const u8 cut_len[] = { DHO_MSG_TYPE };
	static const u8 no_type[] = { DHO_END };
	static const u8 bad_overload[] = { DHO_MSG_TYPE, 1, 5, DHO_OVERLOAD, 1, 4,
					   DHO_END };

	cr_assert_eq(parse_opts(good, sizeof(good), &l), 0);
	cr_assert_eq(l.msg_type, DHCPACK);
	cr_assert_eq(l.lease_s, 256);
	cr_assert_eq(parse_opts(no_end, sizeof(no_end), &l), -22);
	cr_assert_eq(parse_opts(cut_len, sizeof(cut_len), &l), -22);
	cr_assert_eq(parse_opts(no_type, sizeof(no_type), &l), -22);
	cr_assert_eq(parse_opts(bad_overload, sizeof(bad_overload), &l), -22);
	cr_assert_eq(dhcp_parse(&msg.m, 100, &l), -22, "shorter than BOOTP");
	msg.m.cookie = 0;
	cr_assert_eq(dhcp_parse(&msg.m, sizeof(msg.m) + 1, &l), -22);
}

Test(dhcp, parse_follows_overload_into_file_and_sname)
{
	struct dhcp_lease l;
	static const u8 opts[] = { DHO_OVERLOAD, 1, 3, DHO_END };

	memset(&msg, 0, sizeof(msg));
	msg.m.cookie = htonl(DHCP_MAGIC);
	memcpy(msg.opts, opts, sizeof(opts));
	msg.m.file[0] = DHO_MSG_TYPE;
	msg.m.file[1] = 1;
	msg.m.file[2] = DHCPOFFER;
	msg.m.file[3] = DHO_END;
	msg.m.sname[0] = DHO_SERVER_ID;
	msg.m.sname[1] = 4;
	memcpy(msg.m.sname + 2, "\x0a\x00\x02\x02", 4);
	cr_assert_eq(dhcp_parse(&msg.m, sizeof(msg.m) + sizeof(opts), &l), 0);
	cr_assert_eq(l.msg_type, DHCPOFFER);
	cr_assert_eq(l.server_id, ip4(10, 0, 2, 2));
	msg.m.sname[1] = 70;		/* runs off the sname field */
	cr_assert_eq(dhcp_parse(&msg.m, sizeof(msg.m) + sizeof(opts), &l), -22);
	msg.m.sname[1] = 4;
	msg.m.file[3] = DHO_OVERLOAD;	/* overload inside the overload area */
	msg.m.file[4] = 1;
	msg.m.file[5] = 1;
	cr_assert_eq(dhcp_parse(&msg.m, sizeof(msg.m) + sizeof(opts), &l), -22);
}
