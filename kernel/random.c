/*
 * Kernel randomness (kernel/random.h): a 256-bit state stirred with RDRAND
 * output when the CPU offers it and always with the TSC, then drawn
 * through a xorshift-multiply mixer. Not a CSPRNG; good enough for ISNs
 * and IDs on a test VM, and never the same across boots.
 */
#include "kernel/random.h"
#include "kernel/spinlock.h"
#include "kernel/x86.h"
#include "lib/string.h"

static u64 state[4];
static int have_rdrand = -1;	/* unknown until first use */
static DEFINE_SPINLOCK(random_lock);

static bool rdrand64(u64 *v)
{
	unsigned char ok;

	for (int i = 0; i < 10; i++) {
		__asm__ __volatile__("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

static u64 mix64(u64 z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* CPUID.01H:ECX bit 30 (Intel SDM Vol. 2A, CPUID). */
static bool cpu_rdrand(void)
{
	u32 a, b, c, d;

	if (have_rdrand < 0) {
		cpuid(1, 0, &a, &b, &c, &d);
		have_rdrand = (c >> 30) & 1;
	}
	return have_rdrand;
}

/* One step: TSC jitter and RDRAND into the state, 64 bits out. */
static u64 random_next(void)
{
	u64 hw = 0, out;

	if (cpu_rdrand())
		rdrand64(&hw);
	state[0] += mix64(rdtsc() ^ hw);
	state[1] ^= mix64(state[0] + 0x9e3779b97f4a7c15ull);
	state[2] += state[1] << 7 | state[1] >> 57;
	state[3] ^= state[2] + hw;
	out = mix64(state[0] ^ state[1] ^ state[2] ^ state[3]);
	return out;
}

void get_random_bytes(void *buf, size_t len)
{
	unsigned long flags;
	u8 *p = buf;

	spin_lock_irqsave(&random_lock, flags);
	while (len) {
		u64 v = random_next();
		size_t n = len < sizeof(v) ? len : sizeof(v);

		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
	spin_unlock_irqrestore(&random_lock, flags);
}

u32 get_random_u32(void)
{
	u32 v;

	get_random_bytes(&v, sizeof(v));
	return v;
}
