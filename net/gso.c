/*
 * Software fallbacks for transmit offloads (net/gso.h).
 *
 * A CHECKSUM_PARTIAL skb carries in its checksum field the sum of the
 * TCP pseudo-header (RFC 9293 §3.1) for its whole length, not
 * complemented; whoever finishes it sums from csum_start to the end and
 * stores the complement at csum_start + csum_offset (the virtio-net
 * NEEDS_CSUM contract, VIRTIO 1.2 §5.1.6.2, and Linux's).
 *
 * A GSO skb is one TCP/IPv4 frame of up to 64 KiB: one header, then
 * gso_segs * gso_size payload bytes (the last segment may be short).
 * Cutting it (what a TSO NIC does, Linux tcp_gso_segment) gives each
 * segment a copy of the header with its own IP total length, IP ID
 * (consecutive), TCP sequence number and checksum; FIN and PSH stay on
 * the last segment only.
 */
#include "net/gso.h"
#include "lib/byteorder.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "net/checksum.h"
#include "net/ip.h"
#include "net/tcp.h"

/* The offset of the TCP checksum field (RFC 9293 §3.1). */
#define TCP_CSUM_OFFSET	16

void tcp_v4_send_check_partial(struct sk_buff *skb, __be32 saddr, __be32 daddr)
{
	struct tcphdr *th = tcp_hdr(skb);
	unsigned int len = (unsigned int)(skb->tail - (u8 *)th);
	u32 sum = csum_tcpudp_nofold(saddr, daddr, len, IPPROTO_TCP, 0);

	th->check = htons((u16)~csum_fold(sum));
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb->transport_header;
	skb->csum_offset = TCP_CSUM_OFFSET;
}

int skb_checksum_help(struct sk_buff *skb)
{
	unsigned int start, field;
	u16 csum;

	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return 0;
	if (skb->csum_start < skb_headroom(skb))
		return -EINVAL;
	start = skb->csum_start - skb_headroom(skb);
	field = start + skb->csum_offset;
	if (field + 2 > skb->len)
		return -EINVAL;
	if (skb->cloned && skb_unshare_data(skb))
		return -ENOMEM;
	csum = csum_fold(csum_partial(skb->data + start, skb->len - start, 0));
	/* 0 and 0xffff are the same ones'-complement value; send the latter. */
	put_be16(skb->data + field, csum ? csum : 0xffff);
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

static unsigned int skb_gso_header_len(const struct sk_buff *skb)
{
	const struct tcphdr *th = tcp_hdr(skb);

	return (unsigned int)skb_transport_offset(skb) + th->doff * 4u;
}

unsigned int skb_gso_network_seglen(const struct sk_buff *skb)
{
	return skb_gso_header_len(skb) - (unsigned int)skb_network_offset(skb) +
	       skb_shinfo(skb)->gso_size;
}

/* Segment @i of @skb: its header fields fixed up for @len payload bytes. */
static void skb_gso_fix_headers(struct sk_buff *seg, const struct sk_buff *skb,
				unsigned int i, unsigned int len, bool last)
{
	unsigned int hlen = skb_gso_header_len(skb);
	unsigned int mss = skb_shinfo(skb)->gso_size;
	struct iphdr *iph = ip_hdr(seg);
	struct tcphdr *th = tcp_hdr(seg);

	iph->tot_len = htons((u16)(hlen - skb_network_offset(skb) + len));
	iph->id = htons((u16)(ntohs(ip_hdr(skb)->id) + i));
	iph->check = 0;
	iph->check = htons(ip_fast_csum(iph, iph->ihl));
	th->seq = htonl(ntohl(tcp_hdr(skb)->seq) + i * mss);
	if (!last)
		th->flags &= (u8)~(TCPHDR_FIN | TCPHDR_PSH);
	tcp_v4_send_check_partial(seg, iph->saddr, iph->daddr);
}

static struct sk_buff *skb_gso_one(const struct sk_buff *skb, unsigned int i,
				   unsigned int len, bool last)
{
	unsigned int hlen = skb_gso_header_len(skb);
	unsigned int room = min(skb_headroom(skb), (unsigned int)MAX_HEADER);
	unsigned int from = hlen + i * skb_shinfo(skb)->gso_size;
	struct sk_buff *seg = alloc_skb(room + hlen + len);

	if (!seg)
		return NULL;
	skb_reserve(seg, room);
	skb_put_data(seg, skb->data, hlen);
	skb_put_data(seg, skb->data + from, len);
	if (skb->mac_header != 0xffff)
		seg->mac_header = (u16)(skb_headroom(seg) +
					(skb_mac_header(skb) - skb->data));
	skb_set_network_header(seg, skb_network_offset(skb));
	skb_set_transport_header(seg, skb_transport_offset(skb));
	seg->dev = skb->dev;
	seg->protocol = skb->protocol;
	seg->trace = skb->trace;
	skb_gso_fix_headers(seg, skb, i, len, last);
	return seg;
}

struct sk_buff *skb_gso_segment(const struct sk_buff *skb)
{
	unsigned int mss = skb_shinfo(skb)->gso_size;
	struct sk_buff *segs = NULL, **tail = &segs;
	unsigned int hlen, payload, i = 0;

	if (!mss || skb_shinfo(skb)->gso_type != SKB_GSO_TCPV4 ||
	    skb->transport_header == 0xffff || skb->network_header == 0xffff)
		return NULL;
	hlen = skb_gso_header_len(skb);
	if (hlen >= skb->len)
		return NULL;
	payload = skb->len - hlen;
	for (unsigned int off = 0; off < payload; off += mss, i++) {
		unsigned int len = min(mss, payload - off);
		struct sk_buff *seg = skb_gso_one(skb, i, len, off + len == payload);

		if (!seg) {
			kfree_skb_list(segs, SKB_DROP_REASON_NO_MEMORY);
			return NULL;
		}
		*tail = seg;
		tail = &seg->next;
	}
	return segs;
}

void kfree_skb_list(struct sk_buff *segs, enum skb_drop_reason reason)
{
	while (segs) {
		struct sk_buff *next = segs->next;

		segs->next = NULL;
		kfree_skb_reason(segs, reason);
		segs = next;
	}
}
