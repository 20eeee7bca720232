/*
 * The kernel's page tables. paging_init() replaces the early boot tables
 * (boot/multiboot.S) with: the kernel image at KERNEL_VMA (kept from boot),
 * a direct map of all RAM at PAGE_OFFSET in 2 MiB pages (no-execute), and
 * nothing in the lower half, which belongs to the user program. MMIO is
 * mapped on demand by ioremap() with caching off.
 */
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/x86.h"
#include "lib/errno.h"
#include "lib/string.h"

static u64 kernel_pml4;

static u64 *table_at(u64 entry)
{
	return phys_to_virt(entry & PTE_ADDR_MASK);
}

/* The next-level table under @e, allocated if missing; NULL on ENOMEM. */
static u64 *next_level(u64 *e, u64 flags)
{
	if (!(*e & PTE_P)) {
		void *page = get_zeroed_page();

		if (!page)
			return NULL;
		*e = virt_to_phys(page) | PTE_P | PTE_W | (flags & PTE_U);
	} else if (flags & PTE_U) {
		*e |= PTE_U;
	}
	return table_at(*e);
}

int map_page(u64 pml4_phys, u64 va, u64 pa, u64 flags)
{
	u64 *t = phys_to_virt(pml4_phys);

	for (int shift = 39; shift > 12; shift -= 9) {
		u64 *e = &t[(va >> shift) & 511];

		if ((*e & PTE_P) && (*e & PTE_PS))
			return -EEXIST;		/* inside a large page */
		t = next_level(e, flags);
		if (!t)
			return -ENOMEM;
	}
	t[(va >> 12) & 511] = (pa & PTE_ADDR_MASK) | flags | PTE_P;
	invlpg(va);
	return 0;
}

u64 *lookup_pte(u64 pml4_phys, u64 va)
{
	u64 *t = phys_to_virt(pml4_phys);

	for (int shift = 39; shift > 12; shift -= 9) {
		u64 e = t[(va >> shift) & 511];

		if (!(e & PTE_P) || (e & PTE_PS))
			return NULL;
		t = table_at(e);
	}
	return &t[(va >> 12) & 511];
}

static void map_direct(u64 top)
{
	u64 *pml4 = phys_to_virt(kernel_pml4);

	for (u64 pa = 0; pa < top; pa += HPAGE_SIZE) {
		u64 va = PAGE_OFFSET + pa;
		u64 *pdpt = next_level(&pml4[(va >> 39) & 511], 0);
		u64 *pd = pdpt ? next_level(&pdpt[(va >> 30) & 511], 0) : NULL;

		if (!pd)
			panic("paging_init: out of memory for the direct map");
		pd[(va >> 21) & 511] = pa | PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX;
	}
}

void paging_init(void)
{
	u64 *early = phys_to_virt(read_cr3() & PTE_ADDR_MASK);
	u64 *pml4 = get_zeroed_page();
	u64 top = mem_top();

	if (!pml4)
		panic("paging_init: no page for the PML4");
	kernel_pml4 = virt_to_phys(pml4);
	pml4[511] = early[511];		/* the kernel image, as booted */
	map_direct(ALIGN(top > 0x40000000 ? top : 0x40000000, HPAGE_SIZE));
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	write_cr4(read_cr4() | (1 << 7));	/* PGE: global pages */
	write_cr3(kernel_pml4);
}

u64 kernel_pml4_phys(void)
{
	return kernel_pml4;
}

void *ioremap(u64 phys, size_t size)
{
	u64 start = ALIGN_DOWN(phys, PAGE_SIZE);
	u64 end = ALIGN(phys + size, PAGE_SIZE);

	for (u64 pa = start; pa < end; pa += PAGE_SIZE) {
		int err = map_page(kernel_pml4, PAGE_OFFSET + pa, pa,
				   PTE_W | PTE_PCD | PTE_PWT | PTE_NX | PTE_G);

		if (err == -EEXIST)
			continue;	/* already in the RAM direct map */
		if (err)
			return NULL;
	}
	return phys_to_virt(phys);
}
