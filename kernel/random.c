/*
 * get_random_bytes(): RDRAND when CPUID offers it (QEMU's -cpu max does),
 * each word mixed with the TSC through a SplitMix64 finaliser so that a
 * missing or failing RDRAND still yields varied (though not
 * cryptographically strong) bytes from TSC jitter.
 */
#include "kernel/random.h"
#include "kernel/x86.h"
#include "lib/string.h"

static int have_rdrand = -1;	/* unknown until first use */
static u64 pool;

static bool rdrand64(u64 *v)
{
	u8 ok;

	for (int i = 0; i < 10; i++) {	/* Intel SDM: retry a few times */
		__asm__ __volatile__("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

static u64 splitmix64(u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static u64 random_u64(void)
{
	u64 r = 0;

	if (have_rdrand < 0) {
		u32 a, b, c, d;

		cpuid(1, 0, &a, &b, &c, &d);
		have_rdrand = !!(c & (1u << 30));
	}
	if (have_rdrand && !rdrand64(&r))
		r = 0;
	pool = splitmix64(pool ^ rdtsc());
	return r ^ pool;
}

void get_random_bytes(void *buf, size_t n)
{
	u8 *p = buf;

	while (n) {
		u64 r = random_u64();
		size_t k = n < sizeof(r) ? n : sizeof(r);

		memcpy(p, &r, k);
		p += k;
		n -= k;
	}
}

u32 get_random_u32(void)
{
	return (u32)random_u64();
}
