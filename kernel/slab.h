/*
 * Kernel memory allocation: kmalloc for variable sizes and named object
 * caches (kmem_cache) for the hot fixed-size objects (sk_buff, sock). The
 * kernel backs them with pages (kernel/slab.c); the host backs them with
 * malloc so ASan sees every object (tests/host/slab.c). Both count live
 * objects per cache so a leak shows in a test or in the monitor's `mem`.
 */
#ifndef KERNEL_SLAB_H
#define KERNEL_SLAB_H

#include "lib/types.h"

struct kmem_cache;

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void *kcalloc(size_t n, size_t size);
void kfree(const void *p);

struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align);
void *kmem_cache_alloc(struct kmem_cache *c);
void *kmem_cache_zalloc(struct kmem_cache *c);
void kmem_cache_free(struct kmem_cache *c, void *obj);

struct kmem_cache_stats {
	const char *name;
	size_t obj_size;
	u64 active;		/* objects handed out now */
	u64 total;		/* objects the cache holds (active + free) */
	u64 allocs, frees, failures;
};

/* Walk every cache, kmalloc size classes included; @fn returns nonzero to stop. */
void kmem_cache_for_each(int (*fn)(const struct kmem_cache_stats *st, void *arg),
			 void *arg);
void kmem_cache_get_stats(const struct kmem_cache *c, struct kmem_cache_stats *st);
/* Bytes held by kmalloc and the caches (in use or free in slabs). */
u64 slab_bytes(void);
/* Pages they hold: whole slabs, and kmalloc's large blocks. */
u64 slab_pages(void);

/* Fault injection (tests): fail the next @n cache/kmalloc allocations. */
void slab_fail_next(unsigned int n);

#endif
