/*
 * UDP (RFC 768, Linux net/ipv4/udp.c): udp_prot, the sockets' side.
 * Receive: ip_local_deliver -> udp_rcv -> __udp4_lib_lookup ->
 *          sk_receive_skb -> __udp_queue_rcv_skb -> sk_data_ready.
 *          A port no socket holds may belong to a kernel user's hook
 *          (DHCP: udp_register_port); else ICMP port unreachable.
 * Send:    inet_sendmsg -> udp_sendmsg -> ip_build_and_send_pkt;
 *          kernel users: udp_send.
 */
#include "net/udp.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "net/checksum.h"
#include "net/dev.h"
#include "net/icmp.h"
#include "net/ip.h"
#include "net/route.h"
#include "net/trace.h"
#include "kernel/random.h"
#include "lib/string.h"
#include "net/inet_sock.h"
#include "net/tcp_states.h"

/*
 * The hook for @port, or a free slot for @port 0. Only a registered slot
 * has a handler, so a datagram to port 0 (a fuzzer found it) finds none.
 */
static struct udp_port_hook *udp_hook_find(u16 port)
{
	struct udp_port_hook *h = net_current()->ipv4.udp_ports;

	for (int i = 0; i < UDP_HOOK_MAX; i++)
		if (h[i].port == port && (port == 0) == (h[i].handler == NULL))
			return &h[i];
	return NULL;
}

static bool udp_port_has_sock(u16 port);

int udp_register_port(u16 port, udp_rcv_handler_t handler,
		      udp_err_handler_t err, void *arg)
{
	struct udp_port_hook *h;

	if (!port || !handler)
		return -EINVAL;
	if (udp_hook_find(port) || udp_port_has_sock(port))
		return -EADDRINUSE;
	h = udp_hook_find(0);
	if (!h)
		return -ENOSPC;
	*h = (struct udp_port_hook){ .port = port, .handler = handler,
				     .err = err, .arg = arg };
	return 0;
}

int udp_unregister_port(u16 port)
{
	struct udp_port_hook *h = port ? udp_hook_find(port) : NULL;

	if (!h)
		return -ENOENT;
	*h = (struct udp_port_hook){ 0 };
	return 0;
}

/* RFC 768: the sum over pseudo-header, header and data; 0 means "none sent". */
static u16 udp_csum(__be32 saddr, __be32 daddr, const void *uh, unsigned int len)
{
	return csum_fold(csum_tcpudp_nofold(saddr, daddr, len, IPPROTO_UDP,
					    csum_partial(uh, len, 0)));
}

/* ---- sockets: the port table and lookup ---- */

#define UDP_HTABLE_SIZE		128
/* Linux's default ip_local_port_range. */
#define UDP_EPHEMERAL_LOW	32768
#define UDP_EPHEMERAL_HIGH	60999

struct udp_sock {
	struct inet_sock inet;
};

/* Socks by local port, every namespace in one table (sock_net tells them apart). */
static struct hlist_head udp_table[UDP_HTABLE_SIZE];

static struct hlist_head *udp_hashslot(u16 num)
{
	return &udp_table[num & (UDP_HTABLE_SIZE - 1)];
}

/*
 * Linux's udp_lib_lport_inuse: another sock of this stack holds @num on
 * an overlapping address and device, and not both of them allow reuse.
 */
static bool udp_lib_lport_inuse(const struct sock *sk, u16 num)
{
	struct sock *sk2;

	if (udp_hook_find(num))
		return true;	/* a kernel user (DHCP) owns it */
	hlist_for_each_entry(sk2, udp_hashslot(num), sk_node) {
		if (sk2 == sk || sock_net(sk2) != sock_net(sk) ||
		    sk2->sk_num != num)
			continue;
		if (sk2->sk_reuse && sk->sk_reuse)
			continue;
		if (sk2->sk_bound_dev_if && sk->sk_bound_dev_if &&
		    sk2->sk_bound_dev_if != sk->sk_bound_dev_if)
			continue;
		if (!sk2->sk_rcv_saddr || !sk->sk_rcv_saddr ||
		    sk2->sk_rcv_saddr == sk->sk_rcv_saddr)
			return true;
	}
	return false;
}

/* Does a sock of the current stack hold @port? (Kernel hooks must not take it.) */
static bool udp_port_has_sock(u16 port)
{
	struct sock *sk;

	hlist_for_each_entry(sk, udp_hashslot(port), sk_node)
		if (sock_net(sk) == net_current() && sk->sk_num == port)
			return true;
	return false;
}

/* Pick a free ephemeral port from a random starting point. */
static int udp_pick_port(struct sock *sk, u16 *num)
{
	u32 range = UDP_EPHEMERAL_HIGH - UDP_EPHEMERAL_LOW + 1;
	u32 off = get_random_u32() % range;

	for (u32 i = 0; i < range; i++) {
		u16 p = (u16)(UDP_EPHEMERAL_LOW + (off + i) % range);

		if (!udp_lib_lport_inuse(sk, p)) {
			*num = p;
			return 0;
		}
	}
	return -EADDRINUSE;
}

/*
 * proto->get_port: claim @snum (0: an ephemeral one) and hash the sock.
 * The softirq walks the table: interrupts off while it changes.
 */
static int udp_v4_get_port(struct sock *sk, unsigned short snum)
{
	unsigned long flags;
	u16 num = snum;
	int err = 0;

	local_irq_save(flags);
	if (!num)
		err = udp_pick_port(sk, &num);
	else if (udp_lib_lport_inuse(sk, num))
		err = -EADDRINUSE;
	if (!err) {
		inet_sk(sk)->inet_num = num;
		hlist_add_head(&sk->sk_node, udp_hashslot(num));
	}
	local_irq_restore(flags);
	return err;
}

static void udp_lib_unhash(struct sock *sk)
{
	unsigned long flags;

	local_irq_save(flags);
	if (!hlist_unhashed(&sk->sk_node))
		hlist_del_init(&sk->sk_node);
	inet_sk(sk)->inet_num = 0;
	local_irq_restore(flags);
}

static int udp_lib_hash(struct sock *sk)
{
	return 0;	/* hashed by get_port, never by inet_create */
}

/*
 * Linux's compute_score: -1 if @sk cannot take the datagram, else more
 * points the more of the 4-tuple and device it pins down.
 */
static int compute_score(const struct sock *sk, __be32 saddr, __be16 sport,
			 __be32 daddr, u16 hnum, int dif)
{
	int score = 0;

	if (sock_net(sk) != net_current() || sk->sk_num != hnum)
		return -1;
	if (sk->sk_rcv_saddr) {
		if (sk->sk_rcv_saddr != daddr)
			return -1;
		score += 4;
	}
	if (sk->sk_daddr) {
		if (sk->sk_daddr != saddr)
			return -1;
		score += 4;
	}
	if (sk->sk_dport) {
		if (sk->sk_dport != sport)
			return -1;
		score += 4;
	}
	if (sk->sk_bound_dev_if) {
		if (sk->sk_bound_dev_if != dif)
			return -1;
		score += 4;
	}
	return score;
}

/* The sock a datagram from saddr:sport to daddr:dport belongs to, or NULL. */
struct sock *__udp4_lib_lookup(__be32 saddr, __be16 sport, __be32 daddr,
			       __be16 dport, int dif)
{
	u16 hnum = ntohs(dport);
	struct sock *sk, *result = NULL;
	int best = -1;

	hlist_for_each_entry(sk, udp_hashslot(hnum), sk_node) {
		int score = compute_score(sk, saddr, sport, daddr, hnum, dif);

		if (score > best) {
			best = score;
			result = sk;
		}
	}
	return result;
}

/* proto->backlog_rcv: queue the payload, or drop and count when rcvbuf is full. */
static int __udp_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	if (__sock_queue_rcv_skb(sk, skb) < 0) {
		UDP_INC_STATS(UDP_MIB_RCVBUFERRORS);
		UDP_INC_STATS(UDP_MIB_INERRORS);
		kfree_skb_reason(skb, SKB_DROP_REASON_SOCKET_RCVBUFF);
		return -1;
	}
	UDP_INC_STATS(UDP_MIB_INDATAGRAMS);
	return 0;
}

/* Data at the UDP payload, transport header still pointing at the UDP header. */
static int udp_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	skb_pull(skb, sizeof(struct udphdr));
	/* -ENOBUFS: dropped before reaching __udp_queue_rcv_skb, which counts its own. */
	if (sk_receive_skb(sk, skb) == -ENOBUFS) {
		UDP_INC_STATS(UDP_MIB_RCVBUFERRORS);
		UDP_INC_STATS(UDP_MIB_INERRORS);
	}
	return 0;
}

/* Broadcast and multicast: every sock bound to the port gets a copy. */
static int __udp4_lib_mcast_deliver(struct sk_buff *skb,
				    const struct udphdr *uh,
				    const struct iphdr *iph)
{
	u16 hnum = ntohs(uh->dest);
	int dif = skb->dev ? skb->dev->ifindex : 0;
	struct udp_port_hook *hook;
	struct sock *sk;
	int n = 0;

	hlist_for_each_entry(sk, udp_hashslot(hnum), sk_node) {
		struct sk_buff *clone;

		if (compute_score(sk, iph->saddr, uh->source, iph->daddr,
				  hnum, dif) < 0)
			continue;
		clone = skb_clone(skb);
		if (!clone) {
			sk_drops_add(sk);
			continue;
		}
		udp_queue_rcv_skb(sk, clone);
		n++;
	}
	hook = hnum ? udp_hook_find(hnum) : NULL;
	if (hook) {
		skb_pull(skb, sizeof(*uh));
		return hook->handler(skb, hook->arg);
	}
	if (n)
		consume_skb(skb);
	else
		kfree_skb_reason(skb, SKB_DROP_REASON_NO_SOCKET);
	return 0;
}

int udp_rcv(struct sk_buff *skb)
{
	const struct udphdr *uh = (const struct udphdr *)skb->data;
	const struct iphdr *iph = ip_hdr(skb);
	enum skb_drop_reason reason = SKB_DROP_REASON_UDP_HDR;
	struct udp_port_hook *hook;
	unsigned int ulen;
	struct sock *sk;

	net_trace(skb);
	if (!pskb_may_pull(skb, sizeof(*uh)))
		goto error;
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || ulen > skb->len)
		goto error;
	skb_trim(skb, ulen);
	if (uh->check && skb->ip_summed != CHECKSUM_UNNECESSARY &&
	    udp_csum(iph->saddr, iph->daddr, uh, ulen)) {
		UDP_INC_STATS(UDP_MIB_INCSUMERRORS);
		reason = SKB_DROP_REASON_UDP_CSUM;
		goto error;
	}
	if (ipv4_is_multicast(iph->daddr) || (IPCB(skb)->flags & IPSKB_BROADCAST))
		return __udp4_lib_mcast_deliver(skb, uh, iph);
	sk = __udp4_lib_lookup(iph->saddr, uh->source, iph->daddr, uh->dest,
			       skb->dev ? skb->dev->ifindex : 0);
	if (sk)
		return udp_queue_rcv_skb(sk, skb);
	hook = uh->dest ? udp_hook_find(ntohs(uh->dest)) : NULL;
	if (!hook) {
		UDP_INC_STATS(UDP_MIB_NOPORTS);
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
		reason = SKB_DROP_REASON_NO_SOCKET;
		goto drop;
	}
	UDP_INC_STATS(UDP_MIB_INDATAGRAMS);
	skb_pull(skb, sizeof(*uh));
	return hook->handler(skb, hook->arg);
error:
	UDP_INC_STATS(UDP_MIB_INERRORS);
drop:
	kfree_skb_reason(skb, reason);
	return NET_RX_DROP;
}

/*
 * Linux's __udp4_lib_err: without IP_RECVERR only a connected sock hears
 * of hard errors (port unreachable -> ECONNREFUSED), at its next call.
 */
static void __udp4_lib_err(struct sock *sk, int type, int code)
{
	bool harderr = type == ICMP_DEST_UNREACH &&
		       (code == ICMP_PORT_UNREACH || code == ICMP_PROT_UNREACH);

	if (!inet_sk(sk)->recverr &&
	    (!harderr || sk->sk_state != TCP_ESTABLISHED))
		return;
	sk_error_set(sk, icmp_err_to_errno(type, code));
}

/* An ICMP error quoting a datagram we sent: tell whoever owns its source port. */
static void udp_err(struct sk_buff *skb, int type, int code, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct udphdr *uh = (const struct udphdr *)(skb->data + iph->ihl * 4u);
	struct udp_port_hook *hook;
	struct sock *sk;

	(void)info;
	/* The sock that sent the quoted datagram: its local end is the source. */
	sk = __udp4_lib_lookup(iph->daddr, uh->dest, iph->saddr, uh->source, 0);
	if (sk) {
		__udp4_lib_err(sk, type, code);
		return;
	}
	hook = udp_hook_find(ntohs(uh->source));
	if (hook && hook->err)
		hook->err(hook->arg, icmp_err_to_errno(type, code), iph->daddr,
			  ntohs(uh->dest));
}

static int __udp_send(__be32 saddr, __be32 daddr, u16 sport, u16 dport,
		      const void *data, unsigned int len)
{
	struct ip_send_args a = { .daddr = daddr, .protocol = IPPROTO_UDP };
	struct udphdr *uh;
	struct sk_buff *skb;
	struct rtable rt;
	u16 check;

	if (len > UDP_MAX_PAYLOAD)
		return -EMSGSIZE;
	if (ip_route_output(daddr, saddr, &rt))
		return -ENETUNREACH;
	skb = alloc_skb(MAX_HEADER + sizeof(*uh) + len);
	if (!skb) {
		UDP_INC_STATS(UDP_MIB_SNDBUFERRORS);
		return -ENOBUFS;
	}
	skb_reserve(skb, MAX_HEADER);
	uh = skb_put(skb, sizeof(*uh));
	skb_put_data(skb, data, len);
	skb_reset_transport_header(skb);
	uh->source = htons(sport);
	uh->dest = htons(dport);
	uh->len = htons((u16)(sizeof(*uh) + len));
	uh->check = 0;
	check = udp_csum(rt.saddr, daddr, uh, skb->len);
	uh->check = htons(check ? check : 0xffff);	/* RFC 768: 0 is "none" */
	a.saddr = rt.saddr;
	UDP_INC_STATS(UDP_MIB_OUTDATAGRAMS);
	return ip_build_and_send_pkt(skb, &a);
}

/*
 * Send from a kernel user (DHCP), which may run in thread context while
 * the softirq also sends: interrupts off around the stack's state.
 */
int udp_send(__be32 saddr, __be32 daddr, u16 sport, u16 dport,
	     const void *data, unsigned int len)
{
	unsigned long flags;
	int err;

	local_irq_save(flags);
	err = __udp_send(saddr, daddr, sport, dport, data, len);
	local_irq_restore(flags);
	return err;
}

/* ---- sockets: udp_prot ---- */

/* The destination of a send: msg_name, or the connected peer. */
static int udp_get_dest(struct sock *sk, struct msghdr *msg, __be32 *daddr,
			__be16 *dport)
{
	struct sockaddr_in *usin = msg->msg_name;

	if (usin) {
		if (msg->msg_namelen < (int)sizeof(*usin))
			return -EINVAL;
		if (usin->sin_family != AF_INET && usin->sin_family != AF_UNSPEC)
			return -EAFNOSUPPORT;
		if (!usin->sin_port)
			return -EINVAL;
		*daddr = usin->sin_addr.s_addr;
		*dport = usin->sin_port;
		return 0;
	}
	if (sk->sk_state != TCP_ESTABLISHED)
		return -EDESTADDRREQ;
	*daddr = sk->sk_daddr;
	*dport = sk->sk_dport;
	return 0;
}

/* A route to @daddr that this sock may use (broadcast needs SO_BROADCAST). */
static int udp_route_check(struct sock *sk, __be32 daddr, struct rtable *rt)
{
	unsigned long flags;
	int err;

	local_irq_save(flags);
	err = ip_route_output(daddr, inet_sk(sk)->inet_saddr, rt);
	local_irq_restore(flags);
	if (err)
		return err;
	if (rt->type == RTN_BROADCAST && !sock_flag(sk, SOCK_BROADCAST))
		return -EACCES;
	return 0;
}

/**
 * udp_sendmsg - one datagram of @len bytes: header, checksum over the
 * pseudo-header (RFC 768), charged to the sock's sndbuf until the device
 * is done with it. Returns @len or -errno.
 */
static int udp_sendmsg(struct sock *sk, struct msghdr *msg, size_t len)
{
	struct inet_sock *inet = inet_sk(sk);
	struct ip_send_args a = { .protocol = IPPROTO_UDP, .tos = inet->tos };
	unsigned long flags;
	struct sk_buff *skb;
	struct udphdr *uh;
	struct rtable rt;
	__be16 dport;
	u16 check;
	int err;

	if (len > UDP_MAX_PAYLOAD)
		return -EMSGSIZE;
	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	err = udp_get_dest(sk, msg, &a.daddr, &dport);
	if (err)
		return err;
	err = udp_route_check(sk, a.daddr, &rt);
	if (err)
		return err;
	skb = sock_alloc_send_skb(sk, MAX_HEADER + sizeof(*uh) + len,
				  msg->msg_flags & MSG_DONTWAIT, &err);
	if (!skb) {
		UDP_INC_STATS(UDP_MIB_SNDBUFERRORS);
		return err;
	}
	skb_reserve(skb, MAX_HEADER);
	uh = skb_put(skb, sizeof(*uh));
	if (memcpy_from_msg(skb_put(skb, (unsigned int)len), msg, (int)len)) {
		kfree_skb(skb);
		return -EFAULT;
	}
	skb_reset_transport_header(skb);
	uh->source = inet->inet_sport;
	uh->dest = dport;
	uh->len = htons((u16)(sizeof(*uh) + len));
	uh->check = 0;
	a.saddr = inet->inet_saddr ? inet->inet_saddr : rt.saddr;
	check = udp_csum(a.saddr, a.daddr, uh, skb->len);
	uh->check = htons(check ? check : 0xffff);	/* RFC 768: 0 is "none" */
	a.ttl = inet->uc_ttl > 0 ? (u8)inet->uc_ttl : 0;
	local_irq_save(flags);	/* down the stack: see udp_send */
	UDP_INC_STATS(UDP_MIB_OUTDATAGRAMS);
	err = ip_build_and_send_pkt(skb, &a);
	local_irq_restore(flags);
	return err ? err : (int)len;
}

/**
 * udp_recvmsg - the next datagram, whole: a short buffer truncates it
 * (MSG_TRUNC in msg_flags; with MSG_TRUNC in @flags the real length is
 * returned), and the rest is discarded. The sender goes to msg_name.
 */
static int udp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
		       int noblock, int flags, int *addr_len)
{
	struct sockaddr_in *sin = msg->msg_name;
	struct sk_buff *skb;
	unsigned int ulen;
	size_t copied;
	int off = 0, err;

	if (flags & MSG_ERRQUEUE)
		return -EAGAIN;	/* no IP_RECVERR queue is kept */
	skb = __skb_recv_datagram(sk, (unsigned int)(flags | (noblock ? MSG_DONTWAIT : 0)),
				  &off, &err);
	if (!skb)
		return err;
	ulen = skb->len;
	copied = len;
	if (copied > ulen)
		copied = ulen;
	else if (copied < ulen)
		msg->msg_flags |= MSG_TRUNC;
	err = skb_copy_datagram_msg(skb, 0, msg, (int)copied);
	if (err)
		goto out;
	if (sin) {
		memset(sin, 0, sizeof(*sin));
		sin->sin_family = AF_INET;
		sin->sin_port = udp_hdr(skb)->source;
		sin->sin_addr.s_addr = ip_hdr(skb)->saddr;
		*addr_len = sizeof(*sin);
	}
	if (flags & MSG_TRUNC)
		copied = ulen;
out:
	skb_free_datagram(sk, skb);
	return err ? err : (int)copied;
}

/* connect(AF_UNSPEC): Linux's __udp_disconnect, which also gives back an autobound port. */
static int udp_disconnect(struct sock *sk, int flags)
{
	struct inet_sock *inet = inet_sk(sk);
	int err = ip4_datagram_disconnect(sk, flags);

	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK)) {
		udp_lib_unhash(sk);
		inet->inet_sport = 0;
	}
	return err;
}

static void udp_lib_close(struct sock *sk, long timeout)
{
	udp_lib_unhash(sk);
	sock_orphan(sk);
	sock_put(sk);
}

struct proto udp_prot = {
	.name = "UDP",
	.close = udp_lib_close,
	.connect = ip4_datagram_connect,
	.disconnect = udp_disconnect,
	.ioctl = datagram_ioctl,
	.setsockopt = ip_setsockopt,
	.getsockopt = ip_getsockopt,
	.sendmsg = udp_sendmsg,
	.recvmsg = udp_recvmsg,
	.backlog_rcv = __udp_queue_rcv_skb,
	.hash = udp_lib_hash,
	.unhash = udp_lib_unhash,
	.get_port = udp_v4_get_port,
	.obj_size = sizeof(struct udp_sock),
};

static const struct net_protocol udp_protocol = {
	.handler = udp_rcv,
	.err_handler = udp_err,
};

void udp_init(void)
{
	inet_add_protocol(&udp_protocol, IPPROTO_UDP);
}
