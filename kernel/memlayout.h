/*
 * The kernel's virtual address space (x86-64, 4-level paging):
 *
 *   0x0000000000000000 .. USER_TOP      the user program's half
 *   PAGE_OFFSET (0xffff888000000000)    direct map of all physical memory
 *   KERNEL_VMA  (0xffffffff80000000)    the kernel image (-mcmodel=kernel)
 *
 * The image is linked at KERNEL_VMA + 1 MiB and loaded at physical 1 MiB.
 */
#ifndef KERNEL_MEMLAYOUT_H
#define KERNEL_MEMLAYOUT_H

#define KERNEL_VMA	0xffffffff80000000
#define KERNEL_PHYS	0x100000
#define PAGE_OFFSET	0xffff888000000000
#define USER_TOP	0x0000800000000000

#define PAGE_SHIFT	12
#define PAGE_SIZE	4096
#define HPAGE_SIZE	0x200000	/* 2 MiB */

#ifndef __ASSEMBLER__
#include "lib/types.h"

static inline void *phys_to_virt(u64 pa)
{
	return (void *)(uintptr_t)(pa + PAGE_OFFSET);
}

/* Physical address of a direct-map or kernel-image address. */
static inline u64 virt_to_phys(const void *va)
{
	u64 v = (u64)(uintptr_t)va;

	return v >= KERNEL_VMA ? v - KERNEL_VMA : v - PAGE_OFFSET;
}
#endif

#endif
