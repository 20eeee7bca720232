/*
 * struct iov_iter: a cursor over the segments of a read or write (Linux
 * include/linux/uio.h). sendmsg/recvmsg carry one in struct msghdr, so a
 * protocol copies with copy_from_iter()/copy_to_iter() and never sees
 * whether the bytes live in user space (ITER_IOVEC, through
 * copy_from_user/copy_to_user) or in the kernel (ITER_KVEC).
 */
#ifndef NET_UIO_H
#define NET_UIO_H

#include "lib/compiler.h"
#include "lib/types.h"

struct iovec {
	void *iov_base;
	size_t iov_len;
};
BUILD_BUG_ON(sizeof(struct iovec) != 16);

/* Linux's kvec has the same shape; kernel buffers use it. */
#define kvec iovec

#define UIO_MAXIOV	1024

enum iter_type {
	ITER_IOVEC,	/* user memory */
	ITER_KVEC,	/* kernel memory */
};

/* Direction: the iterator is a source (WRITE, sendmsg) or a destination (READ). */
#define READ	0
#define WRITE	1

struct iov_iter {
	u8 iter_type;
	bool data_source;	/* WRITE: bytes are copied out of it */
	size_t iov_offset;	/* into the current segment */
	size_t count;		/* bytes left in all segments */
	const struct iovec *iov;
	unsigned long nr_segs;
};

static inline size_t iov_iter_count(const struct iov_iter *i)
{
	return i->count;
}

void iov_iter_init(struct iov_iter *i, unsigned int direction,
		   const struct iovec *iov, unsigned long nr_segs, size_t count);
void iov_iter_kvec(struct iov_iter *i, unsigned int direction,
		   const struct kvec *kvec, unsigned long nr_segs, size_t count);
/* Copy up to @bytes; returns how many were copied (short on a bad pointer). */
size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i);
size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i);
void iov_iter_advance(struct iov_iter *i, size_t bytes);

#endif
