/*
 * UDP (net/udp.h).
 * Receive: ip_local_deliver -> udp_rcv -> port handler (sockets later).
 * Send:    udp_send -> ip_build_and_send_pkt.
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

static struct udp_port_hook *udp_hook_find(u16 port)
{
	struct udp_port_hook *h = net_current()->ipv4.udp_ports;

	for (int i = 0; i < UDP_HOOK_MAX; i++)
		if (h[i].port == port)
			return &h[i];
	return NULL;
}

int udp_register_port(u16 port, udp_rcv_handler_t handler,
		      udp_err_handler_t err, void *arg)
{
	struct udp_port_hook *h;

	if (!port || !handler)
		return -EINVAL;
	if (udp_hook_find(port))
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

int udp_rcv(struct sk_buff *skb)
{
	const struct udphdr *uh = (const struct udphdr *)skb->data;
	const struct iphdr *iph = ip_hdr(skb);
	enum skb_drop_reason reason = SKB_DROP_REASON_UDP_HDR;
	struct udp_port_hook *hook;
	unsigned int ulen;

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
	hook = udp_hook_find(ntohs(uh->dest));
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

/* An ICMP error quoting a datagram we sent: tell whoever owns its source port. */
static void udp_err(struct sk_buff *skb, int type, int code, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct udphdr *uh = (const struct udphdr *)(skb->data + iph->ihl * 4u);
	struct udp_port_hook *hook = udp_hook_find(ntohs(uh->source));

	(void)info;
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
 * May be called from process context: interrupts stay off while the
 * datagram goes down the stack, so no softirq (run on interrupt exit)
 * changes the ARP cache or a device queue under us. Uniprocessor.
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

static const struct net_protocol udp_protocol = {
	.handler = udp_rcv,
	.err_handler = udp_err,
};

void udp_init(void)
{
	inet_add_protocol(&udp_protocol, IPPROTO_UDP);
}
