/*
 * The TCP script harness (tests/host/tcp_script.h): builds the peer's
 * segments, reads the stack's from the fake device, and keeps the ISNs so
 * tests speak in offsets.
 */
#include "tests/host/nettest.h"
#include "tests/host/tcp_script.h"
#include <criterion/criterion.h>
#include "kernel/fs.h"
#include "kernel/timer.h"
#include "lib/string.h"
#include "net/arp.h"
#include "net/checksum.h"
#include "net/inet_hashtables.h"
#include "net/inet_sock.h"
#include "net/inetdevice.h"
#include "tests/host/host_random.h"
#include "tests/host/netsim.h"
#include "tests/host/pktbuild.h"
#include "tests/host/tcp_pair.h"

static const u8 stack_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 0x01 };
static const u8 peer_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 0x02 };

struct tcp_script ts;

void ts_setup(u64 tw_ms)
{
	u8 frame[128];
	unsigned int n;

	netsim_reset();
	host_random_seed(7);
	inet_family_init();
	tcp_timewait_len = (long)msecs_to_jiffies(tw_ms);
	memset(&ts, 0, sizeof(ts));
	ts.stack_addr = ip4(10, 0, 0, 1);
	ts.peer_addr = ip4(10, 0, 0, 2);
	ts.stack_port = TS_STACK_PORT;
	ts.peer_port = TS_PEER_PORT;
	ts.peer_isn = 1000000;
	ts.dev = fakedev_create(stack_mac);
	inet_set_address(ts.dev, ts.stack_addr, 24);
	/* The peer asks for us: the stack learns its MAC (RFC 826). */
	n = pkt_arp(frame, stack_mac, ARPOP_REQUEST, peer_mac, ts.peer_addr,
		    NULL, ts.stack_addr);
	fakedev_inject(ts.dev, frame, n);
	fakedev_flush_tx(ts.dev);
}

/* What the script sent but nobody popped, then the checks of tcp_pair.c. */
void ts_assert_no_leaks(void)
{
	fakedev_flush_tx(ts.dev);
	tcp_pair_assert_clean();
}

static unsigned int ts_build_opts(u8 *p, const struct ts_opts *o)
{
	unsigned int n = 0;

	if (!o)
		return 0;
	if (o->mss) {
		p[n++] = TCPOPT_MSS;
		p[n++] = TCPOLEN_MSS;
		put_be16(p + n, o->mss);
		n += 2;
	}
	if (o->ws) {
		p[n++] = TCPOPT_NOP;
		p[n++] = TCPOPT_WINDOW;
		p[n++] = TCPOLEN_WINDOW;
		p[n++] = (u8)(o->ws - 1);
	}
	if (o->ts) {
		p[n++] = TCPOPT_NOP;
		p[n++] = TCPOPT_NOP;
		p[n++] = TCPOPT_TIMESTAMP;
		p[n++] = TCPOLEN_TIMESTAMP;
		put_be32(p + n, o->tsval);
		put_be32(p + n + 4, o->tsecr);
		n += 8;
	}
	if (o->sack_perm) {
		p[n++] = TCPOPT_NOP;
		p[n++] = TCPOPT_NOP;
		p[n++] = TCPOPT_SACK_PERM;
		p[n++] = 2;
	}
	if (o->nsacks) {
		p[n++] = TCPOPT_NOP;
		p[n++] = TCPOPT_NOP;
		p[n++] = TCPOPT_SACK;
		p[n++] = (u8)(2 + 8 * o->nsacks);
		for (int i = 0; i < o->nsacks; i++, n += 8) {
			put_be32(p + n, ts.stack_isn + o->sack[i][0]);
			put_be32(p + n + 4, ts.stack_isn + o->sack[i][1]);
		}
	}
	return n;
}

void ts_inject_abs(u8 flags, u32 seq, u32 ack, const void *data,
		   unsigned int len, u16 win, const struct ts_opts *o)
{
	static u8 seg[PKT_MAX], frame[PKT_MAX];
	struct tcphdr *th = (struct tcphdr *)seg;
	struct pkt_ip ip = { .saddr = ts.peer_addr, .daddr = ts.stack_addr,
			     .protocol = IPPROTO_TCP };
	unsigned int olen = ts_build_opts(seg + sizeof(*th), o), total, n;

	memset(th, 0, sizeof(*th));
	th->source = htons(ts.peer_port);
	th->dest = htons(ts.stack_port);
	th->seq = htonl(seq);
	th->ack_seq = htonl(ack);
	th->doff = (u8)((sizeof(*th) + olen) / 4);
	th->flags = flags;
	th->window = htons(win);
	total = (unsigned int)sizeof(*th) + olen + len;
	if (len)
		memcpy(seg + sizeof(*th) + olen, data, len);
	th->check = htons(csum_fold(csum_tcpudp_nofold(ts.peer_addr,
			  ts.stack_addr, total, IPPROTO_TCP,
			  csum_partial(seg, total, 0))));
	n = pkt_ipv4(frame, stack_mac, peer_mac, &ip, seg, total);
	fakedev_inject(ts.dev, frame, n);
}

void ts_inject(u8 flags, u32 seq_off, u32 ack_off, const void *data,
	       unsigned int len, u16 win, const struct ts_opts *o)
{
	ts_inject_abs(flags, ts.peer_isn + seq_off, ts.stack_isn + ack_off,
		      data, len, win, o);
}

/* Answer an ARP request for the peer's address; true if @skb was ARP. */
static bool ts_answer_arp(struct sk_buff *skb)
{
	const struct arphdr *a;
	u8 frame[128];
	unsigned int n;

	if (frame_type(skb) != ETH_P_ARP)
		return false;
	a = (const struct arphdr *)frame_l3(skb);
	if (ntohs(a->ar_op) == ARPOP_REQUEST && a->ar_tip == ts.peer_addr) {
		n = pkt_arp(frame, stack_mac, ARPOP_REPLY, peer_mac,
			    ts.peer_addr, stack_mac, ts.stack_addr);
		fakedev_inject(ts.dev, frame, n);
	}
	return true;
}

static void ts_parse(const u8 *th_raw, unsigned int seglen, struct ts_seg *seg)
{
	const struct tcphdr *th = (const struct tcphdr *)th_raw;
	unsigned int hlen = th->doff * 4u;
	const u8 *p = th_raw + sizeof(*th);

	memset(seg, 0, sizeof(*seg));
	seg->flags = th->flags;
	seg->abs_seq = ntohl(th->seq);
	if ((th->flags & TCPHDR_SYN) && !ts.stack_isn_known) {
		ts.stack_isn = seg->abs_seq;
		ts.stack_isn_known = true;
		ts.stack_port = ntohs(th->source);
	}
	seg->seq = seg->abs_seq - ts.stack_isn;
	seg->ack = ntohl(th->ack_seq) - ts.peer_isn;
	seg->win = ntohs(th->window);
	seg->urg = ntohs(th->urg_ptr);
	seg->len = seglen - hlen;
	cr_assert_leq(seg->len, sizeof(seg->data));
	memcpy(seg->data, th_raw + hlen, seg->len);
	for (unsigned int i = 0; i + sizeof(*th) < hlen;) {
		u8 kind = p[i];

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (kind == TCPOPT_MSS) {
			seg->has_mss = true;
			seg->opt.mss_clamp = get_be16(p + i + 2);
		} else if (kind == TCPOPT_WINDOW) {
			seg->opt.wscale_ok = 1;
			seg->opt.snd_wscale = p[i + 2];
		} else if (kind == TCPOPT_SACK_PERM) {
			seg->opt.sack_ok = 1;
		} else if (kind == TCPOPT_SACK) {
			for (int j = 2; j + 8 <= p[i + 1] && seg->nsacks < 4; j += 8) {
				seg->sack[seg->nsacks][0] =
					get_be32(p + i + j) - ts.peer_isn;
				seg->sack[seg->nsacks][1] =
					get_be32(p + i + j + 4) - ts.peer_isn;
				seg->nsacks++;
			}
		} else if (kind == TCPOPT_TIMESTAMP) {
			seg->opt.saw_tstamp = 1;
			seg->opt.rcv_tsval = get_be32(p + i + 2);
			seg->opt.rcv_tsecr = get_be32(p + i + 6);
		}
		i += p[i + 1];
	}
}

/* Pop frames until a TCP segment; false if none is left. */
static bool ts_pop(struct ts_seg *seg)
{
	struct sk_buff *skb;

	while ((skb = fakedev_pop_tx(ts.dev)) != NULL) {
		const struct iphdr *iph;
		u8 proto = 0;
		const u8 *l4;

		if (ts_answer_arp(skb)) {
			kfree_skb(skb);
			continue;
		}
		l4 = frame_l4(skb, &proto);
		if (!l4 || proto != IPPROTO_TCP) {
			kfree_skb(skb);
			continue;
		}
		iph = (const struct iphdr *)frame_l3(skb);
		cr_assert_eq(iph->saddr, ts.stack_addr);
		cr_assert_eq(iph->daddr, ts.peer_addr);
		ts_parse(l4, ntohs(iph->tot_len) - iph->ihl * 4u, seg);
		kfree_skb(skb);
		return true;
	}
	return false;
}

void ts_next(struct ts_seg *seg)
{
	cr_assert(ts_pop(seg), "the stack sent no segment");
}

unsigned int ts_pending(void)
{
	return fakedev_tx_len(ts.dev);
}

static void ts_flag_str(u8 f, char *buf)
{
	static const char names[] = "FSRPAUEC";

	for (int i = 0; i < 8; i++)
		*buf++ = (f & (1 << i)) ? names[i] : '.';
	*buf = 0;
}

void ts_expect(u8 flags, u32 seq_off, u32 ack_off, unsigned int len,
	       struct ts_seg *seg)
{
	struct ts_seg local;
	char want[9], got[9];

	if (!seg)
		seg = &local;
	ts_next(seg);
	ts_flag_str(flags, want);
	ts_flag_str(seg->flags, got);
	cr_assert_eq(seg->flags, flags, "flags: want %s got %s", want, got);
	cr_assert_eq(seg->seq, seq_off, "seq: want +%u got +%u", seq_off,
		     seg->seq);
	if (flags & TCPHDR_ACK)
		cr_assert_eq(seg->ack, ack_off, "ack: want +%u got +%u",
			     ack_off, seg->ack);
	cr_assert_eq(seg->len, len, "len: want %u got %u", len, seg->len);
}

void ts_expect_none(void)
{
	struct ts_seg seg;
	char got[9];

	if (ts_pop(&seg)) {
		ts_flag_str(seg.flags, got);
		cr_assert_fail("unexpected segment %s seq +%u ack +%u len %u",
			       got, seg.seq, seg.ack, seg.len);
	}
}

void ts_run_ms(u64 ms)
{
	netsim_run_ms(ms);
}

struct socket *ts_socket(void)
{
	struct socket *s;

	cr_assert_eq(sock_create(AF_INET, SOCK_STREAM, 0, &s), 0);
	return s;
}

static struct sockaddr_in ts_sin(__be32 addr, u16 port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = addr;
	return sin;
}

struct socket *ts_listen(u16 port, int backlog)
{
	struct socket *s = ts_socket();
	struct sockaddr_in sin = ts_sin(0, port);

	cr_assert_eq(s->ops->bind(s, (struct sockaddr *)&sin, sizeof(sin)), 0);
	cr_assert_eq(s->ops->listen(s, backlog), 0);
	return s;
}

struct socket *ts_accept(struct socket *l)
{
	struct socket *n = sock_alloc();

	n->type = SOCK_STREAM;
	n->ops = l->ops;
	if (l->ops->accept(l, n, O_NONBLOCK, true)) {
		n->ops = NULL;
		sock_release(n);
		return NULL;
	}
	return n;
}

int ts_connect(struct socket *s, __be32 addr, u16 port)
{
	struct sockaddr_in sin = ts_sin(addr, port);

	return s->ops->connect(s, (struct sockaddr *)&sin, sizeof(sin),
			       O_NONBLOCK);
}

int ts_send(struct socket *s, const void *buf, size_t len)
{
	struct kvec iov = { (void *)buf, len };
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };

	iov_iter_kvec(&msg.msg_iter, WRITE, &iov, 1, len);
	return sock_sendmsg(s, &msg);
}

int ts_recv(struct socket *s, void *buf, size_t len, int flags)
{
	struct kvec iov = { buf, len };
	struct msghdr msg = { 0 };

	iov_iter_kvec(&msg.msg_iter, READ, &iov, 1, len);
	return sock_recvmsg(s, &msg, flags | MSG_DONTWAIT);
}

int ts_setsockopt_int(struct socket *s, int level, int opt, int val)
{
	return s->ops->setsockopt(s, level, opt, &val, sizeof(val));
}

struct socket *ts_passive_open(const struct ts_opts *syn_opts, u16 win)
{
	static struct socket *l;
	struct socket *c;

	l = ts_listen(ts.stack_port, 8);
	ts_inject(TCPHDR_SYN, 0, 0, NULL, 0, win, syn_opts);
	ts_expect(TCPHDR_SYN | TCPHDR_ACK, 0, 1, 0, NULL);
	ts_inject(TCPHDR_ACK, 1, 1, NULL, 0, win, NULL);
	c = ts_accept(l);
	cr_assert_not_null(c);
	sock_release(l);
	return c;
}

struct socket *ts_active_open(const struct ts_opts *synack_opts, u16 win)
{
	struct socket *s = ts_socket();

	cr_assert_eq(ts_connect(s, ts.peer_addr, ts.peer_port), -EINPROGRESS);
	ts_next(&(struct ts_seg){ 0 });
	ts.stack_port = (u16)ntohs(inet_sk(s->sk)->inet_sport);
	ts_inject(TCPHDR_SYN | TCPHDR_ACK, 0, 1, NULL, 0, win, synack_opts);
	ts_expect(TCPHDR_ACK, 1, 1, 0, NULL);
	return s;
}
