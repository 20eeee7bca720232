/*
 * Raw IPv4 sockets (Linux net/ipv4/raw.c): socket(AF_INET, SOCK_RAW,
 * proto). ip_local_deliver -> raw_local_deliver hands each raw sock bound
 * to the packet's protocol a clone of the whole IP datagram, before and
 * in addition to the kernel's own handling (so ping sees echo replies
 * while icmp_rcv still answers echo requests).
 */
#include "net/inet_sock.h"
#include "lib/byteorder.h"
#include "lib/string.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/route.h"
#include "net/tcp_states.h"

#define RAW_HTABLE_SIZE	64

struct raw_sock {
	struct inet_sock inet;
};

/* Raw socks by protocol number; a sock sits here from creation to close. */
static struct hlist_head raw_v4_hashinfo[RAW_HTABLE_SIZE];

/* The softirq walks these lists: interrupts off while they change. */
static int raw_hash_sk(struct sock *sk)
{
	unsigned long flags;

	local_irq_save(flags);
	hlist_add_head(&sk->sk_node,
		       &raw_v4_hashinfo[inet_sk(sk)->inet_num % RAW_HTABLE_SIZE]);
	local_irq_restore(flags);
	return 0;
}

static void raw_unhash_sk(struct sock *sk)
{
	unsigned long flags;

	local_irq_save(flags);
	if (!hlist_unhashed(&sk->sk_node))
		hlist_del_init(&sk->sk_node);
	local_irq_restore(flags);
}

/* The IPv4 source and destination, read from the network header. */
static void raw_ip_addrs(const struct sk_buff *skb, __be32 *saddr,
			 __be32 *daddr)
{
	memcpy(saddr, skb_network_header(skb) + 12, 4);
	memcpy(daddr, skb_network_header(skb) + 16, 4);
}

static bool raw_v4_match(const struct sock *sk, u16 num, __be32 raddr,
			 __be32 laddr, int dif)
{
	const struct inet_sock *inet = inet_sk(sk);

	return sock_net(sk) == net_current() && inet->inet_num == num &&
	       !(inet->inet_daddr && inet->inet_daddr != raddr) &&
	       !(inet->inet_rcv_saddr && inet->inet_rcv_saddr != laddr) &&
	       !(sk->sk_bound_dev_if && sk->sk_bound_dev_if != dif);
}

/* Queue the datagram, IP header included, on the raw sock. Consumes @skb. */
static int raw_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	if (sock_queue_rcv_skb(sk, skb) < 0) {
		kfree_skb_reason(skb, SKB_DROP_REASON_SOCKET_RCVBUFF);
		return -ENOMEM;
	}
	return 0;
}

int raw_rcv(struct sock *sk, struct sk_buff *skb)
{
	/* Give the reader the IP header back. */
	skb_push(skb, (unsigned int)(skb->data - skb_network_header(skb)));
	return sk_receive_skb(sk, skb);
}

/**
 * raw_local_deliver - give a clone of @skb (data at the transport header,
 * network header set) to every raw sock of @protocol that accepts it.
 * The caller keeps @skb. Returns how many socks got a copy.
 */
int raw_local_deliver(struct sk_buff *skb, int protocol)
{
	struct hlist_head *head = &raw_v4_hashinfo[protocol % RAW_HTABLE_SIZE];
	int dif = skb->dev ? skb->dev->ifindex : 0;
	__be32 saddr, daddr;
	struct sock *sk;
	int delivered = 0;

	raw_ip_addrs(skb, &saddr, &daddr);
	hlist_for_each_entry(sk, head, sk_node) {
		struct sk_buff *clone;

		if (!raw_v4_match(sk, (u16)protocol, saddr, daddr, dif))
			continue;
		clone = skb_clone(skb);
		if (!clone) {
			sk_drops_add(sk);
			continue;
		}
		raw_rcv(sk, clone);
		delivered++;
	}
	return delivered;
}

static int raw_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
		       int noblock, int flags, int *addr_len)
{
	struct sockaddr_in *sin = msg->msg_name;
	struct sk_buff *skb;
	size_t copied;
	int err = -EOPNOTSUPP;

	if (flags & MSG_OOB)
		return err;
	skb = skb_recv_datagram(sk, (unsigned int)flags, noblock, &err);
	if (!skb)
		return err;
	copied = skb->len;
	if (len < copied) {
		msg->msg_flags |= MSG_TRUNC;
		copied = len;
	}
	err = skb_copy_datagram_msg(skb, 0, msg, (int)copied);
	if (err)
		goto done;
	if (sin) {
		__be32 daddr;

		memset(sin, 0, sizeof(*sin));
		sin->sin_family = AF_INET;
		raw_ip_addrs(skb, &sin->sin_addr.s_addr, &daddr);
		*addr_len = sizeof(*sin);
	}
	if (flags & MSG_TRUNC)
		copied = skb->len;
done:
	skb_free_datagram(sk, skb);
	return err ? err : (int)copied;
}

/* Linux's raw_bind: an address, no port; the sock stays in its protocol's list. */
static int raw_bind(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *addr = (struct sockaddr_in *)uaddr;
	struct inet_sock *inet = inet_sk(sk);
	u32 a;

	if (sk->sk_state != TCP_CLOSE ||
	    addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	a = ntohl(addr->sin_addr.s_addr);
	if (a != INADDR_ANY && a != INADDR_BROADCAST && (a >> 28) != 0xe &&
	    !inet_addr_is_local(addr->sin_addr.s_addr))
		return -EADDRNOTAVAIL;
	inet->inet_rcv_saddr = inet->inet_saddr = addr->sin_addr.s_addr;
	if (a == INADDR_BROADCAST || (a >> 28) == 0xe)
		inet->inet_saddr = 0;
	return 0;
}

/* The destination: the message's address, or the connected peer's. */
static int raw_get_daddr(struct sock *sk, struct msghdr *msg, __be32 *daddr)
{
	struct sockaddr_in *usin = msg->msg_name;

	if (usin) {
		if (msg->msg_namelen < (int)sizeof(*usin))
			return -EINVAL;
		if (usin->sin_family != AF_INET && usin->sin_family != AF_UNSPEC)
			return -EAFNOSUPPORT;
		*daddr = usin->sin_addr.s_addr;
		return 0;
	}
	if (sk->sk_state != TCP_ESTABLISHED)
		return -EDESTADDRREQ;
	*daddr = inet_sk(sk)->inet_daddr;
	return 0;
}

/**
 * raw_sendmsg - send the user's bytes as the payload of one IPv4 datagram
 * of the socket's protocol (for ICMP the user writes the ICMP header and
 * checksum, as ping does). IPPROTO_RAW's user-built IP headers are not
 * supported: -EOPNOTSUPP.
 */
static int raw_sendmsg(struct sock *sk, struct msghdr *msg, size_t len)
{
	struct inet_sock *inet = inet_sk(sk);
	struct ip_send_args a = { .protocol = (u8)inet->inet_num };
	unsigned long flags;
	struct sk_buff *skb;
	struct rtable rt;
	int err;

	if (len > 0xffff - sizeof(struct iphdr))
		return -EMSGSIZE;
	if (msg->msg_flags & MSG_OOB || inet->hdrincl)
		return -EOPNOTSUPP;
	err = raw_get_daddr(sk, msg, &a.daddr);
	if (err)
		return err;
	a.saddr = inet->inet_saddr;
	a.ttl = inet->uc_ttl > 0 ? (u8)inet->uc_ttl : 0;
	a.tos = inet->tos;
	local_irq_save(flags);
	err = ip_route_output(a.daddr, a.saddr, &rt);
	local_irq_restore(flags);
	if (err)
		return err;
	if (rt.type == RTN_BROADCAST && !sock_flag(sk, SOCK_BROADCAST))
		return -EACCES;
	skb = sock_alloc_send_skb(sk, MAX_HEADER + len,
				  msg->msg_flags & MSG_DONTWAIT, &err);
	if (!skb)
		return err;
	skb_reserve(skb, MAX_HEADER);
	if (memcpy_from_msg(skb_put(skb, (unsigned int)len), msg, (int)len)) {
		kfree_skb(skb);
		return -EFAULT;
	}
	skb_reset_transport_header(skb);
	local_irq_save(flags);	/* down the stack with no softirq under us */
	err = ip_build_and_send_pkt(skb, &a);
	local_irq_restore(flags);
	return err ? err : (int)len;
}

static void raw_close(struct sock *sk, long timeout)
{
	raw_unhash_sk(sk);
	sock_orphan(sk);
	sock_put(sk);
}

struct proto raw_prot = {
	.name = "RAW",
	.close = raw_close,
	.connect = ip4_datagram_connect,
	.disconnect = ip4_datagram_disconnect,
	.ioctl = datagram_ioctl,
	.setsockopt = ip_setsockopt,
	.getsockopt = ip_getsockopt,
	.sendmsg = raw_sendmsg,
	.recvmsg = raw_recvmsg,
	.bind = raw_bind,
	.backlog_rcv = raw_rcv_skb,
	.hash = raw_hash_sk,
	.unhash = raw_unhash_sk,
	.obj_size = sizeof(struct raw_sock),
};
