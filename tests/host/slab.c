/*
 * kernel/slab.h on the host: every object is its own malloc() block, so
 * ASan sees each overrun and use-after-free. Caches only count (live
 * objects per cache, for leak checks), and slab_fail_next() injects
 * allocation failures for error-path tests.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/panic.h"
#include "kernel/slab.h"
#include "tests/host/host_slab.h"

#define MAX_CACHES	48

struct kmem_cache {
	size_t size;
	struct kmem_cache_stats st;
};

static struct kmem_cache caches[MAX_CACHES];
static unsigned int ncaches;
static struct kmem_cache kmalloc_cache = {
	.st = { .name = "kmalloc" },
};
static u64 bytes_live;
static unsigned int fail_next;

static bool inject_failure(struct kmem_cache *c)
{
	if (!fail_next)
		return false;
	fail_next--;
	c->st.failures++;
	return true;
}

static void *account(struct kmem_cache *c, void *p)
{
	if (!p) {
		c->st.failures++;
		return NULL;
	}
	c->st.active++;
	c->st.total++;
	c->st.allocs++;
	bytes_live += malloc_usable_size(p);
	return p;
}

static void unaccount(struct kmem_cache *c, const void *p)
{
	if (!c->st.active)
		panic("%s: free of %p with no live object", c->st.name, p);
	c->st.active--;
	c->st.total--;
	c->st.frees++;
	bytes_live -= malloc_usable_size((void *)p);
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align)
{
	struct kmem_cache *c;

	(void)align;
	for (unsigned int i = 0; i < ncaches; i++)
		if (!strcmp(caches[i].st.name, name) && caches[i].size == size)
			return &caches[i];	/* tests re-run subsystem init */
	if (ncaches == MAX_CACHES)
		panic("kmem_cache_create(%s): too many caches", name);
	c = &caches[ncaches++];
	c->size = size;
	c->st = (struct kmem_cache_stats){ .name = name, .obj_size = size };
	return c;
}

void *kmem_cache_alloc(struct kmem_cache *c)
{
	if (inject_failure(c))
		return NULL;
	return account(c, malloc(c->size));
}

void *kmem_cache_zalloc(struct kmem_cache *c)
{
	if (inject_failure(c))
		return NULL;
	return account(c, calloc(1, c->size));
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	if (!obj)
		return;
	unaccount(c, obj);
	free(obj);
}

void *kmalloc(size_t size)
{
	if (inject_failure(&kmalloc_cache))
		return NULL;
	return account(&kmalloc_cache, malloc(size ? size : 1));
}

void *kzalloc(size_t size)
{
	if (inject_failure(&kmalloc_cache))
		return NULL;
	return account(&kmalloc_cache, calloc(1, size ? size : 1));
}

void *kcalloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	return kzalloc(n * size);
}

void kfree(const void *p)
{
	if (!p)
		return;
	unaccount(&kmalloc_cache, p);
	free((void *)p);
}

void kmem_cache_get_stats(const struct kmem_cache *c, struct kmem_cache_stats *st)
{
	*st = c->st;
}

void kmem_cache_for_each(int (*fn)(const struct kmem_cache_stats *st, void *arg),
			 void *arg)
{
	if (fn(&kmalloc_cache.st, arg))
		return;
	for (unsigned int i = 0; i < ncaches; i++)
		if (fn(&caches[i].st, arg))
			return;
}

u64 slab_bytes(void)
{
	return bytes_live;
}

void slab_fail_next(unsigned int n)
{
	fail_next = n;
}

u64 host_kmalloc_live(void)
{
	return kmalloc_cache.st.active;
}
