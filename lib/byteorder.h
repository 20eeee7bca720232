/*
 * Host <-> network byte order. x86-64 is little-endian; the wire is big.
 */
#ifndef LIB_BYTEORDER_H
#define LIB_BYTEORDER_H

#include "lib/types.h"

static inline u16 bswap16(u16 x) { return __builtin_bswap16(x); }
static inline u32 bswap32(u32 x) { return __builtin_bswap32(x); }

#define htons(x)	((__be16)bswap16((u16)(x)))
#define ntohs(x)	((u16)bswap16((__be16)(x)))
#define htonl(x)	((__be32)bswap32((u32)(x)))
#define ntohl(x)	((u32)bswap32((__be32)(x)))

/* Unaligned big-endian loads and stores for parsers and builders. */
static inline u16 get_be16(const void *p)
{
	const u8 *b = p;
	return (u16)(b[0] << 8 | b[1]);
}

static inline u32 get_be32(const void *p)
{
	const u8 *b = p;
	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline void put_be16(void *p, u16 v)
{
	u8 *b = p;
	b[0] = v >> 8;
	b[1] = v & 0xff;
}

static inline void put_be32(void *p, u32 v)
{
	u8 *b = p;
	b[0] = v >> 24;
	b[1] = (v >> 16) & 0xff;
	b[2] = (v >> 8) & 0xff;
	b[3] = v & 0xff;
}

#endif
