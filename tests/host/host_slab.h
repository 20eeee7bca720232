/* Host-only view of tests/host/slab.c for leak assertions. */
#ifndef TESTS_HOST_HOST_SLAB_H
#define TESTS_HOST_HOST_SLAB_H

#include "lib/types.h"

/* kmalloc blocks not yet freed. */
u64 host_kmalloc_live(void);

#endif
