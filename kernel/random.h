/*
 * Random numbers for the kernel (DESIGN §3): ISNs, hash secrets, ephemeral
 * ports, AT_RANDOM and getrandom(). kernel/random.c.
 */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include "lib/types.h"

void get_random_bytes(void *buf, size_t n);
u32 get_random_u32(void);

#endif
