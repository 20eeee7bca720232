/*
 * Bitmap searches for lib/bitops.h: used by the page allocator and by any
 * table that hands out small integers (fds, ports).
 */
#include "lib/bitops.h"

static unsigned long find_next(const unsigned long *map, unsigned long size,
			       unsigned long offset, unsigned long invert)
{
	unsigned long word;

	if (offset >= size)
		return size;
	word = (map[offset / BITS_PER_LONG] ^ invert) &
	       (~0UL << (offset % BITS_PER_LONG));
	offset = ALIGN_DOWN(offset, BITS_PER_LONG);
	while (!word) {
		offset += BITS_PER_LONG;
		if (offset >= size)
			return size;
		word = map[offset / BITS_PER_LONG] ^ invert;
	}
	offset += __ffs(word);
	return min(offset, size);
}

/* Index of the first set bit at or after @offset, or @size if none. */
unsigned long find_next_bit(const unsigned long *map, unsigned long size,
			    unsigned long offset)
{
	return find_next(map, size, offset, 0);
}

/* Index of the first clear bit at or after @offset, or @size if none. */
unsigned long find_next_zero_bit(const unsigned long *map, unsigned long size,
				 unsigned long offset)
{
	return find_next(map, size, offset, ~0UL);
}
