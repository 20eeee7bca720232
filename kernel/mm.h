/*
 * Physical memory: a page allocator over the boot memory map, the kernel's
 * page tables (direct map, kernel image, user half), and ioremap for MMIO.
 * Pages are handed out as direct-map virtual addresses; virt_to_phys()
 * (kernel/memlayout.h) gives the physical address a device needs for DMA.
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include "kernel/memlayout.h"
#include "lib/types.h"

struct boot_info;

struct mem_stats {
	u64 total;		/* usable RAM in the boot map, bytes */
	u64 free;		/* free now */
	u64 reserved_boot;	/* below 1 MiB, modules, allocator bitmap */
	u64 kernel_image;	/* _kernel_start.._end */
	u64 page_tables;	/* pages used for paging structures */
};

void page_alloc_init(const struct boot_info *bi);
/* @npages physically contiguous pages, or NULL. Not zeroed. */
void *alloc_pages_exact(size_t npages);
void free_pages_exact(void *va, size_t npages);
void *get_zeroed_page(void);
void free_page(void *va);
void mem_get_stats(struct mem_stats *st);
/* One past the highest usable physical address. */
u64 mem_top(void);

/* Fault injection (tests): fail the next @n page allocations. */
void mm_fail_next(unsigned int n);

/* Page-table entry bits. */
#define PTE_P		(1ULL << 0)
#define PTE_W		(1ULL << 1)
#define PTE_U		(1ULL << 2)
#define PTE_PWT		(1ULL << 3)
#define PTE_PCD		(1ULL << 4)
#define PTE_PS		(1ULL << 7)	/* 2 MiB page in a PD entry */
#define PTE_G		(1ULL << 8)
#define PTE_NX		(1ULL << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000ULL

void paging_init(void);
/* Map @size bytes of MMIO at @phys uncached; returns its virtual address. */
void *ioremap(u64 phys, size_t size);
/* The kernel's PML4 (physical); user address spaces copy its upper half. */
u64 kernel_pml4_phys(void);
/* Map one 4 KiB page in the page table rooted at @pml4_phys. 0 or -ENOMEM. */
int map_page(u64 pml4_phys, u64 va, u64 pa, u64 flags);
/* The PTE for @va under @pml4_phys, or NULL if no 4 KiB mapping exists. */
u64 *lookup_pte(u64 pml4_phys, u64 va);

extern char _kernel_start[], _edata[], _end[];

#endif
