/*
 * The Internet checksum (net/checksum.c) against RFC 1071's worked example
 * and against the plain definition, a big-endian 16-bit word at a time,
 * over every length and alignment the word-wide loop has a path for.
 */
#include <criterion/criterion.h>
#include "lib/byteorder.h"
#include "net/checksum.h"

/* RFC 1071 §1, word by word: the definition the fast loop must match. */
static u16 reference_fold(const u8 *p, unsigned int len, u32 sum)
{
	u64 acc = sum;

	for (; len >= 2; len -= 2, p += 2)
		acc += get_be16(p);
	if (len)
		acc += (u32)p[0] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (u16)~acc;
}

Test(checksum, rfc1071_example)
{
	/* RFC 1071 §3: these bytes sum to 0xddf2, so the field is 0x220d. */
	static const u8 b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	cr_assert_eq(csum_fold(csum_partial(b, sizeof(b), 0)), 0x220d);
	cr_assert_eq(csum_fold(csum_partial(b, 3, 0)), reference_fold(b, 3, 0));
}

Test(checksum, every_length_alignment_and_carry_matches_the_definition)
{
	static u8 buf[600];
	u64 x = 0x9e3779b97f4a7c15ull;

	for (unsigned int i = 0; i < sizeof(buf); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* Long runs of 0xff make the carries the loop must bring back. */
		buf[i] = i < 200 ? 0xff : (u8)x;
	}
	for (unsigned int off = 0; off < 8; off++)
		for (unsigned int len = 0; len + off <= sizeof(buf); len++) {
			u32 sum = (u32)(len * 2654435761u);

			cr_assert_eq(csum_fold(csum_partial(buf + off, len, sum)),
				     reference_fold(buf + off, len, sum),
				     "offset %u length %u", off, len);
		}
}

Test(checksum, chained_sums_fold_like_one_pass)
{
	static u8 buf[256];

	for (unsigned int i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i * 37 + 11);
	for (unsigned int cut = 0; cut <= sizeof(buf); cut += 2)
		cr_assert_eq(csum_fold(csum_partial(buf + cut, sizeof(buf) - cut,
						    csum_partial(buf, cut, 0))),
			     reference_fold(buf, sizeof(buf), 0), "cut at %u", cut);
}

Test(checksum, a_header_with_its_checksum_sums_to_zero)
{
	u8 iph[20] = { 0x45, 0, 0, 60, 0x1c, 0x46, 0x40, 0, 0x40, 6, 0, 0,
		       10, 0, 0, 1, 10, 0, 0, 2 };

	cr_assert_eq(ip_fast_csum(iph, 5), reference_fold(iph, sizeof(iph), 0));
	put_be16(iph + 10, ip_fast_csum(iph, 5));
	cr_assert_eq(ip_fast_csum(iph, 5), 0);
}
