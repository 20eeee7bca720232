/*
 * struct inet_sock: struct sock plus what every IPv4 transport keeps (Linux
 * include/net/inet_sock.h). udp_sock and raw_sock embed it; tcp_sock will
 * embed it through inet_connection_sock. inet_sk() is container_of.
 */
#ifndef NET_INET_SOCK_H
#define NET_INET_SOCK_H

#include "net/in.h"
#include "net/route.h"
#include "net/sock.h"

struct inet_sock {
	struct sock sk;		/* must be first */
#define inet_daddr	sk.__sk_common.skc_daddr
#define inet_rcv_saddr	sk.__sk_common.skc_rcv_saddr
#define inet_dport	sk.__sk_common.skc_dport
#define inet_num	sk.__sk_common.skc_num
	__be32 inet_saddr;	/* source address put on sent packets */
	__be16 inet_sport;	/* source port, network order */
	s16 uc_ttl;		/* -1: the default TTL */
	u8 tos;
	u8 hdrincl:1,		/* IPPROTO_RAW: the user writes the IP header */
	   recverr:1;		/* IP_RECVERR */
	struct rt_cache rt_cache;	/* Linux's sk_dst_cache (TCP's sends) */
};

static inline struct inet_sock *inet_sk(const struct sock *sk)
{
	return container_of((struct sock *)sk, struct inet_sock, sk);
}

/* inet_protosw->flags */
#define INET_PROTOSW_REUSE	0x01	/* sockets may share a port */
#define INET_PROTOSW_PERMANENT	0x02	/* cannot be unregistered */

/* One (type, protocol) a PF_INET socket may be created as. */
struct inet_protosw {
	struct list_head list;
	unsigned short type;
	unsigned short protocol;	/* IPPROTO_IP: wildcard */
	struct proto *prot;
	const struct proto_ops *ops;
	unsigned char flags;
};

void inet_register_protosw(struct inet_protosw *p);
/* Start PF_INET (the kernel's initcall does; host tests call it). */
int inet_family_init(void);
/* Is @addr one of this stack's own addresses (net/devinet.c)? */
bool inet_addr_is_local(__be32 addr);

/* af_inet.c: the generic IPv4 socket operations, shared by the ops tables. */
int inet_release(struct socket *sock);
int inet_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len);
int __inet_bind(struct sock *sk, struct sockaddr *uaddr, int addr_len);
int inet_dgram_connect(struct socket *sock, struct sockaddr *uaddr,
		       int addr_len, int flags);
int inet_getname(struct socket *sock, struct sockaddr *uaddr, int peer);
int inet_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg);
int inet_shutdown(struct socket *sock, int how);
int inet_sendmsg(struct socket *sock, struct msghdr *msg, size_t size);
int inet_recvmsg(struct socket *sock, struct msghdr *msg, size_t size,
		 int flags);
/* The connected-datagram helpers udp and raw share (Linux net/ipv4/datagram.c). */
int ip4_datagram_connect(struct sock *sk, struct sockaddr *uaddr, int len);
int ip4_datagram_disconnect(struct sock *sk, int flags);
/* IPPROTO_IP options (net/ip_sockglue.c): IP_TOS, IP_TTL, IP_RECVERR. */
int ip_setsockopt(struct sock *sk, int level, int optname, const void *optval,
		  unsigned int optlen);
int ip_getsockopt(struct sock *sk, int level, int optname, void *optval,
		  int *optlen);
/* raw.c: clone @skb to the raw socks of @protocol (ip_local_deliver calls it). */
int raw_local_deliver(struct sk_buff *skb, int protocol);

extern const struct proto_ops inet_dgram_ops;
extern const struct proto_ops inet_sockraw_ops;

/* Transport protocols registered in inetsw[] (udp.c, raw.c). */
extern struct proto udp_prot;
extern struct proto raw_prot;

#endif
