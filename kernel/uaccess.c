/*
 * copy_from_user and friends (kernel/uaccess.h): the range check, then a
 * page-by-page walk of the current program's page table.
 */
#include "kernel/uaccess.h"
#include "kernel/mm.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "lib/errno.h"
#include "lib/string.h"

bool access_ok(const void __user *addr, size_t n)
{
	u64 a = (u64)(uintptr_t)addr;

	return a < USER_TOP && n <= USER_TOP - a;
}

/* The kernel's view of user address @va, or NULL if the program may not touch it. */
static void *user_page(u64 va, bool write)
{
	struct mm_struct *mm = current->mm;
	u64 need = PTE_P | PTE_U | (write ? PTE_W : 0);
	u64 *pte;

	if (!mm)
		return NULL;
	pte = lookup_pte(mm->pml4, va);
	if (!pte || (*pte & need) != need)
		return NULL;
	return (u8 *)phys_to_virt(*pte & PTE_ADDR_MASK) + (va & (PAGE_SIZE - 1));
}

static int copy_user(void *kbuf, u64 uaddr, size_t n, bool to_user)
{
	u8 *k = kbuf;

	if (!access_ok((const void *)(uintptr_t)uaddr, n))
		return -EFAULT;
	while (n) {
		size_t chunk = min_t(size_t, n, PAGE_SIZE - (uaddr & (PAGE_SIZE - 1)));
		void *u = user_page(uaddr, to_user);

		if (!u)
			return -EFAULT;
		if (to_user)
			memcpy(u, k, chunk);
		else
			memcpy(k, u, chunk);
		k += chunk;
		uaddr += chunk;
		n -= chunk;
	}
	return 0;
}

int copy_from_user(void *dst, const void __user *src, size_t n)
{
	return copy_user(dst, (u64)(uintptr_t)src, n, false);
}

int copy_to_user(void __user *dst, const void *src, size_t n)
{
	return copy_user((void *)src, (u64)(uintptr_t)dst, n, true);
}

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	u64 a = (u64)(uintptr_t)src;
	long i;

	for (i = 0; i < count; i++, a++) {
		const char *u;

		if (a >= USER_TOP || !(u = user_page(a, false)))
			return -EFAULT;
		dst[i] = *u;
		if (!*u)
			return i;
	}
	return count;
}
