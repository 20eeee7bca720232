/* lib/string.c: the kernel's own mem* and str* against C's definitions. */
#include <criterion/criterion.h>
#include "tests/host/krename.h"
#include "lib/string.h"

Test(string, memmove_overlaps_both_ways)
{
	char b[16] = "abcdefghij";

	memmove(b + 2, b, 5);
	cr_assert_eq(memcmp(b, "ababcdehij", 10), 0);
	memmove(b, b + 2, 5);
	cr_assert_eq(memcmp(b, "abcdedehij", 10), 0);
}

Test(string, memcpy_memset_memchr)
{
	char a[8], b[8] = "1234567";

	memset(a, 'x', sizeof(a));
	cr_assert_eq(a[7], 'x');
	memcpy(a, b, 8);
	cr_assert_str_eq(a, "1234567");
	cr_assert_eq(memchr(a, '5', 8), a + 4);
	cr_assert_null(memchr(a, '9', 8));
	cr_assert(memcmp("abc", "abd", 3) < 0);
}

Test(string, str_functions)
{
	cr_assert_eq(strlen(""), 0);
	cr_assert_eq(strnlen("abcdef", 3), 3);
	cr_assert(strcmp("a", "b") < 0);
	cr_assert(strcmp("b", "a") > 0);
	cr_assert_eq(strcmp("same", "same"), 0);
	cr_assert_eq(strncmp("abcX", "abcY", 3), 0);
	cr_assert_str_eq(strchr("a=b", '='), "=b");
	cr_assert_str_eq(strrchr("a/b/c", '/'), "/c");
	cr_assert_str_eq(strstr("hello world", "wor"), "world");
	cr_assert_null(strstr("hello", "xyz"));
}

Test(string, strlcpy_truncates_and_terminates)
{
	char b[4];

	cr_assert_eq(strlcpy(b, "abcdef", sizeof(b)), 6);
	cr_assert_str_eq(b, "abc");
	cr_assert_eq(strlcpy(b, "ab", sizeof(b)), 2);
	cr_assert_str_eq(b, "ab");
}
