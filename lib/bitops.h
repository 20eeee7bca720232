/*
 * Bit helpers: single bits, masks, find-first-set, power-of-two rounding,
 * and bitmaps of unsigned longs as Linux lays them out.
 */
#ifndef LIB_BITOPS_H
#define LIB_BITOPS_H

#include "lib/compiler.h"

#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK(h, l)		((~0UL << (l)) & (~0UL >> (63 - (h))))
#define BITS_PER_LONG		64
#define BITS_TO_LONGS(n)	DIV_ROUND_UP(n, BITS_PER_LONG)

/* Index of the lowest set bit; @x must not be 0. */
static inline unsigned int __ffs(unsigned long x)
{
	return (unsigned int)__builtin_ctzl(x);
}

/* Index of the highest set bit; @x must not be 0. */
static inline unsigned int __fls(unsigned long x)
{
	return 63u - (unsigned int)__builtin_clzl(x);
}

/* 1-based position of the highest set bit, 0 for 0 (as Linux's fls64). */
static inline unsigned int fls64(u64 x)
{
	return x ? 64u - (unsigned int)__builtin_clzll(x) : 0;
}

static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

/* Smallest power of two >= @n; 1 for 0. */
static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << fls64(n - 1);
}

static inline unsigned int ilog2(unsigned long n)
{
	return __fls(n);
}

static inline void set_bit(unsigned int nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] |= BIT(nr % BITS_PER_LONG);
}

static inline void clear_bit(unsigned int nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] &= ~BIT(nr % BITS_PER_LONG);
}

static inline bool test_bit(unsigned int nr, const unsigned long *map)
{
	return map[nr / BITS_PER_LONG] & BIT(nr % BITS_PER_LONG);
}

unsigned long find_next_bit(const unsigned long *map, unsigned long size,
			    unsigned long offset);
unsigned long find_next_zero_bit(const unsigned long *map, unsigned long size,
				 unsigned long offset);

#define find_first_bit(map, size)	find_next_bit(map, size, 0)
#define find_first_zero_bit(map, size)	find_next_zero_bit(map, size, 0)

#endif
