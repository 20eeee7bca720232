/*
 * libFuzzer target: a sequence of TCP segments against one established
 * connection (and its listener) of a fresh stack. The harness does a real
 * handshake first (SYN in, SYN-ACK out, ACK in, accept), so the fuzzer
 * starts where bugs hide: inside the connection. Input, repeated:
 *
 *   u8 flags  u8 hdr_words  u16 window  u32 seq_off  u32 ack_off
 *   u8 optlen  options[optlen]  u16 len  data[len]
 *
 * seq_off/ack_off are added to the peer's and the stack's ISNs, so most
 * segments land in or near the window; options are copied raw (lengths 0,
 * 1 and past the header are the point). Checksums are always correct; the
 * clock advances 37 ms between segments. At the end both sockets are
 * closed, timers run for up to an hour of virtual time, and nothing may be
 * left: an orphan that never dies is a bug too.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/byteorder.h"
#include "net/checksum.h"
#include "net/inetdevice.h"
#include "net/inet_sock.h"
#include "net/ip.h"
#include "net/socket.h"
#include "net/tcp.h"
#include "tests/host/host_random.h"
#include "tests/host/netsim.h"
#include "tests/host/pktbuild.h"
#include "tests/host/platform.h"

static const u8 our_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
static const u8 peer_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0xab, 0xcd, 0xef };
#define PEER_ISN	1000000u
#define STACK_PORT	80
#define PEER_PORT	40000

struct fz {
	struct net_device *dev;
	__be32 ours, peer;
	u32 stack_isn;
};

/* Build and inject one TCP segment; @opt may be up to 40 bytes. */
static void send_seg(struct fz *f, u8 flags, u32 seq, u32 ack, u16 win,
		     const u8 *opt, unsigned int optlen, unsigned int doff_words,
		     const u8 *data, unsigned int len)
{
	static u8 seg[65536], frame[70000];
	struct pkt_ip ip = { .saddr = f->peer, .daddr = f->ours, .protocol = IPPROTO_TCP };
	unsigned int hl = 20 + optlen, n;

	put_be16(seg, PEER_PORT);
	put_be16(seg + 2, STACK_PORT);
	put_be32(seg + 4, seq);
	put_be32(seg + 8, ack);
	seg[12] = (u8)((doff_words ? doff_words : (hl + 3) / 4) << 4);
	seg[13] = flags;
	put_be16(seg + 14, win);
	memset(seg + 16, 0, 4);
	if (optlen)
		memcpy(seg + 20, opt, optlen);
	while (hl % 4)
		seg[hl++] = 0;
	if (len)
		memcpy(seg + hl, data, len);
	n = hl + len;
	put_be16(seg + 16, csum_fold(csum_partial(seg, n, csum_tcpudp_nofold(
		f->peer, f->ours, n, IPPROTO_TCP, 0))));
	fakedev_inject(f->dev, frame, pkt_ipv4(frame, our_mac, peer_mac, &ip, seg, n));
}

/* The stack's ISN from the SYN-ACK it sent, or false. */
static bool learn_isn(struct fz *f)
{
	struct sk_buff *skb;
	bool found = false;

	while ((skb = fakedev_pop_tx(f->dev))) {
		u8 proto;
		const u8 *th = frame_l4(skb, &proto);

		if (th && proto == IPPROTO_TCP && (th[13] & 0x12) == 0x12) {
			f->stack_isn = get_be32(th + 4);
			found = true;
		}
		consume_skb(skb);
	}
	return found;
}

static struct socket *setup(struct fz *f, struct socket **child)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(STACK_PORT) };
	struct socket *l;
	u8 buf[128];

	netsim_reset();
	host_random_seed(5);
	inet_family_init();
	tcp_timewait_len = (long)msecs_to_jiffies(1000);
	f->ours = ip4(10, 0, 0, 1);
	f->peer = ip4(10, 0, 0, 2);
	f->dev = fakedev_create(our_mac);
	inet_set_address(f->dev, f->ours, 24);
	fakedev_inject(f->dev, buf, pkt_arp(buf, our_mac, 2, peer_mac, f->peer,
					    our_mac, f->ours));
	if (sock_create(AF_INET, SOCK_STREAM, 0, &l) ||
	    l->ops->bind(l, (struct sockaddr *)&sin, sizeof(sin)) ||
	    l->ops->listen(l, 4))
		abort();
	send_seg(f, 0x02, PEER_ISN, 0, 65535, NULL, 0, 0, NULL, 0);	/* SYN */
	if (!learn_isn(f))
		abort();
	send_seg(f, 0x10, PEER_ISN + 1, f->stack_isn + 1, 65535, NULL, 0, 0, NULL, 0);
	*child = sock_alloc();
	(*child)->type = SOCK_STREAM;
	(*child)->ops = l->ops;
	if (l->ops->accept(l, *child, O_NONBLOCK, true)) {
		(*child)->ops = NULL;
		sock_release(*child);
		*child = NULL;
	}
	fakedev_flush_tx(f->dev);
	return l;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct socket *l, *c;
	struct fz f;
	size_t p = 0;

	l = setup(&f, &c);
	if (!c)
		abort();	/* the handshake itself must work */
	while (p + 15 <= size) {
		u8 flags = data[p], words = data[p + 1] & 15, optlen;
		u16 win = get_be16(data + p + 2), len;
		u32 seq = PEER_ISN + 1 + get_be32(data + p + 4);
		u32 ack = f.stack_isn + 1 + get_be32(data + p + 8);

		optlen = data[p + 12] % 41;
		p += 13;
		if (p + optlen + 2 > size)
			break;
		len = get_be16(data + p + optlen) % 1461;
		if (p + optlen + 2 + len > size)
			len = (u16)(size - p - optlen - 2);
		send_seg(&f, flags, seq, ack, win, data + p, optlen,
			 words >= 5 ? words : 0, data + p + optlen + 2, len);
		p += optlen + 2 + len;
		fakedev_flush_tx(f.dev);
		host_clock_advance(37 * NSEC_PER_MSEC);
	}
	sock_release(c);
	sock_release(l);
	/* Orphans must die by their own timers: FIN retries, TIME_WAIT... */
	while (tcp_live_objects() && host_now_ns() < 3600 * NSEC_PER_SEC &&
	       host_clock_run_next_timer())
		fakedev_flush_tx(f.dev);
	fakedev_flush_tx(f.dev);
	if (tcp_live_objects() != 0)
		abort();	/* a TCP object outlived its connection by an hour */
	netsim_teardown();
	if (skb_live_count() != 0)
		abort();
	return 0;
}
