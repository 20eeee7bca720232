/*
 * The Internet checksum (RFC 1071): the ones'-complement sum of 16-bit
 * big-endian words. Sums here are host-order values of those words
 * (a u32 accumulator, folded at the end); the result of csum_fold() is the
 * 16-bit field to store with put_be16(). A header that includes its own
 * correct checksum sums (and folds) to zero.
 */
#ifndef NET_CHECKSUM_H
#define NET_CHECKSUM_H

#include "lib/types.h"

/* Add @len bytes at @buf to @sum (an odd tail byte is padded with zero). */
u32 csum_partial(const void *buf, unsigned int len, u32 sum);
/* Fold to 16 bits and complement: the value for the checksum field. */
u16 csum_fold(u32 sum);
/* Checksum of an IPv4 header of @ihl words. */
u16 ip_fast_csum(const void *iph, unsigned int ihl);
/* TCP/UDP pseudo-header sum (RFC 768, RFC 9293 §3.1); addresses in network order. */
u32 csum_tcpudp_nofold(__be32 saddr, __be32 daddr, unsigned int len, u8 proto,
		       u32 sum);

#endif
