/*
 * kernel/random.h on the host: a seeded xorshift64* generator, so a test
 * that depends on random IDs repeats exactly. host_random_seed() sets it.
 */
#include <string.h>

#include "kernel/random.h"
#include "tests/host/host_random.h"

static u64 rng = 0x2545f4914f6cdd1dull;

void host_random_seed(u64 seed)
{
	rng = seed ? seed : 0x2545f4914f6cdd1dull;
}

static u64 next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

void get_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;

	while (len) {
		u64 v = next();
		size_t n = len < sizeof(v) ? len : sizeof(v);

		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
}

u32 get_random_u32(void)
{
	return (u32)(next() >> 32);
}
