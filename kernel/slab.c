/*
 * Slab allocator for the kernel. A cache carves slabs (one or more
 * contiguous pages) into equal objects kept on a free list; slabs are not
 * returned to the page allocator, so a cache's footprint is its peak.
 * kmalloc uses power-of-two caches from 16 to 2048 bytes whose one-page
 * slabs start with a header naming the cache, so kfree() finds the cache
 * from the page; larger blocks are whole pages behind the same header.
 */
#include "kernel/slab.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/spinlock.h"
#include "lib/string.h"

#define SLAB_MAGIC	0x51ab51abu
#define LARGE_MAGIC	0x1a12e000u
#define MAX_CACHES	48

struct kmem_cache {
	const char *name;
	size_t size;		/* object size, aligned */
	size_t slab_pages;
	void *free_list;	/* objects link through their first word */
	struct kmem_cache_stats st;
	spinlock_t lock;
};

/* At the start of every kmalloc page (slab or large block). */
struct page_header {
	u32 magic;
	u32 npages;		/* large blocks */
	struct kmem_cache *cache;	/* slabs */
};
BUILD_BUG_ON(sizeof(struct page_header) % 16);

static struct kmem_cache caches[MAX_CACHES];
static unsigned int ncaches;
static struct kmem_cache *kmalloc_caches[8];	/* 16 .. 2048 */
static const char *const kmalloc_names[8] = {
	"kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-128",
	"kmalloc-256", "kmalloc-512", "kmalloc-1024", "kmalloc-2048",
};
static u64 large_pages;
static u64 slab_pages_held;	/* taken by cache_grow(); caches keep them */
static unsigned int fail_next;
static DEFINE_SPINLOCK(cache_list_lock);

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align)
{
	struct kmem_cache *c;
	unsigned long flags;

	if (align < 16)
		align = 16;
	spin_lock_irqsave(&cache_list_lock, flags);
	if (ncaches == MAX_CACHES)
		panic("kmem_cache_create(%s): too many caches", name);
	c = &caches[ncaches++];
	spin_unlock_irqrestore(&cache_list_lock, flags);
	c->name = name;
	c->size = ALIGN(size < sizeof(void *) ? sizeof(void *) : size, align);
	/* Up to 2 KiB one page per slab (kfree finds its header); bigger: 8 a slab. */
	c->slab_pages = c->size <= 2048 ? 1 : DIV_ROUND_UP(c->size * 8, PAGE_SIZE);
	c->free_list = NULL;
	c->st = (struct kmem_cache_stats){ .name = name, .obj_size = size };
	spin_lock_init(&c->lock);
	return c;
}

static bool cache_grow(struct kmem_cache *c)
{
	u8 *slab = alloc_pages_exact(c->slab_pages);
	size_t first = sizeof(struct page_header);
	size_t bytes = c->slab_pages * PAGE_SIZE;

	if (!slab)
		return false;
	slab_pages_held += c->slab_pages;
	*(struct page_header *)slab = (struct page_header){
		.magic = SLAB_MAGIC, .cache = c };
	for (size_t off = first; off + c->size <= bytes; off += c->size) {
		*(void **)(slab + off) = c->free_list;
		c->free_list = slab + off;
		c->st.total++;
	}
	return true;
}

void *kmem_cache_alloc(struct kmem_cache *c)
{
	unsigned long flags;
	void *obj = NULL;

	spin_lock_irqsave(&c->lock, flags);
	if (fail_next) {
		fail_next--;
	} else if (c->free_list || cache_grow(c)) {
		obj = c->free_list;
		c->free_list = *(void **)obj;
		c->st.active++;
		c->st.allocs++;
	}
	if (!obj)
		c->st.failures++;
	spin_unlock_irqrestore(&c->lock, flags);
	return obj;
}

void *kmem_cache_zalloc(struct kmem_cache *c)
{
	void *obj = kmem_cache_alloc(c);

	if (obj)
		memset(obj, 0, c->size);
	return obj;
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	unsigned long flags;

	if (!obj)
		return;
	spin_lock_irqsave(&c->lock, flags);
	*(void **)obj = c->free_list;
	c->free_list = obj;
	c->st.active--;
	c->st.frees++;
	spin_unlock_irqrestore(&c->lock, flags);
}

static struct kmem_cache *kmalloc_cache(size_t size)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(kmalloc_caches); i++) {
		if (size <= (16u << i)) {
			if (!kmalloc_caches[i])
				kmalloc_caches[i] = kmem_cache_create(
					kmalloc_names[i], 16u << i, 16);
			return kmalloc_caches[i];
		}
	}
	return NULL;
}

void *kmalloc(size_t size)
{
	struct kmem_cache *c = kmalloc_cache(size);
	struct page_header *h;
	size_t npages;

	if (c)
		return kmem_cache_alloc(c);
	if (size > (1UL << 30))
		return NULL;
	npages = DIV_ROUND_UP(size + sizeof(*h), PAGE_SIZE);
	h = alloc_pages_exact(npages);
	if (!h)
		return NULL;
	*h = (struct page_header){ .magic = LARGE_MAGIC, .npages = (u32)npages };
	large_pages += npages;
	return h + 1;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void *kcalloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	return kzalloc(n * size);
}

void kfree(const void *p)
{
	struct page_header *h;

	if (!p)
		return;
	h = (struct page_header *)ALIGN_DOWN((uintptr_t)p, PAGE_SIZE);
	if (h->magic == SLAB_MAGIC && h->cache->slab_pages == 1) {
		kmem_cache_free(h->cache, (void *)p);
	} else if (h->magic == LARGE_MAGIC && p == h + 1) {
		large_pages -= h->npages;
		free_pages_exact(h, h->npages);
	} else {
		panic("kfree: %p was not allocated by kmalloc", p);
	}
}

void kmem_cache_get_stats(const struct kmem_cache *c, struct kmem_cache_stats *st)
{
	*st = c->st;
}

void kmem_cache_for_each(int (*fn)(const struct kmem_cache_stats *st, void *arg),
			 void *arg)
{
	for (unsigned int i = 0; i < ncaches; i++)
		if (fn(&caches[i].st, arg))
			return;
}

u64 slab_bytes(void)
{
	u64 bytes = large_pages * PAGE_SIZE;

	for (unsigned int i = 0; i < ncaches; i++)
		bytes += caches[i].st.total * caches[i].size;
	return bytes;
}

u64 slab_pages(void)
{
	return slab_pages_held + large_pages;
}

void slab_fail_next(unsigned int n)
{
	fail_next = n;
}
