/*
 * copy_from_user and friends on the host: "user memory" is the test's
 * own memory, and the pointers a real program could not pass are the
 * ones tests use to provoke -EFAULT: anything in the first 64 KiB (NULL
 * and small integers) and the kernel half's addresses.
 */
#include <string.h>

#include "kernel/uaccess.h"
#include "lib/errno.h"

#define HOST_USER_MIN	0x10000UL
#define HOST_USER_TOP	0x0000800000000000UL

bool access_ok(const void __user *addr, size_t n)
{
	unsigned long a = (unsigned long)addr;

	return a >= HOST_USER_MIN && a < HOST_USER_TOP && n <= HOST_USER_TOP - a;
}

int copy_from_user(void *dst, const void __user *src, size_t n)
{
	if (!n)
		return 0;
	if (!access_ok(src, n))
		return -EFAULT;
	memcpy(dst, src, n);
	return 0;
}

int copy_to_user(void __user *dst, const void *src, size_t n)
{
	if (!n)
		return 0;
	if (!access_ok(dst, n))
		return -EFAULT;
	memcpy(dst, src, n);
	return 0;
}

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	long i;

	if (!access_ok(src, 1))
		return -EFAULT;
	for (i = 0; i < count; i++) {
		dst[i] = src[i];
		if (!src[i])
			return i;
	}
	return count;
}
