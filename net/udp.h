/*
 * UDP (RFC 768). Until the socket layer (issue 5) exists, a port is bound
 * by registering a handler: udp_register_port(). The handler receives the
 * datagram with skb->data at the payload (transport header set) and
 * consumes it.
 */
#ifndef NET_UDP_H
#define NET_UDP_H

#include "lib/compiler.h"
#include "net/net_namespace.h"

struct udphdr {
	__be16 source;
	__be16 dest;
	__be16 len;
	__sum16 check;
} __packed;
BUILD_BUG_ON(sizeof(struct udphdr) != 8);

static inline struct udphdr *udp_hdr(const struct sk_buff *skb)
{
	return (struct udphdr *)skb_transport_header(skb);
}

#define UDP_MAX_PAYLOAD	(65535 - 20 - 8)

int udp_register_port(u16 port, udp_rcv_handler_t handler,
		      udp_err_handler_t err, void *arg);
int udp_unregister_port(u16 port);
/* Build and send one datagram; saddr 0 picks the route's. 0 or -errno. */
int udp_send(__be32 saddr, __be32 daddr, u16 sport, u16 dport,
	     const void *data, unsigned int len);
int udp_rcv(struct sk_buff *skb);
void udp_init(void);

#endif
