/*
 * libFuzzer target: DHCP replies (RFC 2131) into the client of net/dhcp.c
 * in each of its states. A scripted server first brings the client to the
 * state the input asks for, then every record of the input is delivered
 * as a UDP datagram from the server (port 67 to 68, broadcast) with
 * virtual time advancing between records, and finally two hours pass so
 * the lease timers run. After teardown no sk_buff may be left, and the
 * client must never be in a state that does not exist or bound without
 * an address.
 *
 * Input: byte 0 picks the state (low 3 bits, modulo 5: SELECTING,
 * REQUESTING, BOUND, RENEWING, REBINDING) and flags: bit 3 keeps op,
 * htype, hlen, xid and chaddr as the fuzzer wrote them (otherwise they are
 * set to what the client accepts, so the fuzzer reaches the options), bit
 * 4 keeps the magic cookie. Then records: one time byte (bit 7 set:
 * (b & 0x7f) minutes, else b * 10 ms, advanced after delivery), a 16-bit
 * big-endian length, and that many bytes of BOOTP message.
 */
#include <stdlib.h>
#include <string.h>

#include "net/dhcp.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "tests/host/host_random.h"
#include "tests/host/netsim.h"
#include "tests/host/pktbuild.h"
#include "tests/host/platform.h"

#define MSG_MAX		1472	/* one Ethernet frame of UDP payload */
#define MAX_RECORDS	16

static const u8 our_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
static const u8 srv_mac[ETH_ALEN] = { 0x52, 0x55, 0x0a, 0, 2, 2 };
static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static struct net_device *dev;

static __be32 srv_addr(void)
{
	return ip4(10, 0, 2, 2);
}

static void deliver(const u8 *msg, unsigned int len)
{
	static u8 dgram[MSG_MAX + 8], frame[MSG_MAX + 64];
	struct pkt_ip ip = { .protocol = IPPROTO_UDP, .saddr = srv_addr(),
			     .daddr = INADDR_BROADCAST };
	unsigned int n;

	n = pkt_udp(dgram, srv_addr(), INADDR_BROADCAST, DHCP_SERVER_PORT,
		    DHCP_CLIENT_PORT, msg, len, -1, 0);
	n = pkt_ipv4(frame, bcast, srv_mac, &ip, dgram, n);
	fakedev_inject(dev, frame, n);
}

/* Make the fields dhcp_rcv() checks before parsing match the client. */
static void fix_header(u8 *msg, unsigned int len, bool keep_cookie)
{
	struct dhcp_msg m;

	if (len < sizeof(m))
		return;
	memcpy(&m, msg, sizeof(m));
	m.op = BOOTREPLY;
	m.htype = 1;
	m.hlen = ETH_ALEN;
	m.xid = htonl(dhcp_client()->xid);
	memcpy(m.chaddr, our_mac, ETH_ALEN);
	if (!keep_cookie)
		m.cookie = htonl(DHCP_MAGIC);
	memcpy(msg, &m, sizeof(m));
}

/* A well-formed reply of @type: lease 100 s, so T1 is 50 s and T2 87.5 s. */
static void server_reply(u8 type)
{
	u8 msg[300] = { 0 };
	struct dhcp_msg *m = (struct dhcp_msg *)msg;
	__be32 srv = srv_addr(), mask = htonl(0xffffff00u);
	u8 lease[4] = { 0, 0, 0, 100 };
	u8 *o = m->options;

	m->yiaddr = ip4(10, 0, 2, 20);
	*o++ = DHO_MSG_TYPE; *o++ = 1; *o++ = type;
	*o++ = DHO_SERVER_ID; *o++ = 4; memcpy(o, &srv, 4); o += 4;
	*o++ = DHO_SUBNET_MASK; *o++ = 4; memcpy(o, &mask, 4); o += 4;
	*o++ = DHO_ROUTER; *o++ = 4; memcpy(o, &srv, 4); o += 4;
	*o++ = DHO_LEASE_TIME; *o++ = 4; memcpy(o, lease, 4); o += 4;
	*o++ = DHO_END;
	fix_header(msg, sizeof(msg), false);
	deliver(msg, sizeof(msg));
}

static void reach_state(unsigned int want)
{
	static const u64 after_bound_ms[] = { 0, 0, 0, 50010, 87600 };

	if (want >= DHCP_REQUESTING)
		server_reply(DHCPOFFER);
	if (want >= DHCP_BOUND)
		server_reply(DHCPACK);
	if (after_bound_ms[want])
		host_clock_advance(after_bound_ms[want] * NSEC_PER_MSEC);
	fakedev_flush_tx(dev);
	if (dhcp_client()->state != want)
		abort();	/* the script no longer reaches the state */
}

static void check_client(void)
{
	const struct dhcp_client *c = dhcp_client();

	if (!c || c->state > DHCP_FALLBACK)
		abort();
	if (c->state == DHCP_BOUND && !inet_dev_addr(dev))
		abort();	/* bound without an address */
}

static void advance(u8 b)
{
	u64 ns = b & 0x80 ? (u64)(b & 0x7f) * 60 * NSEC_PER_SEC
			  : (u64)b * 10 * NSEC_PER_MSEC;

	host_clock_advance(ns);
	fakedev_flush_tx(dev);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static u8 msg[MSG_MAX];
	size_t pos = 1;
	unsigned int flags;

	if (size < 1)
		return 0;
	flags = data[0];
	netsim_reset();
	host_random_seed(1);
	dev = fakedev_create(our_mac);
	if (dhcp_start(dev))
		abort();
	reach_state((flags & 7) % 5);
	for (int r = 0; r < MAX_RECORDS && pos + 3 <= size; r++) {
		u8 step = data[pos];
		unsigned int len = (unsigned int)data[pos + 1] << 8 | data[pos + 2];

		pos += 3;
		if (len > size - pos)
			len = (unsigned int)(size - pos);
		if (len > MSG_MAX)
			len = MSG_MAX;
		memcpy(msg, data + pos, len);
		pos += len;
		if (!(flags & 8))
			fix_header(msg, len, flags & 16);
		deliver(msg, len);
		check_client();
		advance(step);
		check_client();
	}
	host_clock_advance(2 * 3600 * NSEC_PER_SEC);
	check_client();
	fakedev_flush_tx(dev);
	netsim_teardown();
	if (skb_live_count() != 0)
		abort();	/* a leaked sk_buff is a bug */
	return 0;
}
