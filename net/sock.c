/*
 * struct sock: allocation, defaults, ownership and the backlog, receive and
 * send buffer accounting, waiting for data (Linux net/core/sock.c).
 * Protocols (udp.c, raw.c) deliver with sock_queue_rcv_skb(); the waiting
 * side is sk_wait_data() here and __skb_recv_datagram() in datagram.c.
 */
#include "net/sock.h"
#include "net/trace.h"
#include "kernel/poll.h"
#include "kernel/slab.h"
#include "lib/ratelimit.h"
#include "lib/string.h"
#include "net/net_namespace.h"
#include "net/tcp_states.h"

LIST_HEAD(sk_all_list);
static long sk_live;

long sk_live_count(void)
{
	return sk_live;
}

/**
 * sk_alloc - a zeroed sock of @prot's object size, holding one reference.
 * Each protocol gets its own slab cache on first use, as Linux's
 * proto_register() makes one.
 */
struct sock *sk_alloc(int family, struct proto *prot, int kern)
{
	unsigned long flags;
	struct sock *sk;

	(void)kern;
	if (!prot->slab)
		prot->slab = kmem_cache_create(prot->name, prot->obj_size, 8);
	if (!prot->slab)
		return NULL;
	sk = kmem_cache_zalloc(prot->slab);
	if (!sk)
		return NULL;
	sk->sk_family = family;
	sk->sk_prot = prot;
	sk->sk_net = net_current();
	sk->sk_refcnt = 1;
	spin_lock_init(&sk->sk_lock.slock);
	init_waitqueue_head(&sk->sk_lock.wq);
	INIT_HLIST_NODE(&sk->sk_node);
	INIT_HLIST_NODE(&sk->sk_bind_node);
	local_irq_save(flags);
	list_add_tail(&sk->sk_all, &sk_all_list);
	sk_live++;
	local_irq_restore(flags);
	return sk;
}

/* The last reference is gone: free what is still queued, then the sock. */
void sk_free(struct sock *sk)
{
	unsigned long flags;
	struct sk_buff *skb;

	while ((skb = sk->sk_backlog.head) != NULL) {
		sk->sk_backlog.head = skb->next;
		skb->next = NULL;
		kfree_skb(skb);
	}
	if (sk->sk_destruct)
		sk->sk_destruct(sk);
	skb_queue_purge(&sk->sk_receive_queue);
	skb_queue_purge(&sk->sk_error_queue);
	skb_queue_purge(&sk->sk_write_queue);
	local_irq_save(flags);
	list_del(&sk->sk_all);
	sk_live--;
	local_irq_restore(flags);
	kmem_cache_free(sk->sk_prot->slab, sk);
}

/* Linux's SOCK_DEAD: no socket, no file; only the protocol may still hold it. */
void sock_orphan(struct sock *sk)
{
	sock_set_flag(sk, SOCK_DEAD);
	sk->sk_socket = NULL;
	sk->sk_wq = NULL;
}

/**
 * sock_init_data - the defaults every sock starts with (seed 004 §1.4.3):
 * queues, buffer sizes, timeouts, and the callbacks protocols call to wake
 * the user: sk_data_ready = sock_def_readable, and so on.
 */
void sock_init_data(struct socket *sock, struct sock *sk)
{
	skb_queue_head_init(&sk->sk_receive_queue);
	skb_queue_head_init(&sk->sk_write_queue);
	skb_queue_head_init(&sk->sk_error_queue);
	sk->sk_rcvbuf = SK_RMEM_DEFAULT;
	sk->sk_sndbuf = SK_WMEM_DEFAULT;
	sk->sk_state = TCP_CLOSE;
	sk->sk_rcvlowat = 1;
	sk->sk_rcvtimeo = MAX_SCHEDULE_TIMEOUT;
	sk->sk_sndtimeo = MAX_SCHEDULE_TIMEOUT;
	if (sock) {
		sk->sk_type = sock->type;
		sk->sk_wq = &sock->wq;
		sock->sk = sk;
	}
	sk->sk_socket = sock;
	sk->sk_state_change = sock_def_wakeup;
	sk->sk_data_ready = sock_def_readable;
	sk->sk_write_space = sock_def_write_space;
	sk->sk_error_report = sock_def_error_report;
}

/*
 * lock_sock - own the sock from process context. The spinlock only guards
 * the owned flag and the backlog; the owner runs with it dropped, so the
 * softirq can still reach the sock and queue on sk_backlog meanwhile.
 */
void lock_sock(struct sock *sk)
{
	unsigned long flags;

	spin_lock_irqsave(&sk->sk_lock.slock, flags);
	while (sk->sk_lock.owned) {
		DEFINE_WAIT(wait);

		prepare_to_wait(&sk->sk_lock.wq, &wait, TASK_UNINTERRUPTIBLE);
		spin_unlock_irqrestore(&sk->sk_lock.slock, flags);
		schedule();
		finish_wait(&sk->sk_lock.wq, &wait);
		spin_lock_irqsave(&sk->sk_lock.slock, flags);
	}
	sk->sk_lock.owned = 1;
	spin_unlock_irqrestore(&sk->sk_lock.slock, flags);
}

/* Feed what the softirq queued while we owned the sock to the protocol. */
static void __release_sock(struct sock *sk, unsigned long *flags)
{
	struct sk_buff *skb, *next;

	while ((skb = sk->sk_backlog.head) != NULL) {
		sk->sk_backlog.head = sk->sk_backlog.tail = NULL;
		spin_unlock_irqrestore(&sk->sk_lock.slock, *flags);
		do {
			next = skb->next;
			skb->next = NULL;
			sk->sk_backlog_rcv(sk, skb);
			skb = next;
		} while (skb);
		spin_lock_irqsave(&sk->sk_lock.slock, *flags);
	}
	/* Only now: the backlog's bytes kept counting against rcvbuf. */
	sk->sk_backlog.len = 0;
}

void release_sock(struct sock *sk)
{
	unsigned long flags;

	spin_lock_irqsave(&sk->sk_lock.slock, flags);
	if (sk->sk_backlog.tail)
		__release_sock(sk, &flags);
	sk->sk_lock.owned = 0;
	if (waitqueue_active(&sk->sk_lock.wq))
		wake_up(&sk->sk_lock.wq);
	spin_unlock_irqrestore(&sk->sk_lock.slock, flags);
}

/* Linux's sk_rcvqueues_full(): the backlog and the queue share one budget. */
static bool sk_rcvqueues_full(const struct sock *sk, unsigned int limit)
{
	unsigned int qsize = (unsigned int)(sk->sk_backlog.len + sk->sk_rmem_alloc);

	return qsize > limit;
}

int sk_add_backlog(struct sock *sk, struct sk_buff *skb, unsigned int limit)
{
	if (sk_rcvqueues_full(sk, limit))
		return -ENOBUFS;
	skb->next = NULL;
	if (!sk->sk_backlog.tail)
		sk->sk_backlog.head = skb;
	else
		sk->sk_backlog.tail->next = skb;
	sk->sk_backlog.tail = skb;
	sk->sk_backlog.len += (int)skb->truesize;
	return 0;
}

/**
 * sk_receive_skb - hand @skb to the protocol's backlog_rcv now, or to the
 * backlog if a process owns the sock (Linux __sk_receive_skb). Consumes it.
 */
int sk_receive_skb(struct sock *sk, struct sk_buff *skb)
{
	int rc = 0;

	if (sk_rcvqueues_full(sk, (unsigned int)sk->sk_rcvbuf))
		goto drop;
	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk)) {
		bh_unlock_sock(sk);
		return sk->sk_backlog_rcv(sk, skb);
	}
	if (sk_add_backlog(sk, skb, (unsigned int)sk->sk_rcvbuf)) {
		bh_unlock_sock(sk);
		goto drop;
	}
	bh_unlock_sock(sk);
	return rc;
drop:
	sk_rcvbuf_overflow(sk);
	kfree_skb_reason(skb, SKB_DROP_REASON_SOCKET_RCVBUFF);
	return -ENOBUFS;
}

/**
 * sk_rcvbuf_overflow - @sk's receive buffer (SO_RCVBUF) refused a packet:
 * counted in sk_drops (the caller frees it under SOCKET_RCVBUFF) and
 * logged at most once per 5 s.
 */
void sk_rcvbuf_overflow(struct sock *sk)
{
	sk_drops_add(sk);
	pr_warn_ratelimited("net: receive buffer of port %u full (%d bytes), "
			    "packet dropped\n", sk->sk_num, sk->sk_rcvbuf);
}

static void sock_rfree(struct sk_buff *skb)
{
	unsigned long flags;

	local_irq_save(flags);
	skb->sk->sk_rmem_alloc -= (int)skb->truesize;
	local_irq_restore(flags);
}

void skb_set_owner_r(struct sk_buff *skb, struct sock *sk)
{
	unsigned long flags;

	skb_orphan(skb);
	skb->sk = sk;
	skb->destructor = sock_rfree;
	local_irq_save(flags);
	sk->sk_rmem_alloc += (int)skb->truesize;
	local_irq_restore(flags);
}

/* A sent skb is freed: give its bytes back and wake a writer if room. */
static void sock_wfree(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;
	unsigned long flags;

	local_irq_save(flags);
	sk->sk_wmem_alloc -= (int)skb->truesize;
	local_irq_restore(flags);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_write_space(sk);
	sock_put(sk);
}

/* The skb holds a reference: the sock outlives its packets in flight. */
void skb_set_owner_w(struct sk_buff *skb, struct sock *sk)
{
	unsigned long flags;

	skb_orphan(skb);
	sock_hold(sk);
	skb->sk = sk;
	skb->destructor = sock_wfree;
	local_irq_save(flags);
	sk->sk_wmem_alloc += (int)skb->truesize;
	local_irq_restore(flags);
}

/**
 * __sock_queue_rcv_skb - queue a received skb and wake the reader. When
 * the receive buffer is full the skb is not taken: -ENOMEM, sk_drops
 * counted, and the caller frees it (Linux's contract).
 */
int __sock_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	if (sk->sk_rmem_alloc >= sk->sk_rcvbuf) {
		sk_rcvbuf_overflow(sk);
		return -ENOMEM;
	}
	skb_set_owner_r(skb, sk);
	skb_queue_tail(&sk->sk_receive_queue, skb);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_data_ready(sk);
	return 0;
}

int sock_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	return __sock_queue_rcv_skb(sk, skb);
}

void sk_error_set(struct sock *sk, int err)
{
	sk->sk_err = err;
	sk->sk_error_report(sk);
}

/* Fetch and clear the pending error, as a negative errno (0 if none). */
int sock_error(struct sock *sk)
{
	int err = sk->sk_err;

	if (!err)
		return 0;
	sk->sk_err = 0;
	return -err;
}

/*
 * Default callbacks: wake the socket's sleepers with a key saying what
 * happened (seed 004 §3.5). The _sync wake-up wakes one exclusive waiter.
 */
void sock_def_readable(struct sock *sk)
{
	struct socket_wq *wq = sk->sk_wq;

	net_trace_sk(sk, skwq_has_sleeper(wq) ? "data queued: waking the sleepers"
					     : "data queued: nobody sleeps");
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_sync_poll(&wq->wait, EPOLLIN | EPOLLPRI |
						EPOLLRDNORM | EPOLLRDBAND);
}

void sock_def_write_space(struct sock *sk)
{
	struct socket_wq *wq = sk->sk_wq;

	if ((sk->sk_wmem_alloc << 1) > sk->sk_sndbuf)
		return;
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_sync_poll(&wq->wait, EPOLLOUT |
						EPOLLWRNORM | EPOLLWRBAND);
	if (sk->sk_socket)
		sk->sk_socket->flags &= ~(1UL << SOCK_NOSPACE);
}

void sock_def_wakeup(struct sock *sk)
{
	struct socket_wq *wq = sk->sk_wq;

	if (skwq_has_sleeper(wq))
		wake_up_interruptible_all(&wq->wait);
}

void sock_def_error_report(struct sock *sk)
{
	struct socket_wq *wq = sk->sk_wq;

	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLERR);
}

/**
 * sk_wait_data - wait for data on sk_receive_queue (seed 004 §3.3). Called
 * with the sock owned; sk_wait_event drops ownership while asleep so the
 * softirq can queue. Waits non-exclusively: every reader of a stream is
 * woken, as Linux does. Returns nonzero if the queue's tail moved past @skb.
 */
int sk_wait_data(struct sock *sk, long *timeo, const struct sk_buff *skb)
{
	DEFINE_WAIT(wait);
	int rc;

	net_trace_sk(sk, "no data: sleeping on sk_sleep(sk)");
	prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
	rc = sk_wait_event(sk, timeo,
			   skb_peek_tail(&sk->sk_receive_queue) != skb, &wait);
	finish_wait(sk_sleep(sk), &wait);
	net_trace_sk(sk, rc ? "woken: data arrived" : "woken: no data");
	return rc;
}

static long sock_wait_for_wmem(struct sock *sk, long timeo)
{
	DEFINE_WAIT(wait);

	sk->sk_socket->flags |= 1UL << SOCK_NOSPACE;
	for (;;) {
		if (!timeo)
			break;
		prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
		if (sk->sk_wmem_alloc < sk->sk_sndbuf)
			break;
		if (sk->sk_shutdown & SEND_SHUTDOWN || sk->sk_err)
			break;
		timeo = schedule_timeout(timeo);
	}
	finish_wait(sk_sleep(sk), &wait);
	return timeo;
}

struct sk_buff *sock_alloc_send_skb(struct sock *sk, unsigned long size,
				    int noblock, int *errcode)
{
	long timeo = sock_sndtimeo(sk, noblock);
	struct sk_buff *skb;
	int err;

	for (;;) {
		err = sock_error(sk);
		if (err)
			goto failure;
		err = -EPIPE;
		if (sk->sk_shutdown & SEND_SHUTDOWN)
			goto failure;
		if (sk->sk_wmem_alloc < sk->sk_sndbuf)
			break;
		err = -EAGAIN;
		if (!timeo)
			goto failure;
		timeo = sock_wait_for_wmem(sk, timeo);
	}
	skb = alloc_skb((unsigned int)size);
	if (!skb) {
		err = -ENOBUFS;
		goto failure;
	}
	skb_set_owner_w(skb, sk);
	return skb;
failure:
	*errcode = err;
	return NULL;
}

/* struct timeval as SO_RCVTIMEO/SO_SNDTIMEO take it on x86-64. */
struct sock_timeval {
	long tv_sec;
	long tv_usec;
};
#define USEC_PER_SEC	1000000L

/* Linux's sock_set_timeout: {0, 0} means wait forever. */
static int sock_set_timeout(long *timeo_p, const void *optval,
			    unsigned int optlen)
{
	struct sock_timeval tv;

	if (optlen < sizeof(tv))
		return -EINVAL;
	memcpy(&tv, optval, sizeof(tv));
	if (tv.tv_usec < 0 || tv.tv_usec >= USEC_PER_SEC)
		return -EDOM;
	if (tv.tv_sec < 0) {
		*timeo_p = 0;
		return 0;
	}
	*timeo_p = MAX_SCHEDULE_TIMEOUT;
	if (tv.tv_sec == 0 && tv.tv_usec == 0)
		return 0;
	if (tv.tv_sec < (MAX_SCHEDULE_TIMEOUT / HZ - 1))
		*timeo_p = tv.tv_sec * HZ +
			   DIV_ROUND_UP(tv.tv_usec, USEC_PER_SEC / HZ);
	return 0;
}

static void sock_get_timeout(long timeo, struct sock_timeval *tv)
{
	if (timeo == MAX_SCHEDULE_TIMEOUT) {
		tv->tv_sec = 0;
		tv->tv_usec = 0;
		return;
	}
	tv->tv_sec = timeo / HZ;
	tv->tv_usec = (timeo % HZ) * (USEC_PER_SEC / HZ);
}

/* Buffer sizes are doubled for bookkeeping overhead, as Linux does. */
static void sock_set_buf(struct sock *sk, int optname, int val)
{
	u32 v = (u32)val;

	if (optname == SO_SNDBUF) {
		v = min_t(u32, v, SK_WMEM_MAX);
		sk->sk_userlocks |= SOCK_SNDBUF_LOCK;
		sk->sk_sndbuf = max_t(int, (int)v * 2, SOCK_MIN_SNDBUF);
		sk->sk_write_space(sk);
	} else {
		v = min_t(u32, v, SK_RMEM_MAX);
		sk->sk_userlocks |= SOCK_RCVBUF_LOCK;
		sk->sk_rcvbuf = max_t(int, (int)v * 2, SOCK_MIN_RCVBUF);
	}
}

/**
 * sock_setsockopt - the SOL_SOCKET options every socket has. Unknown or
 * read-only options answer -ENOPROTOOPT, short values -EINVAL (Linux).
 */
int sock_setsockopt(struct socket *sock, int level, int optname,
		    const void *optval, unsigned int optlen)
{
	struct sock *sk = sock->sk;
	int val, ret = 0;

	if (optname == SO_RCVTIMEO || optname == SO_SNDTIMEO)
		return sock_set_timeout(optname == SO_RCVTIMEO ?
					&sk->sk_rcvtimeo : &sk->sk_sndtimeo,
					optval, optlen);
	if (optlen < sizeof(int))
		return -EINVAL;
	memcpy(&val, optval, sizeof(val));
	lock_sock(sk);
	switch (optname) {
	case SO_REUSEADDR:
		sk->sk_reuse = val ? 1 : 0;
		break;
	case SO_BROADCAST:
		sock_valbool_flag(sk, SOCK_BROADCAST, val);
		break;
	case SO_KEEPALIVE:
		sock_valbool_flag(sk, SOCK_KEEPOPEN, val);
		break;
	case SO_SNDBUF:
	case SO_RCVBUF:
		sock_set_buf(sk, optname, val);
		break;
	case SO_RCVLOWAT:
		if (val < 0)
			val = 0x7fffffff;
		sk->sk_rcvlowat = val ? val : 1;
		break;
	default:
		ret = -ENOPROTOOPT;
		break;
	}
	release_sock(sk);
	return ret;
}

static int sock_getsockopt_int(struct sock *sk, int optname, int *v)
{
	switch (optname) {
	case SO_REUSEADDR:
		*v = sk->sk_reuse;
		return 0;
	case SO_BROADCAST:
		*v = sock_flag(sk, SOCK_BROADCAST);
		return 0;
	case SO_KEEPALIVE:
		*v = sock_flag(sk, SOCK_KEEPOPEN);
		return 0;
	case SO_SNDBUF:
		*v = sk->sk_sndbuf;
		return 0;
	case SO_RCVBUF:
		*v = sk->sk_rcvbuf;
		return 0;
	case SO_RCVLOWAT:
		*v = sk->sk_rcvlowat;
		return 0;
	case SO_TYPE:
		*v = sk->sk_type;
		return 0;
	case SO_PROTOCOL:
		*v = sk->sk_protocol;
		return 0;
	case SO_DOMAIN:
		*v = sk->sk_family;
		return 0;
	case SO_ERROR:
		*v = -sock_error(sk);
		if (!*v) {
			*v = sk->sk_err_soft;
			sk->sk_err_soft = 0;
		}
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/* Copies at most *@optlen bytes of the value; *@optlen becomes what was copied. */
int sock_getsockopt(struct socket *sock, int level, int optname,
		    void *optval, int *optlen)
{
	struct sock *sk = sock->sk;
	struct sock_timeval tv;
	int v, len = *optlen, err;
	const void *src = &v;
	int lv = sizeof(int);

	if (len < 0)
		return -EINVAL;
	if (optname == SO_RCVTIMEO || optname == SO_SNDTIMEO) {
		sock_get_timeout(optname == SO_RCVTIMEO ? sk->sk_rcvtimeo
							: sk->sk_sndtimeo, &tv);
		src = &tv;
		lv = sizeof(tv);
	} else {
		err = sock_getsockopt_int(sk, optname, &v);
		if (err)
			return err;
	}
	if (len > lv)
		len = lv;
	memcpy(optval, src, (size_t)len);
	*optlen = len;
	return 0;
}

int sk_no_setsockopt(struct sock *sk, int level, int optname,
		     const void *optval, unsigned int optlen)
{
	return -ENOPROTOOPT;
}

int sk_no_getsockopt(struct sock *sk, int level, int optname, void *optval,
		     int *optlen)
{
	return -ENOPROTOOPT;
}
