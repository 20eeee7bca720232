/* The test packet builder (tests/host/pktbuild.h). */
#include <string.h>

#include "tests/host/pktbuild.h"
#include "lib/byteorder.h"
#include "net/arp.h"
#include "net/checksum.h"
#include "net/icmp.h"
#include "net/ip.h"
#include "net/udp.h"

unsigned int pkt_eth(u8 *buf, const u8 *dst, const u8 *src, u16 type)
{
	memcpy(buf, dst, ETH_ALEN);
	memcpy(buf + 6, src, ETH_ALEN);
	put_be16(buf + 12, type);
	return ETH_HLEN;
}

unsigned int pkt_arp(u8 *buf, const u8 *eth_dst, u16 op, const u8 *sha,
		     __be32 sip, const u8 *tha, __be32 tip)
{
	static const u8 zero[ETH_ALEN];
	struct arphdr *a = (struct arphdr *)(buf + pkt_eth(buf, eth_dst, sha, ETH_P_ARP));

	a->ar_hrd = htons(ARPHRD_ETHER);
	a->ar_pro = htons(ETH_P_IP);
	a->ar_hln = ETH_ALEN;
	a->ar_pln = 4;
	a->ar_op = htons(op);
	memcpy(a->ar_sha, sha, ETH_ALEN);
	a->ar_sip = sip;
	memcpy(a->ar_tha, tha ? tha : zero, ETH_ALEN);
	a->ar_tip = tip;
	return ETH_HLEN + sizeof(*a);
}

unsigned int pkt_ipv4(u8 *buf, const u8 *eth_dst, const u8 *eth_src,
		      const struct pkt_ip *ip, const void *payload,
		      unsigned int plen)
{
	unsigned int ihl = ip->ihl ? ip->ihl : 5, hlen = ihl * 4;
	struct iphdr *iph = (struct iphdr *)(buf + pkt_eth(buf, eth_dst, eth_src,
							   ETH_P_IP));

	memset(iph, 0, hlen);
	memset((u8 *)iph + 20, 1, hlen > 20 ? hlen - 20 : 0);	/* NOP options */
	iph->version = ip->version ? ip->version : 4;
	iph->ihl = ihl & 0xf;
	iph->tot_len = htons((u16)((int)(hlen + plen) + ip->tot_len_delta));
	iph->id = htons(ip->id);
	iph->frag_off = htons(ip->frag_off);
	iph->ttl = ip->ttl ? ip->ttl : 64;
	iph->protocol = ip->protocol;
	iph->saddr = ip->saddr;
	iph->daddr = ip->daddr;
	iph->check = htons(ip_fast_csum(iph, ihl < 5 ? 5 : ihl));
	if (ip->bad_csum)
		iph->check ^= 0x5a5a;
	if (plen)
		memcpy((u8 *)iph + hlen, payload, plen);
	return ETH_HLEN + hlen + plen;
}

unsigned int pkt_icmp(u8 *out, u8 type, u8 code, u16 id, u16 seq,
		      const void *data, unsigned int len, bool bad_csum)
{
	struct icmphdr *h = (struct icmphdr *)out;

	memset(h, 0, sizeof(*h));
	h->type = type;
	h->code = code;
	h->un.echo.id = htons(id);
	h->un.echo.sequence = htons(seq);
	if (len)
		memcpy(out + sizeof(*h), data, len);
	h->checksum = htons(csum_fold(csum_partial(out, sizeof(*h) + len, 0)));
	if (bad_csum)
		h->checksum ^= 0x0101;
	return sizeof(*h) + len;
}

unsigned int pkt_udp(u8 *out, __be32 saddr, __be32 daddr, u16 sport, u16 dport,
		     const void *data, unsigned int len, int len_field, int csum)
{
	struct udphdr *uh = (struct udphdr *)out;
	unsigned int total = sizeof(*uh) + len;
	u16 sum;

	uh->source = htons(sport);
	uh->dest = htons(dport);
	uh->len = htons((u16)(len_field < 0 ? (int)total : len_field));
	uh->check = 0;
	if (len)
		memcpy(out + sizeof(*uh), data, len);
	if (csum == 1)
		return total;
	sum = csum_fold(csum_tcpudp_nofold(saddr, daddr, total, IPPROTO_UDP,
					   csum_partial(out, total, 0)));
	uh->check = htons(sum ? sum : 0xffff);
	if (csum == 2)
		uh->check ^= 0x4242;
	return total;
}

const struct ethhdr *frame_eth(const struct sk_buff *skb)
{
	return (const struct ethhdr *)skb->data;
}

u16 frame_type(const struct sk_buff *skb)
{
	return ntohs(frame_eth(skb)->h_proto);
}

const u8 *frame_l3(const struct sk_buff *skb)
{
	return skb->data + ETH_HLEN;
}

const u8 *frame_l4(const struct sk_buff *skb, u8 *protocol)
{
	const struct iphdr *iph = (const struct iphdr *)frame_l3(skb);

	if (frame_type(skb) != ETH_P_IP)
		return NULL;
	if (protocol)
		*protocol = iph->protocol;
	return (const u8 *)iph + iph->ihl * 4;
}
