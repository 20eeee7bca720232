/*
 * SipHash-c-d over a byte string, as the paper specifies it: c compression
 * rounds per 8-byte word, d finalization rounds, the length in the top
 * byte of the last word, little-endian words. siphash() is SipHash-2-4;
 * hsiphash() is the low 32 bits of SipHash-1-3, which is what Linux's
 * hsiphash() computes on 64-bit machines.
 */
#include "lib/siphash.h"
#include "lib/string.h"

#define ROTL(x, b)	(u64)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND(v0, v1, v2, v3)				\
	do {							\
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0;		\
		v0 = ROTL(v0, 32);				\
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;		\
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;		\
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2;		\
		v2 = ROTL(v2, 32);				\
	} while (0)

/* The last 0..7 bytes, little-endian. */
static u64 load_le_tail(const u8 *p, size_t n)
{
	u64 v = 0;

	for (size_t i = 0; i < n; i++)
		v |= (u64)p[i] << (8 * i);
	return v;
}

/* A whole word: x86-64 is little-endian, so one unaligned load. */
static u64 load_le64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline u64 siphash_cd(const void *data, size_t len,
			     const siphash_key_t *key, int c, int d)
{
	const u8 *p = data;
	u64 v0 = 0x736f6d6570736575ULL ^ key->key[0];
	u64 v1 = 0x646f72616e646f6dULL ^ key->key[1];
	u64 v2 = 0x6c7967656e657261ULL ^ key->key[0];
	u64 v3 = 0x7465646279746573ULL ^ key->key[1];
	size_t left = len;
	u64 m;

	for (; left >= 8; left -= 8, p += 8) {
		m = load_le64(p);
		v3 ^= m;
		for (int i = 0; i < c; i++)
			SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	m = load_le_tail(p, left) | (u64)(len & 0xff) << 56;
	v3 ^= m;
	for (int i = 0; i < c; i++)
		SIPROUND(v0, v1, v2, v3);
	v0 ^= m;
	v2 ^= 0xff;
	for (int i = 0; i < d; i++)
		SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

u64 siphash(const void *data, size_t len, const siphash_key_t *key)
{
	return siphash_cd(data, len, key, 2, 4);
}

u32 hsiphash(const void *data, size_t len, const siphash_key_t *key)
{
	return (u32)siphash_cd(data, len, key, 1, 3);	/* the low half */
}
