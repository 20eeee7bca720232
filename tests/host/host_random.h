/* Seeding the host's kernel/random.h generator (tests/host/random.c). */
#ifndef TESTS_HOST_HOST_RANDOM_H
#define TESTS_HOST_HOST_RANDOM_H

#include "lib/types.h"

void host_random_seed(u64 seed);

#endif
