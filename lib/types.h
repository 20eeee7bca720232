/*
 * Fixed-width types used everywhere in unisock, kernel and host alike.
 * Big-endian wire fields use __be16/__be32 so a reader sees byte order.
 */
#ifndef LIB_TYPES_H
#define LIB_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

typedef u16 __be16;	/* network byte order on the wire */
typedef u32 __be32;
typedef u16 __sum16;	/* a ones'-complement checksum, wire order */

typedef long ssize_t;	/* C11 allows the identical typedef libc makes */

#endif
