/*
 * Packet builder for tests: Ethernet, ARP, IPv4, ICMP and UDP frames with
 * correct fields by default and any of them deliberately wrong on request.
 * Every builder writes into a caller's buffer and returns the length.
 */
#ifndef TESTS_HOST_PKTBUILD_H
#define TESTS_HOST_PKTBUILD_H

#include "lib/types.h"
#include "net/netdevice.h"

#define PKT_MAX	70000

unsigned int pkt_eth(u8 *buf, const u8 *dst, const u8 *src, u16 type);
unsigned int pkt_arp(u8 *buf, const u8 *eth_dst, u16 op, const u8 *sha,
		     __be32 sip, const u8 *tha, __be32 tip);

/* IPv4 header fields; zero means "the sensible default". */
struct pkt_ip {
	__be32 saddr, daddr;
	u8 protocol;
	u8 ttl;			/* 0: 64 */
	u16 id;
	u16 frag_off;		/* host order, flags included */
	u8 ihl;			/* 0: 5; >5 adds NOP options */
	u8 version;		/* 0: 4 */
	int tot_len_delta;	/* added to the correct total length */
	bool bad_csum;
};

/* Ethernet + IPv4 header + @payload. */
unsigned int pkt_ipv4(u8 *buf, const u8 *eth_dst, const u8 *eth_src,
		      const struct pkt_ip *ip, const void *payload,
		      unsigned int plen);
/* ICMP message (header + @len data) into @out; returns its length. */
unsigned int pkt_icmp(u8 *out, u8 type, u8 code, u16 id, u16 seq,
		      const void *data, unsigned int len, bool bad_csum);
/* UDP datagram into @out. @len_field < 0: correct; csum: 0 ok, 1 none, 2 wrong. */
unsigned int pkt_udp(u8 *out, __be32 saddr, __be32 daddr, u16 sport, u16 dport,
		     const void *data, unsigned int len, int len_field, int csum);

/* Views of a captured frame (data at the Ethernet header). */
const struct ethhdr *frame_eth(const struct sk_buff *skb);
u16 frame_type(const struct sk_buff *skb);
const u8 *frame_l3(const struct sk_buff *skb);
/* The IPv4 payload of a captured frame, or NULL if not IPv4. */
const u8 *frame_l4(const struct sk_buff *skb, u8 *protocol);

#endif
