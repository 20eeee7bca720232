/*
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed pseudo-random
 * function, cheap on short inputs, for the values an attacker must not
 * predict or collide: TCP initial sequence numbers (RFC 6528 §3 asks for a
 * cryptographic F) and hash-table indices. Linux uses it for both.
 */
#ifndef LIB_SIPHASH_H
#define LIB_SIPHASH_H

#include "lib/types.h"

typedef struct {
	u64 key[2];
} siphash_key_t;

u64 siphash(const void *data, size_t len, const siphash_key_t *key);
/*
 * SipHash-1-3, its low 32 bits (Linux's hsiphash on 64-bit): cheaper, for hash-table
 * indices, where an attacker who cannot see the key only needs to be kept
 * from aiming entries at one bucket. Not for sequence numbers.
 */
u32 hsiphash(const void *data, size_t len, const siphash_key_t *key);

#endif
