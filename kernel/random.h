/*
 * Random numbers for the stack (DESIGN §3): ISNs, IP IDs, ephemeral ports,
 * DHCP transaction IDs. The kernel mixes RDRAND (when the CPU has it) with
 * TSC jitter (kernel/random.c); the host is a seeded generator, so a test
 * run repeats exactly (tests/host/random.c).
 */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include "lib/types.h"

void get_random_bytes(void *buf, size_t len);
u32 get_random_u32(void);

#endif
