/*
 * test=uaccess: copy_from_user, copy_to_user and strncpy_from_user on a
 * small address space the test thread borrows (as Linux's kthread_use_mm):
 * mapped pages copy, everything else is -EFAULT and never a kernel fault:
 * read-only pages for writes, PROT_NONE and absent pages, ranges that run
 * off a mapping, wrap around, or reach kernel addresses.
 */
#include "kernel/mm.h"
#include "kernel/printk.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/selftest.h"
#include "kernel/uaccess.h"
#include "lib/errno.h"
#include "lib/string.h"

#define RW_PAGES	0x400000ULL	/* two pages, user read-write */
#define RO_PAGE		0x500000ULL	/* one page, user read-only */
#define NONE_PAGE	0x600000ULL	/* PROT_NONE */

static int fails;

static void expect(const char *what, long got, long want)
{
	if (got != want) {
		printk("selftest uaccess: %s: got %ld, want %ld\n", what, got, want);
		fails++;
	}
}

static void copies(void)
{
	char buf[32], out[32];
	void __user *rw_end = (void __user *)(RW_PAGES + 2 * PAGE_SIZE - 8);

	memset(buf, 'x', sizeof(buf));
	expect("to_user across two pages",
	       copy_to_user((void __user *)(RW_PAGES + PAGE_SIZE - 8), buf, 16), 0);
	expect("from_user across two pages",
	       copy_from_user(out, (void __user *)(RW_PAGES + PAGE_SIZE - 8), 16), 0);
	expect("what was written is read", memcmp(buf, out, 16), 0);
	expect("to_user into a read-only page",
	       copy_to_user((void __user *)RO_PAGE, buf, 4), -EFAULT);
	expect("from_user of a read-only page", copy_from_user(out, (void __user *)RO_PAGE, 4), 0);
	expect("from_user of PROT_NONE", copy_from_user(out, (void __user *)NONE_PAGE, 4), -EFAULT);
	expect("from_user running off the mapping", copy_from_user(out, rw_end, 16), -EFAULT);
	expect("from_user of page 0", copy_from_user(out, (void __user *)0, 4), -EFAULT);
	expect("from_user of the kernel image",
	       copy_from_user(out, (void __user *)KERNEL_VMA, 4), -EFAULT);
	expect("from_user of the direct map",
	       copy_from_user(out, (void __user *)PAGE_OFFSET, 4), -EFAULT);
	expect("to_user wrapping past USER_TOP",
	       copy_to_user((void __user *)(USER_TOP - 8), buf, 16), -EFAULT);
	expect("from_user wrapping the address space",
	       copy_from_user(out, (void __user *)~0UL, 2), -EFAULT);
}

static void strings(void)
{
	char out[32];
	void __user *last = (void __user *)(RW_PAGES + 2 * PAGE_SIZE - 4);

	copy_to_user((void __user *)RW_PAGES, "hello", 6);
	expect("strncpy_from_user of \"hello\"",
	       strncpy_from_user(out, (void __user *)RW_PAGES, sizeof(out)), 5);
	expect("the string arrived", strcmp(out, "hello"), 0);
	expect("strncpy_from_user stops at count",
	       strncpy_from_user(out, (void __user *)RW_PAGES, 3), 3);
	copy_to_user(last, "abcd", 4);	/* no NUL before the mapping ends */
	expect("strncpy_from_user running off the mapping",
	       strncpy_from_user(out, last, sizeof(out)), -EFAULT);
	expect("strncpy_from_user of a kernel address",
	       strncpy_from_user(out, (void __user *)KERNEL_VMA, sizeof(out)), -EFAULT);
}

static int test_uaccess(void)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm || mm_map_zero(mm, RW_PAGES, 2 * PAGE_SIZE, PTE_P | PTE_W | PTE_NX) ||
	    mm_map_zero(mm, RO_PAGE, PAGE_SIZE, PTE_P | PTE_NX) ||
	    mm_map_zero(mm, NONE_PAGE, PAGE_SIZE, 0))
		return 1;
	fails = 0;
	current->mm = mm;	/* borrowed: copies walk its page table */
	copies();
	strings();
	current->mm = NULL;
	mm_release(mm);
	printk("selftest uaccess: %d failed checks\n", fails);
	return fails;
}
DEFINE_SELFTEST(uaccess, test_uaccess, "user pointers: copies, -EFAULT, never a kernel fault");
