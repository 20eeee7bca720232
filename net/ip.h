/*
 * IPv4 (RFC 791): the header, the per-skb control block, the protocol
 * handler table (Linux's inet_protos, so TCP plugs in later) and the entry
 * points of ip_input.c, ip_output.c and ip_fragment.c.
 *
 * Receive: netif_receive_skb -> ip_rcv -> [ip_defrag] -> ip_local_deliver
 *          -> inet_protos[protocol]->handler (icmp_rcv, udp_rcv).
 * Send:    udp_send / icmp_reply -> ip_build_and_send_pkt -> ip_route_output
 *          -> [ip_fragment] -> ip_finish_output -> neigh_output -> dev_queue_xmit.
 */
#ifndef NET_IP_H
#define NET_IP_H

#include "lib/byteorder.h"
#include "lib/compiler.h"
#include "net/netdevice.h"

struct iphdr {
	u8 ihl:4, version:4;	/* x86 bit order: ihl is the low nibble */
	u8 tos;
	__be16 tot_len;
	__be16 id;
	__be16 frag_off;	/* flags (3 bits) and offset in 8-byte units */
	u8 ttl;
	u8 protocol;
	__sum16 check;
	__be32 saddr;
	__be32 daddr;
} __packed;
BUILD_BUG_ON(sizeof(struct iphdr) != 20);

#define IP_CE		0x8000	/* reserved flag */
#define IP_DF		0x4000
#define IP_MF		0x2000
#define IP_OFFSET	0x1fff

#define IPPROTO_ICMP	1
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17

#define IPDEFTTL	64
#define IP_MAX_PACKET	65535

#ifndef INADDR_ANY		/* net/in.h has them too, same values */
#define INADDR_ANY		((__be32)0)
#define INADDR_BROADCAST	((__be32)0xffffffffu)
#endif

static inline struct iphdr *ip_hdr(const struct sk_buff *skb)
{
	return (struct iphdr *)skb_network_header(skb);
}

static inline bool ipv4_is_multicast(__be32 addr)
{
	return (ntohl(addr) & 0xf0000000u) == 0xe0000000u;
}

static inline bool ipv4_is_loopback(__be32 addr)
{
	return (ntohl(addr) & 0xff000000u) == 0x7f000000u;
}

static inline bool ipv4_is_zeronet(__be32 addr)
{
	return (ntohl(addr) & 0xff000000u) == 0;
}

static inline __be32 inet_make_mask(unsigned int prefix)
{
	return htonl(prefix ? ~0u << (32 - prefix) : 0);
}

static inline __be32 ip4(u8 a, u8 b, u8 c, u8 d)
{
	return htonl((u32)a << 24 | (u32)b << 16 | (u32)c << 8 | d);
}

/* State kept in skb->cb while IP owns the packet. */
struct inet_skb_parm {
	unsigned int flags;
#define IPSKB_FRAG_COMPLETE	1	/* reassembled */
#define IPSKB_BROADCAST		2	/* to a broadcast address of ours */
};
#define IPCB(skb)	((struct inet_skb_parm *)((skb)->cb))

/* A transport protocol's receive and ICMP-error handlers. */
struct net_protocol {
	int (*handler)(struct sk_buff *skb);
	/* An ICMP error quoting one of our packets: @skb->data at the quoted IP header. */
	void (*err_handler)(struct sk_buff *skb, int type, int code, u32 info);
};

extern const struct net_protocol *inet_protos[256];
int inet_add_protocol(const struct net_protocol *prot, u8 protocol);
int inet_del_protocol(const struct net_protocol *prot, u8 protocol);

/* ip_input.c */
int ip_rcv(struct sk_buff *skb, struct net_device *dev);
int ip_local_deliver(struct sk_buff *skb);
void ip_init(void);

/* ip_output.c: send @skb (data at the transport header, headroom >= MAX_HEADER). */
struct ip_send_args {
	__be32 saddr;		/* 0: the route's source */
	__be32 daddr;
	u8 protocol;
	u8 ttl;			/* 0: IPDEFTTL */
	u8 tos;
	bool df;
	struct rt_cache *rt_cache;	/* NULL, or the sending socket's route */
};
int ip_build_and_send_pkt(struct sk_buff *skb, const struct ip_send_args *a);
/* Fill the IPv4 header at skb->data (already pushed). */
void ip_build_header(struct sk_buff *skb, const struct ip_send_args *a,
		     __be32 saddr, u16 id);
u16 ip_select_ident(void);

/* ip_fragment.c */
struct net;
/* Add a fragment; returns the whole datagram once complete, else NULL (@skb kept or dropped). */
struct sk_buff *ip_defrag(struct sk_buff *skb);
void ipfrag_net_init(struct net *net);
void ipfrag_net_exit(struct net *net);
/* Cut @skb (with its IP header at data) into fragments for @mtu; each goes to @output. */
int ip_fragment(struct sk_buff *skb, unsigned int mtu,
		int (*output)(struct sk_buff *skb, __be32 nexthop),
		__be32 nexthop);

#define IPFRAG_HIGH_THRESH	(256 * 1024)	/* bytes (truesize) held in total */
#define IPFRAG_TIMEOUT_MS	30000		/* RFC 791: 15 s minimum; Linux 30 s */
#define IPFRAG_MAX_QUEUES	64

#endif
