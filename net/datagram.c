/*
 * Datagram receive and readiness (Linux net/core/datagram.c): the
 * receive half of udp_recvmsg and raw_recvmsg. A datagram reader with
 * nothing queued sleeps exclusively on the socket's wait queue, so each
 * arriving datagram wakes one reader, not all of them.
 */
#include "net/sock.h"
#include "kernel/poll.h"

/* Wake only for events a receiver waits for (Linux receiver_wake_function). */
static int receiver_wake_function(struct wait_queue_entry *wait,
				  unsigned int mode, int sync, void *key)
{
	if (key && !(key_to_poll(key) & (EPOLLIN | EPOLLERR)))
		return 0;
	return autoremove_wake_function(wait, mode, sync, key);
}

/*
 * Sleep until the queue's tail moves past @last, an error or shutdown, or
 * the timeout. 0 means "look again"; nonzero means stop with *@err.
 */
static int __skb_wait_for_more_packets(struct sock *sk, int *err,
				       long *timeo_p, const struct sk_buff *last)
{
	DEFINE_WAIT_FUNC(wait, receiver_wake_function);
	int error;

	prepare_to_wait_exclusive(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
	error = sock_error(sk);
	if (error)
		goto out_err;
	if (skb_peek_tail(&sk->sk_receive_queue) != last)
		goto out;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		goto out_noerr;
	if (signal_pending(current))
		goto interrupted;
	*timeo_p = schedule_timeout(*timeo_p);
out:
	finish_wait(sk_sleep(sk), &wait);
	return error;
interrupted:
	error = sock_intr_errno(*timeo_p);
out_err:
	*err = error;
	goto out;
out_noerr:
	*err = 0;
	error = 1;
	goto out;
}

static struct sk_buff *__skb_try_recv_datagram(struct sock *sk,
					       unsigned int flags, int *err,
					       struct sk_buff **last)
{
	struct sk_buff_head *queue = &sk->sk_receive_queue;
	struct sk_buff *skb;
	int error = sock_error(sk);

	if (error) {
		*err = error;
		return NULL;
	}
	/* skb_unlink takes the queue's lock; on one CPU nothing slips in between. */
	*last = skb_peek_tail(queue);
	skb = skb_peek(queue);
	if (skb) {
		if (flags & MSG_PEEK)
			skb->users++;
		else
			skb_unlink(skb, queue);
	}
	if (!skb)
		*err = -EAGAIN;
	return skb;
}

/**
 * __skb_recv_datagram - take (or with MSG_PEEK, reference) the first
 * datagram, waiting up to the socket's receive timeout. *@err is -EAGAIN
 * when non-blocking or timed out, the pending socket error, or 0 with a
 * NULL return after shutdown (end of file).
 */
struct sk_buff *__skb_recv_datagram(struct sock *sk, unsigned int flags,
				    int *off, int *err)
{
	long timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	struct sk_buff *skb, *last = NULL;

	(void)off;
	do {
		skb = __skb_try_recv_datagram(sk, flags, err, &last);
		if (skb)
			return skb;
		if (*err != -EAGAIN)
			break;
	} while (timeo && !__skb_wait_for_more_packets(sk, err, &timeo, last));
	return NULL;
}

struct sk_buff *skb_recv_datagram(struct sock *sk, unsigned int flags,
				  int noblock, int *err)
{
	int off = 0;

	return __skb_recv_datagram(sk, flags | (noblock ? MSG_DONTWAIT : 0),
				   &off, err);
}

/* Done with a received datagram (or the reference a peek took). */
void skb_free_datagram(struct sock *sk, struct sk_buff *skb)
{
	(void)sk;
	consume_skb(skb);
}

/* Copy @len bytes from @offset of the skb's data; -EFAULT if the user's buffer is bad. */
int skb_copy_datagram_iter(const struct sk_buff *skb, int offset,
			   struct iov_iter *to, int len)
{
	if (offset < 0 || len < 0 || (unsigned int)(offset + len) > skb->len)
		return -EFAULT;
	if (copy_to_iter(skb->data + offset, (size_t)len, to) != (size_t)len)
		return -EFAULT;
	return 0;
}

int memcpy_from_msg(void *data, struct msghdr *msg, int len)
{
	if (copy_from_iter(data, (size_t)len, &msg->msg_iter) != (size_t)len)
		return -EFAULT;
	return 0;
}

/**
 * datagram_poll - readiness of a datagram socket: readable with a datagram
 * queued, writable while the send buffer is under half full, plus errors
 * and shutdown (Linux's datagram_poll). Queues @wait on the socket first.
 */
unsigned int datagram_poll(struct file *file, struct socket *sock,
			   struct poll_table_struct *wait)
{
	struct sock *sk = sock->sk;
	unsigned int mask = 0;

	poll_wait(file, &sock->wq.wait, wait);
	if (sk->sk_err || !skb_queue_empty(&sk->sk_error_queue))
		mask |= EPOLLERR;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		mask |= EPOLLRDHUP | EPOLLIN | EPOLLRDNORM;
	if (sk->sk_shutdown == SHUTDOWN_MASK)
		mask |= EPOLLHUP;
	if (!skb_queue_empty(&sk->sk_receive_queue))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (sock_writeable(sk))
		mask |= EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND;
	else
		sock->flags |= 1UL << SOCK_NOSPACE;
	return mask;
}

/*
 * The ioctls every datagram protocol answers alike (UDP and raw):
 * SIOCINQ, the size of the next datagram; SIOCOUTQ, bytes not yet sent.
 */
int datagram_ioctl(struct sock *sk, int cmd, int *karg)
{
	struct sk_buff *skb;

	switch (cmd) {
	case SIOCOUTQ:
		*karg = sk_wmem_alloc_get(sk);
		return 0;
	case SIOCINQ:
		skb = skb_peek(&sk->sk_receive_queue);
		*karg = skb ? (int)skb->len : 0;
		return 0;
	default:
		return -ENOTTY;
	}
}
