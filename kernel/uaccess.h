/*
 * Moving data across the user/kernel boundary. Every pointer a program
 * passes is checked here: it must lie in the user half and every page it
 * touches must be mapped present and user-accessible (and writable for
 * copy_to_user) in the program's page table. The copy goes through the
 * kernel's direct map of those pages, so a bad pointer is -EFAULT and
 * never a fault in the kernel.
 */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include "lib/types.h"

#define __user

/* 0, or -EFAULT if any byte of the range is not the program's. */
int copy_from_user(void *dst, const void __user *src, size_t n);
int copy_to_user(void __user *dst, const void *src, size_t n);
/*
 * Copy a NUL-terminated string of at most @count bytes: its length
 * (without the NUL; @count if none came within @count bytes), or -EFAULT.
 */
long strncpy_from_user(char *dst, const char __user *src, long count);
/* Is [@addr, @addr + @n) wholly in the user half? (No page check.) */
bool access_ok(const void __user *addr, size_t n);

#endif
