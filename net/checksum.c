/* The Internet checksum (RFC 1071), see net/checksum.h. */
#include "net/checksum.h"
#include "lib/byteorder.h"

/* Native-order loads; x86-64 is little-endian and takes them unaligned. */
static inline u64 load64(const u8 *p)
{
	u64 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline u32 load32(const u8 *p)
{
	u32 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline u16 load16(const u8 *p)
{
	u16 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

/* Ones'-complement addition: the carry out of the top comes back in. */
static inline u64 add_end_around(u64 a, u64 b)
{
	u64 r;
	bool carry = __builtin_add_overflow(a, b, &r);

	return r + carry;
}

/*
 * RFC 1071 §2: the sum may be taken over wider words (C, parallel
 * summation: 64 bits at a time, folded at the end) and in either byte
 * order (B, byte order independence: a sum of little-endian words is the
 * big-endian sum with its two bytes swapped). So the loop adds native
 * 64-bit loads, and only the folded 16 bits are swapped.
 */
u32 csum_partial(const void *buf, unsigned int len, u32 sum)
{
	const u8 *p = buf;
	u64 acc = 0, r;

	for (; len >= 32; len -= 32, p += 32) {
		acc = add_end_around(acc, load64(p));
		acc = add_end_around(acc, load64(p + 8));
		acc = add_end_around(acc, load64(p + 16));
		acc = add_end_around(acc, load64(p + 24));
	}
	for (; len >= 8; len -= 8, p += 8)
		acc = add_end_around(acc, load64(p));
	if (len >= 4) {
		acc = add_end_around(acc, load32(p));
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		acc = add_end_around(acc, load16(p));
		p += 2;
		len -= 2;
	}
	if (len)
		acc = add_end_around(acc, p[0]);	/* the low byte of its word */
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	r = (u64)sum + bswap16((u16)acc);
	return (u32)((r & 0xffffffffu) + (r >> 32));
}

u16 csum_fold(u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

u16 ip_fast_csum(const void *iph, unsigned int ihl)
{
	return csum_fold(csum_partial(iph, ihl * 4, 0));
}

u32 csum_tcpudp_nofold(__be32 saddr, __be32 daddr, unsigned int len, u8 proto,
		       u32 sum)
{
	u8 pseudo[12];

	*(__be32 *)pseudo = saddr;
	*(__be32 *)(pseudo + 4) = daddr;
	pseudo[8] = 0;
	pseudo[9] = proto;
	put_be16(pseudo + 10, (u16)len);
	return csum_partial(pseudo, sizeof(pseudo), sum);
}
