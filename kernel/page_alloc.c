/*
 * The physical page allocator: one bit per 4 KiB frame up to the highest
 * usable address in the boot memory map (1 = in use). The bitmap itself is
 * placed in the first free stretch large enough for it. Allocation is
 * next-fit over the bitmap, so contiguous multi-page requests (DMA rings)
 * are served by the same code as single pages. A free moves the hint back
 * to the freed frames, so memory just given back is reused first (hot, as
 * Linux's per-CPU free lists): a stream of 64 KiB TSO frames then cycles
 * through a few blocks instead of touching every page of RAM in turn.
 */
#include "kernel/mm.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/panic.h"
#include "boot/bootinfo.h"
#include "lib/bitops.h"
#include "lib/string.h"

static unsigned long *frame_map;
static u64 nframes;
static u64 next_hint;
static u64 free_frames;
static struct mem_stats stats;
static unsigned int fail_next;
static DEFINE_SPINLOCK(page_lock);

static void mark_range(u64 start, u64 end, bool used)
{
	for (u64 f = start >> PAGE_SHIFT; f < DIV_ROUND_UP(end, PAGE_SIZE) && f < nframes; f++) {
		if (used && !test_bit((unsigned int)f, frame_map)) {
			set_bit((unsigned int)f, frame_map);
			free_frames--;
		} else if (!used && test_bit((unsigned int)f, frame_map)) {
			clear_bit((unsigned int)f, frame_map);
			free_frames++;
		}
	}
}

/* Place the bitmap in a usable region above the kernel image and modules. */
static u64 find_bitmap_home(const struct boot_info *bi, u64 bytes, u64 floor)
{
	for (u32 i = 0; i < bi->nmmap; i++) {
		const struct boot_mmap_entry *e = &bi->mmap[i];
		u64 start = ALIGN(e->base > floor ? e->base : floor, PAGE_SIZE);

		if (e->type != BOOT_MEM_USABLE || e->base + e->len <= start)
			continue;
		if (e->base + e->len - start >= bytes && start + bytes <= 0x40000000)
			return start;	/* the early direct map covers 1 GiB */
	}
	panic("no room for the page allocator's bitmap");
}

void page_alloc_init(const struct boot_info *bi)
{
	u64 top = 0, floor = virt_to_phys(_end), map_bytes, map_phys;

	for (u32 i = 0; i < bi->nmmap; i++)
		if (bi->mmap[i].type == BOOT_MEM_USABLE &&
		    bi->mmap[i].base + bi->mmap[i].len > top)
			top = bi->mmap[i].base + bi->mmap[i].len;
	for (u32 i = 0; i < bi->nmodules; i++)
		if (bi->modules[i].start + bi->modules[i].size > floor)
			floor = bi->modules[i].start + bi->modules[i].size;

	nframes = top >> PAGE_SHIFT;
	map_bytes = ALIGN(BITS_TO_LONGS(nframes) * sizeof(long), PAGE_SIZE);
	map_phys = find_bitmap_home(bi, map_bytes, floor);
	frame_map = phys_to_virt(map_phys);
	memset(frame_map, 0xff, map_bytes);	/* everything in use ... */
	free_frames = 0;

	for (u32 i = 0; i < bi->nmmap; i++) {	/* ... but usable RAM */
		const struct boot_mmap_entry *e = &bi->mmap[i];

		if (e->type == BOOT_MEM_USABLE) {
			mark_range(e->base, e->base + e->len, false);
			stats.total += e->len;
		}
	}
	/* Then take back what boot still needs. */
	mark_range(0, 0x100000, true);
	mark_range(virt_to_phys(_kernel_start), virt_to_phys(_end), true);
	for (u32 i = 0; i < bi->nmodules; i++)
		mark_range(bi->modules[i].start,
			   bi->modules[i].start + bi->modules[i].size, true);
	mark_range(map_phys, map_phys + map_bytes, true);
	stats.kernel_image = (u64)(_end - _kernel_start);
	stats.reserved_boot = stats.total - free_frames * PAGE_SIZE - stats.kernel_image;
}

void *alloc_pages_exact(size_t npages)
{
	unsigned long flags;
	u64 start = 0, f;
	void *va = NULL;

	if (!npages)
		return NULL;
	spin_lock_irqsave(&page_lock, flags);
	if (fail_next) {
		fail_next--;
		goto out;
	}
	for (int pass = 0; pass < 2 && !va; pass++) {
		f = pass ? 0 : next_hint;
		while (f + npages <= nframes) {
			start = find_next_zero_bit(frame_map, nframes, f);
			if (start + npages > nframes)
				break;
			f = find_next_bit(frame_map, start + npages, start);
			if (f == start + npages) {	/* a run long enough */
				mark_range(start << PAGE_SHIFT,
					   (start + npages) << PAGE_SHIFT, true);
				next_hint = start + npages;
				va = phys_to_virt(start << PAGE_SHIFT);
				break;
			}
		}
	}
out:
	spin_unlock_irqrestore(&page_lock, flags);
	return va;
}

void free_pages_exact(void *va, size_t npages)
{
	unsigned long flags;
	u64 pa = virt_to_phys(va);

	if (!va)
		return;
	if (pa & (PAGE_SIZE - 1) || (pa >> PAGE_SHIFT) + npages > nframes)
		panic("free_pages_exact: bad address %p", va);
	spin_lock_irqsave(&page_lock, flags);
	for (u64 f = pa >> PAGE_SHIFT; f < (pa >> PAGE_SHIFT) + npages; f++)
		if (!test_bit((unsigned int)f, frame_map))
			panic("free_pages_exact: double free of frame %#lx",
			      (unsigned long)f);
	mark_range(pa, pa + npages * PAGE_SIZE, false);
	if ((pa >> PAGE_SHIFT) < next_hint)
		next_hint = pa >> PAGE_SHIFT;
	spin_unlock_irqrestore(&page_lock, flags);
}

void *get_zeroed_page(void)
{
	void *p = alloc_pages_exact(1);

	if (p)
		memset(p, 0, PAGE_SIZE);
	return p;
}

void free_page(void *va)
{
	free_pages_exact(va, 1);
}

void mem_get_stats(struct mem_stats *st)
{
	*st = stats;
	st->free = free_frames * PAGE_SIZE;
}

void mm_fail_next(unsigned int n)
{
	fail_next = n;
}

u64 mem_top(void)
{
	return nframes << PAGE_SHIFT;
}
