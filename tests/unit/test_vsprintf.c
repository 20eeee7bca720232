/* lib/vsprintf.c: C conversions, flags and the %pI4/%pM extensions. */
#include <criterion/criterion.h>
#include <stdio.h>
#include "tests/host/krename.h"
#include "lib/string.h"
#include "lib/vsprintf.h"

#define CHECK(expect, ...)						\
	do {								\
		char b[128];						\
		int n = snprintf(b, sizeof(b), __VA_ARGS__);		\
		cr_assert_str_eq(b, expect);				\
		cr_assert_eq(n, (int)sizeof(expect) - 1);		\
	} while (0)

Test(vsprintf, integers_match_c)
{
	CHECK("42", "%d", 42);
	CHECK("-42", "%d", -42);
	CHECK("-9223372036854775808", "%ld", (long)(-9223372036854775807L - 1));
	CHECK("18446744073709551615", "%lu", ~0UL);
	CHECK("ff", "%x", 255);
	CHECK("FF", "%X", 255);
	CHECK("0xff", "%#x", 255);
	CHECK("17", "%o", 15);
	CHECK("255", "%hhu", 511);
	CHECK("-1", "%hd", 65535);
}

Test(vsprintf, width_precision_flags)
{
	CHECK("   42", "%5d", 42);
	CHECK("42   |", "%-5d|", 42);
	CHECK("00042", "%05d", 42);
	CHECK("-0042", "%05d", -42);
	CHECK("+42", "%+d", 42);
	CHECK(" 42", "% d", 42);
	CHECK("  007", "%5.3d", 7);
	CHECK("", "%.0d", 0);
	CHECK("  abc", "%5s", "abc");
	CHECK("ab", "%.2s", "abc");
	CHECK("abc  |", "%-5s|", "abc");
	CHECK("   hi", "%*s", 5, "hi");
	CHECK("hi   |", "%*s|", -5, "hi");
	CHECK("x", "%c", 'x');
	CHECK("100%", "%d%%", 100);
	{
		const char *volatile nul = NULL;

		CHECK("(null)", "%s", nul);
	}
}

Test(vsprintf, pointer_extensions)
{
	unsigned char ip[4] = { 10, 0, 2, 15 };
	unsigned char mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

	CHECK("10.0.2.15", "%pI4", ip);
	CHECK("52:54:00:12:34:56", "%pM", mac);
	CHECK("   10.0.2.15|", "%12pI4|", ip);
	CHECK("0x1000", "%p", (void *)0x1000);
}

Test(vsprintf, truncation_reports_full_length)
{
	char b[4];
	int n = snprintf(b, sizeof(b), "%s", "abcdef");

	cr_assert_eq(n, 6);
	cr_assert_str_eq(b, "abc");
	cr_assert_eq(scnprintf(b, sizeof(b), "%s", "abcdef"), 3);
	cr_assert_eq(snprintf(NULL, 0, "%d", 12345), 5);
}
