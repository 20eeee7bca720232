/*
 * ICMP (net/icmp.h).
 * Receive: ip_local_deliver -> icmp_rcv -> icmp_echo / icmp_unreach ->
 *          inet_protos[quoted protocol]->err_handler.
 * Errors:  udp_rcv, ip_local_deliver, ip_fragment -> icmp_send.
 */
#include "net/icmp.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "net/checksum.h"
#include "net/dev.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/trace.h"

/* RFC 1812 §4.3.2.3: quote as much as fits in a 576-byte datagram. */
#define ICMP_QUOTE_MAX	(576 - sizeof(struct iphdr) - sizeof(struct icmphdr))

void (*icmp_echo_reply_hook)(__be32 saddr, u16 id, u16 seq, unsigned int len);

static bool icmp_is_error(u8 type)
{
	return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH ||
	       type == ICMP_REDIRECT || type == ICMP_TIME_EXCEEDED ||
	       type == ICMP_PARAMETERPROB;
}

int icmp_err_to_errno(int type, int code)
{
	if (type == ICMP_DEST_UNREACH) {
		switch (code) {
		case ICMP_NET_UNREACH:
			return ENETUNREACH;
		case ICMP_PROT_UNREACH:
			return ENOPROTOOPT;
		case ICMP_PORT_UNREACH:
			return ECONNREFUSED;
		case ICMP_FRAG_NEEDED:
			return EMSGSIZE;
		}
	}
	return EHOSTUNREACH;
}

/* Token bucket: ICMP_RATE_PER_SEC tokens a second, at most ICMP_RATE_BURST. */
static bool icmp_ratelimit_allow(void)
{
	struct netns_ipv4 *ns = &net_current()->ipv4;
	ktime_t now = ktime_get();
	u64 add = (u64)(now - ns->icmp_last) * ICMP_RATE_PER_SEC / NSEC_PER_SEC;

	if (add) {
		ns->icmp_tokens = (u32)min_t(u64, ICMP_RATE_BURST,
					     ns->icmp_tokens + add);
		ns->icmp_last = now;
	}
	if (!ns->icmp_tokens)
		return false;
	ns->icmp_tokens--;
	return true;
}

/* Build an ICMP message: header @h and @len bytes of @body; checksum filled. */
static struct sk_buff *icmp_build(const struct icmphdr *h, const void *body,
				  unsigned int len)
{
	struct sk_buff *skb = alloc_skb(MAX_HEADER + sizeof(*h) + len);
	struct icmphdr *icmph;

	if (!skb)
		return NULL;
	skb_reserve(skb, MAX_HEADER);
	icmph = skb_put_data(skb, h, sizeof(*h));
	skb_put_data(skb, body, len);
	icmph->checksum = 0;
	icmph->checksum = htons(csum_fold(csum_partial(skb->data, skb->len, 0)));
	return skb;
}

static int icmp_xmit(struct sk_buff *skb, __be32 saddr, __be32 daddr)
{
	struct ip_send_args a = { .saddr = saddr, .daddr = daddr,
				  .protocol = IPPROTO_ICMP };

	ICMP_INC_STATS(ICMP_MIB_OUTMSGS);
	return ip_build_and_send_pkt(skb, &a);
}

/* May we answer @skb_in with an error at all? (RFC 1122 §3.2.2) */
static bool icmp_error_allowed(const struct sk_buff *skb_in)
{
	const struct iphdr *iph = ip_hdr(skb_in);
	unsigned int hlen = iph->ihl * 4u;
	const u8 *end = skb_in->tail;

	if (skb_in->pkt_type != PACKET_HOST && skb_in->pkt_type != PACKET_LOOPBACK)
		return false;
	if (IPCB(skb_in)->flags & IPSKB_BROADCAST || ipv4_is_multicast(iph->daddr))
		return false;
	if (ntohs(iph->frag_off) & IP_OFFSET)
		return false;
	if (!iph->saddr || iph->saddr == INADDR_BROADCAST ||
	    ipv4_is_multicast(iph->saddr))
		return false;
	if (iph->protocol == IPPROTO_ICMP) {
		const u8 *type = (const u8 *)iph + hlen;

		if (type >= end || icmp_is_error(*type))
			return false;	/* never an error about an error */
	}
	return true;
}

void icmp_send(struct sk_buff *skb_in, int type, int code, u32 info)
{
	const struct iphdr *iph = ip_hdr(skb_in);
	struct icmphdr h = { .type = (u8)type, .code = (u8)code };
	unsigned int quote;
	struct sk_buff *skb;
	__be32 saddr;

	if (!icmp_error_allowed(skb_in))
		return;
	if (!icmp_ratelimit_allow()) {
		ICMP_INC_STATS(ICMP_MIB_OUTRATELIMITED);
		return;
	}
	h.un.gateway = htonl(info);
	quote = (unsigned int)(skb_in->tail - (const u8 *)iph);
	quote = min_t(unsigned int, quote, ntohs(iph->tot_len));
	quote = min_t(unsigned int, quote, ICMP_QUOTE_MAX);
	skb = icmp_build(&h, iph, quote);
	if (!skb) {
		ICMP_INC_STATS(ICMP_MIB_OUTERRORS);
		return;
	}
	net_trace(skb);
	ICMP_INC_STATS(type == ICMP_TIME_EXCEEDED ? ICMP_MIB_OUTTIMEEXCDS
						  : ICMP_MIB_OUTDESTUNREACHS);
	saddr = ip_dev_find(iph->daddr) ? iph->daddr : 0;
	icmp_xmit(skb, saddr, iph->saddr);
}

/* Process context (ping): interrupts off while in the stack, as udp_send. */
int icmp_send_echo(__be32 daddr, u16 id, u16 seq, unsigned int len)
{
	struct icmphdr h = { .type = ICMP_ECHO };
	unsigned long flags;
	struct sk_buff *skb;
	u8 body[256];
	int err;

	if (len > sizeof(body))
		return -EMSGSIZE;
	for (unsigned int i = 0; i < len; i++)
		body[i] = (u8)(0x10 + i);
	h.un.echo.id = htons(id);
	h.un.echo.sequence = htons(seq);
	skb = icmp_build(&h, body, len);
	if (!skb)
		return -ENOMEM;
	local_irq_save(flags);
	ICMP_INC_STATS(ICMP_MIB_OUTECHOS);
	err = icmp_xmit(skb, 0, daddr);
	local_irq_restore(flags);
	return err;
}

/* RFC 792 "Echo or Echo Reply": the same data back, type 0. */
static void icmp_echo(struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct icmphdr h;
	struct sk_buff *reply;

	memcpy(&h, skb->data, sizeof(h));
	h.type = ICMP_ECHOREPLY;
	reply = icmp_build(&h, skb->data + sizeof(h), skb->len - sizeof(h));
	if (!reply)
		return;
	ICMP_INC_STATS(ICMP_MIB_OUTECHOREPS);
	icmp_xmit(reply, iph->daddr, iph->saddr);
}

/* An error about one of our datagrams: to the protocol that sent it. */
static bool icmp_unreach(struct sk_buff *skb, const struct icmphdr *h)
{
	const struct iphdr *inner;
	const struct net_protocol *prot;

	skb_pull(skb, sizeof(*h));
	inner = (const struct iphdr *)skb->data;
	if (!pskb_may_pull(skb, sizeof(*inner)) || inner->ihl < 5 ||
	    !pskb_may_pull(skb, inner->ihl * 4u + 8))
		return false;
	prot = inet_protos[inner->protocol];
	if (prot && prot->err_handler)
		prot->err_handler(skb, h->type, h->code, ntohl(h->un.gateway));
	return true;
}

int icmp_rcv(struct sk_buff *skb)
{
	const struct icmphdr *h = (const struct icmphdr *)skb->data;
	enum skb_drop_reason reason = SKB_DROP_REASON_ICMP_INVALID;

	net_trace(skb);
	ICMP_INC_STATS(ICMP_MIB_INMSGS);
	if (!pskb_may_pull(skb, sizeof(*h))) {
		reason = SKB_DROP_REASON_PKT_TOO_SMALL;
		goto error;
	}
	if (csum_fold(csum_partial(skb->data, skb->len, 0))) {
		ICMP_INC_STATS(ICMP_MIB_INCSUMERRORS);
		goto error;
	}
	switch (h->type) {
	case ICMP_ECHO:
		ICMP_INC_STATS(ICMP_MIB_INECHOS);
		/* Echo to a broadcast is ignored, as Linux's default. */
		if (!(IPCB(skb)->flags & IPSKB_BROADCAST))
			icmp_echo(skb);
		break;
	case ICMP_ECHOREPLY:
		ICMP_INC_STATS(ICMP_MIB_INECHOREPS);
		if (icmp_echo_reply_hook)
			icmp_echo_reply_hook(ip_hdr(skb)->saddr,
					     ntohs(h->un.echo.id),
					     ntohs(h->un.echo.sequence),
					     skb->len - (unsigned int)sizeof(*h));
		break;
	case ICMP_REDIRECT:
		/* A host's routes are its own: ignored (DESIGN §4), counted. */
		ICMP_INC_STATS(ICMP_MIB_INREDIRECTS);
		break;
	case ICMP_DEST_UNREACH:
	case ICMP_TIME_EXCEEDED:
	case ICMP_PARAMETERPROB:
		ICMP_INC_STATS(h->type == ICMP_DEST_UNREACH ?
			       ICMP_MIB_INDESTUNREACHS : ICMP_MIB_INTIMEEXCDS);
		if (!icmp_unreach(skb, h))
			goto error;
		break;
	default:
		break;		/* RFC 1122 §3.2.2: unknown types are ignored */
	}
	consume_skb(skb);
	return 0;
error:
	ICMP_INC_STATS(ICMP_MIB_INERRORS);
	kfree_skb_reason(skb, reason);
	return NET_RX_DROP;
}

static const struct net_protocol icmp_protocol = {
	.handler = icmp_rcv,
};

void icmp_init(void)
{
	inet_add_protocol(&icmp_protocol, IPPROTO_ICMP);
}
