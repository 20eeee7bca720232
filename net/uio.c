/*
 * iov_iter walking (net/uio.h): the one place where socket data crosses
 * between an skb or a kernel buffer and the caller's segments.
 */
#include "net/uio.h"
#include "kernel/uaccess.h"
#include "lib/string.h"

void iov_iter_kvec(struct iov_iter *i, unsigned int direction,
		   const struct kvec *kvec, unsigned long nr_segs, size_t count)
{
	i->iter_type = ITER_KVEC;
	i->data_source = direction == WRITE;
	i->iov_offset = 0;
	i->count = count;
	i->iov = kvec;
	i->nr_segs = nr_segs;
}

void iov_iter_init(struct iov_iter *i, unsigned int direction,
		   const struct iovec *iov, unsigned long nr_segs, size_t count)
{
	iov_iter_kvec(i, direction, iov, nr_segs, count);
	i->iter_type = ITER_IOVEC;
}

void iov_iter_advance(struct iov_iter *i, size_t bytes)
{
	bytes = min(bytes, i->count);
	i->count -= bytes;
	while (bytes) {
		size_t step = min(bytes, i->iov->iov_len - i->iov_offset);

		i->iov_offset += step;
		bytes -= step;
		if (i->iov_offset == i->iov->iov_len) {
			i->iov++;
			i->nr_segs--;
			i->iov_offset = 0;
		}
	}
}

/* Copy one chunk; returns the bytes that could not be copied. */
static size_t iter_copy(struct iov_iter *i, void *seg, void *buf, size_t n)
{
	if (i->iter_type == ITER_IOVEC) {
		int err = i->data_source ? copy_from_user(buf, seg, n)
					 : copy_to_user(seg, buf, n);

		return err ? n : 0;
	}
	if (i->data_source)
		memcpy(buf, seg, n);
	else
		memcpy(seg, buf, n);
	return 0;
}

static size_t iterate(struct iov_iter *i, void *buf, size_t bytes)
{
	size_t done = 0;

	bytes = min(bytes, i->count);
	while (done < bytes) {
		size_t step, left;
		char *seg;

		while (i->iov_offset == i->iov->iov_len) {
			i->iov++;
			i->nr_segs--;
			i->iov_offset = 0;
		}
		seg = (char *)i->iov->iov_base + i->iov_offset;
		step = min(bytes - done, i->iov->iov_len - i->iov_offset);
		left = iter_copy(i, seg, (char *)buf + done, step);
		iov_iter_advance(i, step - left);
		done += step - left;
		if (left)
			break;
	}
	return done;
}

size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i)
{
	if (i->data_source)
		return 0;
	return iterate(i, (void *)addr, bytes);
}

size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i)
{
	if (!i->data_source)
		return 0;
	return iterate(i, addr, bytes);
}
