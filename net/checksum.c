/* The Internet checksum (RFC 1071), see net/checksum.h. */
#include "net/checksum.h"
#include "lib/byteorder.h"

u32 csum_partial(const void *buf, unsigned int len, u32 sum)
{
	const u8 *p = buf;
	u64 acc = sum;

	for (; len >= 2; len -= 2, p += 2)
		acc += get_be16(p);
	if (len)
		acc += (u32)p[0] << 8;
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (u32)acc;
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
