/*
 * ICMP (RFC 792, RFC 1122 §3.2.2): echo, the errors we send (destination
 * unreachable, time exceeded), and errors we receive, handed to the
 * protocol of the quoted header (inet_protos[]->err_handler).
 */
#ifndef NET_ICMP_H
#define NET_ICMP_H

#include "lib/compiler.h"
#include "net/skbuff.h"

struct icmphdr {
	u8 type;
	u8 code;
	__sum16 checksum;
	union {
		struct {
			__be16 id;
			__be16 sequence;
		} echo;
		__be32 gateway;
		struct {
			__be16 unused;
			__be16 mtu;
		} frag;
	} un;
} __packed;
BUILD_BUG_ON(sizeof(struct icmphdr) != 8);

#define ICMP_ECHOREPLY		0
#define ICMP_DEST_UNREACH	3
#define ICMP_SOURCE_QUENCH	4
#define ICMP_REDIRECT		5
#define ICMP_ECHO		8
#define ICMP_TIME_EXCEEDED	11
#define ICMP_PARAMETERPROB	12

/* ICMP_DEST_UNREACH codes */
#define ICMP_NET_UNREACH	0
#define ICMP_HOST_UNREACH	1
#define ICMP_PROT_UNREACH	2
#define ICMP_PORT_UNREACH	3
#define ICMP_FRAG_NEEDED	4
/* ICMP_TIME_EXCEEDED codes */
#define ICMP_EXC_TTL		0
#define ICMP_EXC_FRAGTIME	1

/* Error rate limit: a token bucket of ICMP_RATE_BURST, refilled 1 per ms. */
#define ICMP_RATE_BURST		50
#define ICMP_RATE_PER_SEC	1000

int icmp_rcv(struct sk_buff *skb);
/*
 * Send an error about @skb_in (network header set at its IP header). Not
 * sent about an ICMP error, a broadcast or multicast, a non-first
 * fragment, or when rate-limited (counted). @skb_in is not consumed.
 */
void icmp_send(struct sk_buff *skb_in, int type, int code, u32 info);
/* Send an echo request with @len bytes of payload. 0 or -errno. */
int icmp_send_echo(__be32 daddr, u16 id, u16 seq, unsigned int len);
/* Called for each echo reply received (ping); NULL: none. */
extern void (*icmp_echo_reply_hook)(__be32 saddr, u16 id, u16 seq,
				    unsigned int len);
/* Map an ICMP error to the errno a socket reports. */
int icmp_err_to_errno(int type, int code);
void icmp_init(void);

#endif
