/*
 * The user program's address space: a page table whose upper half is the
 * kernel's (shared PML4 entries) and whose lower half holds the program's
 * pages, all mapped PTE_U. brk, mmap and munmap (anonymous memory only)
 * change it with Linux's semantics; the page table itself is the record
 * of what is mapped (a PROT_NONE page is a non-present PTE marked
 * PTE_SW_RESERVED).
 */
#include "kernel/proc.h"
#include "kernel/fs.h"
#include "kernel/kthread.h"
#include "kernel/mm.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "kernel/x86.h"
#include "lib/errno.h"
#include "lib/string.h"

#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_FIXED_NOREPLACE	0x100000
#define MAP_SHARED_VALIDATE	0x03
#define MAP_32BIT	0x40
#define MAP_TYPE	0x0f
/* Flags with no effect here: no swap, no huge pages, nothing to populate. */
#define MAP_IGNORED	(0x0100 | 0x0800 | 0x1000 | 0x2000 | 0x4000 | \
			 0x8000 | 0x10000 | 0x20000 | 0x40000)

#define PAGE_ALIGN(x)	ALIGN((u64)(x), PAGE_SIZE)

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = get_zeroed_page();
	u64 *pml4, *kpml4;

	if (!mm)
		return NULL;
	pml4 = get_zeroed_page();
	if (!pml4) {
		free_page(mm);
		return NULL;
	}
	kpml4 = phys_to_virt(kernel_pml4_phys());
	for (int i = 256; i < 512; i++)		/* the kernel half, shared */
		pml4[i] = kpml4[i];
	mm->pml4 = virt_to_phys(pml4);
	mm->mmap_top = USER_MMAP_TOP;
	return mm;
}

static void free_table(u64 *t, int level)
{
	for (int i = 0; i < 512; i++) {
		if (!(t[i] & PTE_P))
			continue;
		if (level > 1)
			free_table(phys_to_virt(t[i] & PTE_ADDR_MASK), level - 1);
		else
			free_page(phys_to_virt(t[i] & PTE_ADDR_MASK));
	}
	free_page(t);
}

/* Free every user page and table; the kernel half is not ours to free. */
void mm_release(struct mm_struct *mm)
{
	u64 *pml4 = phys_to_virt(mm->pml4);

	sched_drop_mm(mm->pml4);
	for (int i = 0; i < 256; i++)
		if (pml4[i] & PTE_P)
			free_table(phys_to_virt(pml4[i] & PTE_ADDR_MASK), 3);
	free_page(pml4);
	free_page(mm);
}

static bool pte_in_use(u64 *pte)
{
	return pte && (*pte & (PTE_P | PTE_SW_RESERVED));
}

/*
 * Where a walk from @va may next find a page: @va itself if its page table
 * exists, else the end of the region the first missing table would cover,
 * so a walk over a huge empty range takes a few steps, not one per page.
 */
static u64 next_maybe_mapped(const struct mm_struct *mm, u64 va)
{
	u64 *t = phys_to_virt(mm->pml4);

	for (int shift = 39; shift > 12; shift -= 9) {
		u64 e = t[(va >> shift) & 511];

		if (!(e & PTE_P))
			return ALIGN_DOWN(va, 1ULL << shift) + (1ULL << shift);
		t = phys_to_virt(e & PTE_ADDR_MASK);
	}
	return va;
}

/* The first page in use in [@va, @va + @len), or @va + @len if none. */
static u64 first_in_use(struct mm_struct *mm, u64 va, u64 len)
{
	u64 end = va + len;

	while (va < end) {
		u64 next = next_maybe_mapped(mm, va);

		if (next != va) {
			va = next;
			continue;
		}
		if (pte_in_use(lookup_pte(mm->pml4, va)))
			return va;
		va += PAGE_SIZE;
	}
	return end;
}

/* Can @len more bytes of pages be had at all? (Refuse absurd sizes early.) */
static bool pages_available(u64 len)
{
	struct mem_stats st;

	mem_get_stats(&st);
	return len <= st.free;
}

static void unmap_one(struct mm_struct *mm, u64 va)
{
	u64 *pte = lookup_pte(mm->pml4, va);

	if (!pte_in_use(pte))
		return;
	if (*pte & PTE_P) {
		free_page(phys_to_virt(*pte & PTE_ADDR_MASK));
		mm->pages--;
	}
	*pte = 0;
	invlpg(va);
}

void mm_unmap(struct mm_struct *mm, u64 va, u64 len)
{
	u64 end = va + len;

	for (u64 a = first_in_use(mm, va, len); a < end;
	     a = first_in_use(mm, a + PAGE_SIZE, end - a - PAGE_SIZE))
		unmap_one(mm, a);
}

int mm_map_zero(struct mm_struct *mm, u64 va, u64 len, u64 pte_flags)
{
	for (u64 a = va; a < va + len; a += PAGE_SIZE) {
		void *page;
		int err;

		if (pte_in_use(lookup_pte(mm->pml4, a)))
			continue;	/* shared with the previous segment */
		if (!(pte_flags & PTE_P)) {	/* PROT_NONE: reserve only */
			err = map_page(mm->pml4, a, 0, PTE_U);
			if (!err) {
				*lookup_pte(mm->pml4, a) = PTE_SW_RESERVED;
				invlpg(a);
			}
		} else {
			page = get_zeroed_page();
			err = page ? map_page(mm->pml4, a, virt_to_phys(page),
					      pte_flags | PTE_U) : -ENOMEM;
			if (err && page)
				free_page(page);
			if (!err)
				mm->pages++;
		}
		if (err) {
			mm_unmap(mm, va, a - va);
			return err;
		}
	}
	return 0;
}

void mm_protect(struct mm_struct *mm, u64 va, u64 len, u64 pte_flags)
{
	for (u64 a = va; a < va + len; a += PAGE_SIZE) {
		u64 *pte = lookup_pte(mm->pml4, a);

		if (pte && (*pte & PTE_P)) {
			*pte = (*pte & PTE_ADDR_MASK) | pte_flags | PTE_U | PTE_P;
			invlpg(a);
		}
	}
}

int mm_copy_to(struct mm_struct *mm, u64 va, const void *src, size_t len)
{
	const u8 *s = src;

	while (len) {
		u64 *pte = lookup_pte(mm->pml4, va);
		size_t off = va & (PAGE_SIZE - 1), n = min_t(size_t, len, PAGE_SIZE - off);

		if (!pte || !(*pte & PTE_P))
			return -EFAULT;
		memcpy((u8 *)phys_to_virt(*pte & PTE_ADDR_MASK) + off, s, n);
		s += n;
		va += n;
		len -= n;
	}
	return 0;
}

static bool range_free(struct mm_struct *mm, u64 va, u64 len)
{
	return first_in_use(mm, va, len) == va + len;
}

/* A free range of @len bytes, as high below mmap_top as first-fit finds, or 0. */
static u64 find_free_area(struct mm_struct *mm, u64 len)
{
	u64 top = mm->mmap_top;

	while (top >= len + PAGE_SIZE * 16 && top - len >= mm->brk + PAGE_SIZE) {
		u64 used = first_in_use(mm, top - len, len);

		if (used == top)
			return top - len;
		top = used;	/* retry below the page in use */
	}
	return 0;
}

static u64 prot_to_pte(unsigned long prot)
{
	u64 f = PTE_P;

	if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return 0;
	if (prot & PROT_WRITE)
		f |= PTE_W;
	if (!(prot & PROT_EXEC))
		f |= PTE_NX;
	return f;
}

static bool user_range(u64 va, u64 len)
{
	return va < USER_TOP && len <= USER_TOP - va;
}

/* No file here can be mapped: -EBADF for a bad fd, else -ENODEV as a tty. */
static long mmap_file_error(unsigned int fd)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	fput(f);
	return -ENODEV;
}

long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
	      unsigned long flags, unsigned long fd, unsigned long off)
{
	struct mm_struct *mm = current->mm;
	u64 type = flags & MAP_TYPE;
	int err;

	/* Linux's order: the offset (arch/x86 sys_mmap), the fd, then the rest. */
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS) && mmap_file_error((unsigned int)fd) == -EBADF)
		return -EBADF;
	/*
	 * Linux ignores prot bits beyond RWX and flags it does not know; an
	 * anonymous mapping is MAP_PRIVATE or MAP_SHARED (MAP_SHARED_VALIDATE
	 * is for files, of which none can be mapped here).
	 */
	if (!len)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return type == MAP_PRIVATE || type == MAP_SHARED || type == MAP_SHARED_VALIDATE ?
		       mmap_file_error((unsigned int)fd) : -EINVAL;
	if (type != MAP_PRIVATE && type != MAP_SHARED)
		return -EINVAL;
	if (flags & MAP_32BIT)
		return -EINVAL;		/* below 2 GiB: not offered here */
	prot &= PROT_READ | PROT_WRITE | PROT_EXEC;
	len = PAGE_ALIGN(len);
	if (!len || !pages_available(len))
		return -ENOMEM;		/* the length wrapped, or more than RAM */
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if ((addr & (PAGE_SIZE - 1)) || !user_range(addr, len) || addr < 0x10000)
			return -EINVAL;
		if (!range_free(mm, addr, len)) {
			if (flags & MAP_FIXED_NOREPLACE)
				return -EEXIST;
			mm_unmap(mm, addr, len);
		}
	} else if (!(addr & (PAGE_SIZE - 1)) && addr >= 0x10000 &&
		   user_range(addr, len) && addr + len <= USER_MMAP_TOP &&
		   range_free(mm, addr, len)) {
		/* the hint is free: take it, as Linux does */
	} else {
		addr = find_free_area(mm, len);
		if (!addr)
			return -ENOMEM;
	}
	err = mm_map_zero(mm, addr, len, prot_to_pte(prot));
	return err ? -ENOMEM : (long)addr;
}

long sys_munmap(unsigned long addr, unsigned long len)
{
	if ((addr & (PAGE_SIZE - 1)) || !len)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len || !user_range(addr, len))
		return -EINVAL;
	mm_unmap(current->mm, addr, len);
	return 0;
}

/*
 * brk: grow or shrink the heap; on failure, or below the start, the break
 * stays where it was and is returned (Linux's semantics, which musl's
 * malloc detects by comparing).
 */
long sys_brk(unsigned long brk)
{
	struct mm_struct *mm = current->mm;
	u64 old_end = PAGE_ALIGN(mm->brk), new_end = PAGE_ALIGN(brk);

	if (brk < mm->start_brk || brk >= mm->mmap_top - PAGE_SIZE * 16)
		return (long)mm->brk;
	if (new_end > old_end) {
		if (!pages_available(new_end - old_end) ||
		    !range_free(mm, old_end, new_end - old_end) ||
		    mm_map_zero(mm, old_end, new_end - old_end, PTE_P | PTE_W | PTE_NX))
			return (long)mm->brk;
	} else if (new_end < old_end) {
		mm_unmap(mm, new_end, old_end - new_end);
	}
	mm->brk = brk;
	return (long)mm->brk;
}
