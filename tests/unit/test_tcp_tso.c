/*
 * Transmit checksum offload and TSO (issue 9). The frames the stack hands
 * a device are checked against what a NIC expects (CHECKSUM_PARTIAL with
 * the pseudo-header sum in the field; GSO frames cut at gso_size), and
 * what reaches the wire is checked with a checksum computed here, apart
 * from the stack's code: sizes, sequence numbers, IDs, flags, sums.
 *
 * The "NIC" below is a model of a TSO device written for these tests: it
 * cuts and sums GSO frames itself before the fake device puts them on the
 * simulated link, so a bulk transfer with TSO runs end to end.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "tests/host/nettest.h"
#include "tests/host/tcp_pair.h"
#include "lib/string.h"
#include "net/gso.h"
#include "net/ip.h"
#include "net/snmp.h"
#include "net/tcp.h"

#define MSS_TS		1448	/* 1500 - 20 - 20 - 12 (timestamps) */
#define ETH_IP_TCP	(ETH_HLEN + 20 + 20)

/* ---- an independent RFC 1071 checksum --------------------------------- */

static u32 sum16(const u8 *p, size_t len, u32 acc)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		acc += (u32)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		acc += (u32)p[len - 1] << 8;
	return acc;
}

static u16 fold(u32 acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (u16)acc;
}

static u32 pseudo_sum(const u8 *ip, unsigned int tcp_len)
{
	u32 acc = sum16(ip + 12, 8, 0);

	return acc + IPPROTO_TCP + tcp_len;
}

static bool frame_is_tcp(const u8 *f, unsigned int len)
{
	return len >= ETH_IP_TCP && f[12] == 0x08 && f[13] == 0 &&
	       f[ETH_HLEN + 9] == IPPROTO_TCP;
}

/* A frame (Ethernet + IPv4 + TCP) whose IP and TCP sums verify. */
static bool frame_sums_ok(const u8 *f, unsigned int len)
{
	const u8 *ip = f + ETH_HLEN;
	unsigned int ihl = (ip[0] & 15) * 4u;
	unsigned int tot = (unsigned int)(ip[2] << 8 | ip[3]);

	if (len < ETH_HLEN + tot || fold(sum16(ip, ihl, 0)) != 0xffff)
		return false;
	return fold(sum16(ip + ihl, tot - ihl, pseudo_sum(ip, tot - ihl))) == 0xffff;
}

static u16 get16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void set16(u8 *p, u16 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

/* ---- the NIC model ------------------------------------------------------- */

static const struct net_device_ops *orig_ops;
static struct net_device_ops nic_ops;

static struct {
	unsigned int frames, partial, gso, max_segs, wire, wire_max_len;
	unsigned int bad_partial, mss_ts;
} nic;

/* The device's sum for a CHECKSUM_PARTIAL frame: the field must hold the pseudo-header sum. */
static void nic_fill_csum(u8 *f, unsigned int len, unsigned int start,
			  unsigned int offset)
{
	const u8 *ip = f + ETH_HLEN;
	unsigned int tcp_len = len - start;

	if (get16(f + start + offset) != fold(pseudo_sum(ip, tcp_len)))
		nic.bad_partial++;
	set16(f + start + offset, (u16)~fold(sum16(f + start, tcp_len, 0)));
}

static void nic_count_wire(const u8 *f, unsigned int len)
{
	nic.wire++;
	nic.wire_max_len = max(nic.wire_max_len, len);
	if (frame_is_tcp(f, len))
		cr_assert(frame_sums_ok(f, len), "a wire frame with a bad sum");
}

static void nic_wire(struct net_device *dev, const u8 *f, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len);

	cr_assert_not_null(skb);
	skb_put_data(skb, f, len);
	skb->dev = dev;
	nic_count_wire(f, len);
	orig_ops->ndo_start_xmit(skb, dev);
}

/* Cut a GSO frame as a TSO NIC does (Linux tcp_gso_segment semantics). */
static void nic_segment(struct net_device *dev, const struct sk_buff *skb)
{
	const struct skb_shared_info *si = skb_shinfo(skb);
	unsigned int thoff = (unsigned int)skb_transport_offset(skb);
	unsigned int hlen = thoff + (skb->data[thoff + 12] >> 4) * 4u;
	unsigned int payload = skb->len - hlen, segs = 0;
	u8 f[ETH_FRAME_LEN];

	cr_assert_eq(si->gso_type, SKB_GSO_TCPV4);
	cr_assert_gt(payload, si->gso_size, "a GSO frame of one segment");
	cr_assert_eq(si->gso_segs, (payload + si->gso_size - 1) / si->gso_size);
	cr_assert_leq(skb->len - ETH_HLEN, IP_MAX_PACKET);
	for (unsigned int off = 0; off < payload; off += si->gso_size, segs++) {
		unsigned int n = min(si->gso_size, payload - off);
		bool last = off + n == payload;
		u32 seq = get32(skb->data + thoff + 4) + off;
		u8 *ip = f + ETH_HLEN, *th = f + thoff;

		cr_assert_leq(hlen + n, sizeof(f));
		memcpy(f, skb->data, hlen);
		memcpy(f + hlen, skb->data + hlen + off, n);
		set16(ip + 2, (u16)(hlen - ETH_HLEN + n));
		set16(ip + 4, (u16)(get16(skb->data + ETH_HLEN + 4) + segs));
		set16(ip + 10, 0);
		set16(ip + 10, (u16)~fold(sum16(ip, 20, 0)));
		th[4] = (u8)(seq >> 24);
		th[5] = (u8)(seq >> 16);
		th[6] = (u8)(seq >> 8);
		th[7] = (u8)seq;
		if (!last)
			th[13] &= (u8)~(TCPHDR_FIN | TCPHDR_PSH);
		set16(th + 16, fold(pseudo_sum(ip, hlen - thoff + n)));
		nic_fill_csum(f, hlen + n, thoff, 16);
		nic_wire(dev, f, hlen + n);
	}
}

static netdev_tx_t nic_xmit(struct sk_buff *skb, struct net_device *dev)
{
	unsigned int start;

	nic.frames++;
	if (skb_is_gso(skb)) {
		nic.gso++;
		nic.max_segs = max(nic.max_segs, (unsigned int)skb_shinfo(skb)->gso_segs);
		/* Full-MTU segments, less any SACK blocks the header carries. */
		cr_assert_eq(skb_shinfo(skb)->gso_size + tcp_hdr(skb)->doff * 4u,
			     ETH_DATA_LEN - 20);
		nic.mss_ts += skb_shinfo(skb)->gso_size == MSS_TS;
		cr_assert_eq(skb->ip_summed, CHECKSUM_PARTIAL);
		nic_segment(dev, skb);
		dev_consume_skb_any(skb);
		return NETDEV_TX_OK;
	}
	/* One frame: summed in place and sent on as it is (no allocation). */
	cr_assert_leq(skb->len, ETH_FRAME_LEN);
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		nic.partial++;
		start = skb->csum_start - skb_headroom(skb);
		cr_assert_eq(start, (unsigned int)skb_transport_offset(skb));
		cr_assert_eq(skb->csum_offset, 16);
		nic_fill_csum(skb->data, skb->len, start, skb->csum_offset);
	}
	nic_count_wire(skb->data, skb->len);
	return orig_ops->ndo_start_xmit(skb, dev);
}

/* Give @dev (in the current namespace) the offloads and the NIC model. */
static void nic_install(struct net_device *dev, unsigned int features)
{
	cr_assert_not_null(dev);
	orig_ops = dev->netdev_ops;
	nic_ops = *orig_ops;
	nic_ops.ndo_start_xmit = nic_xmit;
	dev->netdev_ops = &nic_ops;
	dev->features = features;
	dev->gso_max_size = 65536;
}

static void nic_install_both(unsigned int features)
{
	struct net *prev = net_switch(tcp_pair_ns_b);

	nic_install(dev_get_by_name("eth0"), features);
	net_switch(&init_net);
	nic_install(dev_get_by_name("eth0"), features);
	net_switch(prev);
}

/* ---- hand-made frames through dev_queue_xmit ------------------------------ */

static void setup(void)
{
	tcp_pair_setup();
	memset(&nic, 0, sizeof(nic));
}

static void teardown(void)
{
	tcp_pair_assert_clean();
}

TestSuite(tcp_tso, .init = setup, .fini = teardown, .timeout = 600);

static u8 pattern(unsigned int i)
{
	return (u8)(i * 7 + (i >> 8));
}

/*
 * A GSO frame as it reaches dev_queue_xmit: Ethernet, IPv4 (ID 0x1234,
 * DF), TCP with a timestamp option (doff 8), @payload bytes, PSH|FIN|ACK.
 */
static struct sk_buff *gso_frame(struct net_device *dev, unsigned int payload,
				 u16 gso_size)
{
	unsigned int hlen = ETH_IP_TCP + 12;
	struct sk_buff *skb = alloc_skb(MAX_HEADER + hlen + payload);
	struct tcphdr *th;
	struct iphdr *iph;
	u8 *p;

	cr_assert_not_null(skb);
	skb_reserve(skb, MAX_HEADER);
	p = skb_put_zero(skb, hlen);
	for (unsigned int i = 0; i < payload; i++)
		*(u8 *)skb_put(skb, 1) = pattern(i);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, ETH_HLEN);
	skb_set_transport_header(skb, ETH_HLEN + 20);
	set16(p + 12, ETH_P_IP);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons((u16)(skb->len - ETH_HLEN));
	iph->id = htons(0x1234);
	iph->frag_off = htons(IP_DF);
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = ip4(10, 0, 0, 1);
	iph->daddr = ip4(10, 0, 0, 2);
	iph->check = htons((u16)~fold(sum16((const u8 *)iph, 20, 0)));
	th = tcp_hdr(skb);
	th->source = htons(1000);
	th->dest = htons(2000);
	th->seq = htonl(0xfffff000u);	/* wraps inside the frame */
	th->ack_seq = htonl(77);
	th->doff = 8;
	th->flags = TCPHDR_ACK | TCPHDR_PSH | TCPHDR_FIN;
	th->window = htons(1000);
	p = (u8 *)(th + 1);
	p[0] = TCPOPT_NOP;
	p[1] = TCPOPT_NOP;
	p[2] = TCPOPT_TIMESTAMP;
	p[3] = TCPOLEN_TIMESTAMP;
	tcp_v4_send_check_partial(skb, iph->saddr, iph->daddr);
	skb_shinfo(skb)->gso_size = gso_size;
	skb_shinfo(skb)->gso_segs = (u16)((payload + gso_size - 1) / gso_size);
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IP);
	return skb;
}

/* The segments @dev transmitted for gso_frame(@payload, @mss): all checked. */
static void expect_segments(struct net_device *dev, unsigned int payload,
			    unsigned int mss, bool partial)
{
	unsigned int hlen = ETH_IP_TCP + 12, off = 0, i = 0;
	struct sk_buff *skb;

	cr_assert_eq(fakedev_tx_len(dev), (payload + mss - 1) / mss);
	while ((skb = fakedev_pop_tx(dev))) {
		unsigned int n = min(mss, payload - off);
		bool last = off + n == payload;
		u8 *f = skb->data, *th = f + ETH_HLEN + 20;

		cr_assert_eq(skb->len, hlen + n, "segment %u: %u bytes", i, skb->len);
		cr_assert(!skb_is_gso(skb));
		if (partial) {
			cr_assert_eq(skb->ip_summed, CHECKSUM_PARTIAL);
			nic_fill_csum(f, skb->len, skb->csum_start - skb_headroom(skb),
				      skb->csum_offset);
		} else {
			cr_assert_neq(skb->ip_summed, CHECKSUM_PARTIAL);
		}
		cr_assert(frame_sums_ok(f, skb->len), "segment %u sums", i);
		cr_assert_eq(get16(f + ETH_HLEN + 2), hlen - ETH_HLEN + n);
		cr_assert_eq(get16(f + ETH_HLEN + 4), 0x1234 + i, "consecutive IDs");
		cr_assert_eq(get16(f + ETH_HLEN + 6), IP_DF, "never fragments");
		cr_assert_eq(get32(th + 4), 0xfffff000u + off);
		cr_assert_eq(get32(th + 8), 77);
		cr_assert_eq(th[13], last ? (TCPHDR_ACK | TCPHDR_PSH | TCPHDR_FIN) :
					    TCPHDR_ACK, "segment %u flags", i);
		cr_assert_eq(th[20 + 2], TCPOPT_TIMESTAMP, "options copied");
		for (unsigned int b = 0; b < n; b++)
			cr_assert_eq(f[hlen + b], pattern(off + b), "byte %u", off + b);
		kfree_skb(skb);
		off += n;
		i++;
	}
	cr_assert_eq(off, payload);
	cr_assert_eq(nic.bad_partial, 0);
}

/* eth0 of init_net with nothing transmitted yet (its gratuitous ARP gone). */
static struct net_device *lone_dev(void)
{
	struct net_device *dev = dev_get_by_name("eth0");

	fakedev_flush_tx(dev);
	return dev;
}

Test(tcp_tso, plain_device_gets_segments_summed_in_software)
{
	struct net_device *dev = lone_dev();

	cr_assert_eq(dev_queue_xmit(gso_frame(dev, 5000, 1448)), 0);
	expect_segments(dev, 5000, 1448, false);
}

Test(tcp_tso, csum_only_device_gets_partial_segments)
{
	struct net_device *dev = lone_dev();

	dev->features = NETIF_F_IP_CSUM;
	cr_assert_eq(dev_queue_xmit(gso_frame(dev, 4344, 1448)), 0);
	expect_segments(dev, 4344, 1448, true);
}

Test(tcp_tso, tso_device_takes_the_frame_whole)
{
	struct net_device *dev = lone_dev();
	struct sk_buff *skb;

	dev->features = NETIF_F_IP_CSUM | NETIF_F_TSO;
	dev->gso_max_size = 65536;
	cr_assert_eq(dev_queue_xmit(gso_frame(dev, 60000, 1448)), 0);
	cr_assert_eq(fakedev_tx_len(dev), 1);
	skb = fakedev_pop_tx(dev);
	cr_assert(skb_is_gso(skb));
	cr_assert_eq(skb_shinfo(skb)->gso_segs, 42);
	cr_assert_eq(skb->ip_summed, CHECKSUM_PARTIAL);
	kfree_skb(skb);
}

Test(tcp_tso, frame_above_the_device_gso_limit_is_cut)
{
	struct net_device *dev = lone_dev();

	dev->features = NETIF_F_IP_CSUM | NETIF_F_TSO;
	dev->gso_max_size = 16384;
	cr_assert_eq(dev_queue_xmit(gso_frame(dev, 30000, 1000)), 0);
	expect_segments(dev, 30000, 1000, true);
}

Test(tcp_tso, checksum_help_matches_the_software_sum)
{
	struct net_device *dev = lone_dev();
	struct sk_buff *skb = gso_frame(dev, 999, 1448);	/* one odd segment */

	skb_shinfo(skb)->gso_size = 0;
	cr_assert_eq(skb_checksum_help(skb), 0);
	cr_assert_eq(skb->ip_summed, CHECKSUM_NONE);
	cr_assert(frame_sums_ok(skb->data, skb->len));
	kfree_skb(skb);
}

Test(tcp_tso, segmenting_without_memory_drops_and_frees)
{
	struct net_device *dev = lone_dev();
	struct sk_buff *skb = gso_frame(dev, 5000, 1448);

	skb_fail_next(1);
	cr_assert_eq(dev_queue_xmit(skb), -ENOMEM);
	cr_assert_eq(fakedev_tx_len(dev), 0);
	cr_assert_eq(dev->stats.tx_dropped, 1);
}

/* ---- TCP over the NIC model --------------------------------------------- */

static void transfer(u64 seed, size_t bytes, unsigned int loss, unsigned int dup,
		     u64 jitter_us, struct tcp_transfer_result *r)
{
	struct tcp_transfer_params p = {
		.seed = seed, .bytes_ab = bytes, .bytes_ba = bytes,
		.loss_pct = loss, .dup_pct = dup, .delay_us = 2000,
		.jitter_us = jitter_us, .deadline_ms = 900000,
	};

	tcp_pair_transfer(&p, r);
	cr_assert(r->ok);
}

Test(tcp_tso, bulk_transfer_leaves_in_gso_frames)
{
	struct tcp_transfer_result r;
	u64 csum_drops = skb_drop_counts[SKB_DROP_REASON_TCP_CSUM];

	nic_install_both(NETIF_F_IP_CSUM | NETIF_F_TSO);
	transfer(7, 4 << 20, 0, 0, 0, &r);
	cr_assert_eq(r.retrans_a + r.retrans_b, 0);
	cr_assert_gt(nic.gso, 100, "GSO frames: %u", nic.gso);
	cr_assert_eq(nic.mss_ts, nic.gso, "no SACK blocks: segments of %u", MSS_TS);
	cr_assert_geq(nic.max_segs, 20, "at most %u segments a frame", nic.max_segs);
	cr_assert_gt(nic.partial, 0, "single data segments leave CHECKSUM_PARTIAL");
	cr_assert_eq(nic.bad_partial, 0, "pseudo-header sums");
	cr_assert_leq(nic.wire_max_len, ETH_FRAME_LEN);
	cr_assert_gt(nic.wire, nic.frames * 3 / 2, "frames %u, on the wire %u",
		     nic.frames, nic.wire);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_TCP_CSUM], csum_drops);
}

Test(tcp_tso, csum_offload_alone_sends_one_segment_a_frame)
{
	struct tcp_transfer_result r;

	nic_install_both(NETIF_F_IP_CSUM);
	transfer(8, 1 << 20, 0, 0, 0, &r);
	cr_assert_eq(nic.gso, 0);
	cr_assert_gt(nic.partial, 1000);
	cr_assert_eq(nic.bad_partial, 0);
	cr_assert_eq(nic.wire, nic.frames);
}

/* TCP_SEEDS=200 TCP_FULL=1 (as `make check-full` sets them): that many, 1-4 MB. */
Test(tcp_tso, lossy_links_deliver_every_byte_in_order_with_tso)
{
	const char *env = getenv("TCP_SEEDS");
	int seeds = env ? atoi(env) : 6;
	bool full = getenv("TCP_FULL") != NULL;
	struct tcp_transfer_result r;
	u64 retrans = 0;

	for (int s = 0; s < seeds; s++) {
		if (s) {
			tcp_pair_assert_clean();
			tcp_pair_setup();
		}
		nic_install_both(NETIF_F_IP_CSUM | NETIF_F_TSO);
		transfer(300 + (u64)s, full ? (size_t)(1 + s % 4) << 20 : 1 << 20,
			 1 + (unsigned int)s % 10, (unsigned int)s % 4,
			 (u64)(s % 5) * 1000, &r);
		retrans += r.retrans_a + r.retrans_b;
	}
	cr_assert_gt(nic.gso, 0);
	cr_assert_gt(retrans, 0, "the loss was exercised");
	cr_assert_eq(nic.bad_partial, 0);
}

Test(tcp_tso, plain_devices_still_sum_everything_in_software)
{
	struct tcp_transfer_result r;
	u64 csum_drops = skb_drop_counts[SKB_DROP_REASON_TCP_CSUM];

	transfer(9, 1 << 20, 1, 0, 0, &r);
	cr_assert_eq(nic.frames, 0, "no NIC model: the fake devices as they are");
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_TCP_CSUM], csum_drops);
}

static int send_bytes(struct socket *s, const u8 *buf, size_t len)
{
	struct kvec iov = { (void *)buf, len };
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };

	iov_iter_kvec(&msg.msg_iter, WRITE, &iov, 1, len);
	return sock_sendmsg(s, &msg);
}

static int recv_bytes(struct socket *s, u8 *buf, size_t len)
{
	struct kvec iov = { buf, len };
	struct msghdr msg = { 0 };

	iov_iter_kvec(&msg.msg_iter, READ, &iov, 1, len);
	return sock_recvmsg(s, &msg, MSG_DONTWAIT);
}

/*
 * Under the skb memory cap a 64 KiB frame may not fit where one segment
 * does: the sender falls back to single segments instead of stalling.
 */
Test(tcp_tso, a_frame_refused_by_the_skb_cap_goes_out_one_segment_at_a_time)
{
	struct sim_link_params lp = { .delay_ns = 1000000, .seed = 5 };
	static u8 out[10 * MSS_TS], in[10 * MSS_TS];
	u64 refused = skb_drop_counts[SKB_DROP_REASON_SKB_MEM_LIMIT];
	struct socket *a, *b;
	struct tcp_sock *tp;
	unsigned int frames;
	int got = 0, n;

	nic_install_both(NETIF_F_IP_CSUM | NETIF_F_TSO);
	tcp_pair_connect(&lp, &a, &b);
	tp = tcp_sk(a->sk);
	for (unsigned int i = 0; i < sizeof(out); i++)
		out[i] = pattern(i);
	tp->snd_cwnd = 0;	/* queue everything first */
	cr_assert_eq(send_bytes(a, out, sizeof(out)), (int)sizeof(out));
	cr_assert_eq(tp->packets_out, 0);
	frames = nic.frames;
	tp->snd_cwnd = 10;
	/* Room for a frame of one segment (~1.9 kB of truesize), not two. */
	skb_set_mem_limit(skb_live_bytes() + 2500);
	tcp_write_xmit(a->sk, TCP_NAGLE_OFF);
	skb_set_mem_limit(SKB_MEM_LIMIT_DEFAULT);
	cr_assert_eq(tp->packets_out, 10, "every segment left");
	cr_assert_eq(nic.frames - frames, 10);
	cr_assert_eq(nic.gso, 0);
	cr_assert_gt(skb_drop_counts[SKB_DROP_REASON_SKB_MEM_LIMIT], refused);
	net_switch(tcp_pair_ns_b);
	for (int ms = 0; ms < 1000 && got < (int)sizeof(in); ms++) {
		netsim_run_ms(1);
		while ((n = recv_bytes(b, in + got, sizeof(in) - (size_t)got)) > 0)
			got += n;
	}
	cr_assert_eq(got, (int)sizeof(in));
	cr_assert(!memcmp(in, out, sizeof(in)));
	sock_release(b);
	net_switch(&init_net);
	sock_release(a);
	for (int i = 0; i < 600 && tcp_live_objects(); i++)
		netsim_run_ms(1000);
}

/* ---- IP output: a GSO skb is never fragmented ------------------------------ */

static void ip_setup(void)
{
	nettest_setup();
	memset(&nic, 0, sizeof(nic));
}

TestSuite(tcp_tso_ip, .init = ip_setup, .fini = nettest_teardown);

/* A TCP-level GSO skb (header + @payload bytes) for ip_build_and_send_pkt. */
static struct sk_buff *tcp_gso_skb(unsigned int payload, u16 gso_size)
{
	struct sk_buff *skb = alloc_skb(MAX_HEADER + 20 + 20 + payload);
	struct tcphdr *th;

	cr_assert_not_null(skb);
	skb_reserve(skb, MAX_HEADER + 20);
	th = skb_put_zero(skb, sizeof(*th));
	for (unsigned int i = 0; i < payload; i++)
		*(u8 *)skb_put(skb, 1) = pattern(i);
	skb_reset_transport_header(skb);
	th->source = htons(1000);
	th->dest = htons(2000);
	th->seq = htonl(1);
	th->doff = 5;
	th->flags = TCPHDR_ACK;
	tcp_v4_send_check_partial(skb, nt_ours, nt_peer);
	skb_shinfo(skb)->gso_size = gso_size;
	skb_shinfo(skb)->gso_segs = (u16)((payload + gso_size - 1) / gso_size);
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	return skb;
}

Test(tcp_tso_ip, segments_that_fit_go_down_whole)
{
	struct ip_send_args a = { .daddr = nt_peer, .protocol = IPPROTO_TCP, .df = true };
	struct sk_buff *skb;

	nt_dev->features = NETIF_F_IP_CSUM | NETIF_F_TSO;
	nt_dev->gso_max_size = 65536;
	cr_assert_eq(ip_build_and_send_pkt(tcp_gso_skb(20000, 1460), &a), 0);
	skb = nettest_tx();
	cr_assert(skb_is_gso(skb), "a 20 kB GSO frame, not fragments");
	cr_assert_eq(ntohs(tx_iph(skb)->frag_off), IP_DF);
	cr_assert_null(fakedev_pop_tx(nt_dev));
}

Test(tcp_tso_ip, segments_above_the_mtu_are_cut_then_refused_with_df)
{
	struct ip_send_args a = { .daddr = nt_peer, .protocol = IPPROTO_TCP, .df = true };
	u64 fails = snmp_get("Ip", "FragFails");

	nt_dev->features = NETIF_F_IP_CSUM | NETIF_F_TSO;
	nt_dev->gso_max_size = 65536;
	nt_dev->mtu = 1000;
	cr_assert_eq(ip_build_and_send_pkt(tcp_gso_skb(4000, 1448), &a), -EMSGSIZE);
	cr_assert_eq(snmp_get("Ip", "FragFails"), fails + 3, "each segment refused");
	cr_assert_eq(fakedev_tx_len(nt_dev), 0);
}

Test(tcp_tso_ip, without_df_each_segment_is_fragmented_not_the_gso_frame)
{
	struct ip_send_args a = { .daddr = nt_peer, .protocol = IPPROTO_TCP };
	unsigned int seg_payload[] = { 1448, 1448, 1104 };

	nt_dev->mtu = 1000;
	cr_assert_eq(ip_build_and_send_pkt(tcp_gso_skb(4000, 1448), &a), 0);
	for (int s = 0; s < 3; s++) {
		unsigned int got = 0;
		u16 id = 0;

		for (int f = 0; f < 2; f++) {
			struct sk_buff *skb = nettest_tx();
			const struct iphdr *iph = tx_iph(skb);
			u16 fo = ntohs(iph->frag_off);

			cr_assert(!skb_is_gso(skb));
			cr_assert_leq(skb->len, ETH_HLEN + 1000);
			cr_assert_eq((fo & IP_OFFSET) * 8u, got, "segment %d fragment %d", s, f);
			cr_assert_eq(!!(fo & IP_MF), f == 0);
			if (f == 0)
				id = iph->id;
			cr_assert_eq(iph->id, id, "both fragments of one segment");
			got += ntohs(iph->tot_len) - 20u;
		}
		cr_assert_eq(got, 20 + seg_payload[s], "segment %d: %u bytes", s, got);
	}
	cr_assert_null(fakedev_pop_tx(nt_dev));
}
