/*
 * struct sock: the protocol half of the twins (seed 001, Linux
 * include/net/sock.h). sock_common holds what lookup needs (the 4-tuple,
 * family, state, hash nodes); struct sock adds the queues, the buffer
 * accounting, the callbacks the protocols call (sk_data_ready, ...), and
 * sk_prot, the protocol's own operations (udp_prot, raw_prot, tcp_prot).
 *
 * Locking (seed 004 §3.3): process context owns the sock between
 * lock_sock() and release_sock(); softirq code that finds it owned queues
 * the skb on sk_backlog instead, and release_sock() runs that backlog
 * through sk_backlog_rcv before giving the sock up. The softirq runs on
 * interrupt exit, so process context turns interrupts off around anything
 * the softirq also writes (sk_lock.slock, the accounting, the hashes);
 * the kernel is not preemptive, so nothing else can interleave.
 */
#ifndef NET_SOCK_H
#define NET_SOCK_H

#include "kernel/spinlock.h"
#include "kernel/wait.h"
#include "lib/list.h"
#include "net/skbuff.h"
#include "net/socket.h"

struct proto;
struct net;

struct sock_common {
	/* The 4-tuple, network order: lookup compares these. */
	__be32 skc_daddr;		/* foreign IPv4 address */
	__be32 skc_rcv_saddr;		/* bound local IPv4 address */
	__be16 skc_dport;		/* foreign port */
	u16 skc_num;			/* local port, host order */
	unsigned short skc_family;
	volatile unsigned char skc_state;
	unsigned char skc_reuse;	/* SO_REUSEADDR */
	int skc_bound_dev_if;
	struct hlist_node skc_node;	/* main hash (UDP port, TCP ehash) */
	struct hlist_node skc_bind_node;	/* bind hash */
	struct proto *skc_prot;
	struct net *skc_net;		/* the stack (namespace) it lives in */
	int skc_refcnt;
};

struct socket_lock {
	spinlock_t slock;
	int owned;			/* a process holds lock_sock() */
	wait_queue_head_t wq;		/* processes waiting for the owner */
};

struct sock {
	/* Must be first: inet_timewait_sock shares this layout. */
	struct sock_common __sk_common;
#define sk_daddr		__sk_common.skc_daddr
#define sk_rcv_saddr		__sk_common.skc_rcv_saddr
#define sk_dport		__sk_common.skc_dport
#define sk_num			__sk_common.skc_num
#define sk_family		__sk_common.skc_family
#define sk_state		__sk_common.skc_state
#define sk_reuse		__sk_common.skc_reuse
#define sk_bound_dev_if		__sk_common.skc_bound_dev_if
#define sk_node			__sk_common.skc_node
#define sk_bind_node		__sk_common.skc_bind_node
#define sk_prot			__sk_common.skc_prot
#define sk_refcnt		__sk_common.skc_refcnt
#define sk_net			__sk_common.skc_net

	struct socket_lock sk_lock;
	int sk_drops;			/* receive drops (buffer full, ...) */
	int sk_rcvlowat;
	struct sk_buff_head sk_error_queue;
	struct sk_buff_head sk_receive_queue;
	/* Packets that came while the user owned the sock (see release_sock). */
	struct {
		int rmem_alloc;
		int len;
		struct sk_buff *head;
		struct sk_buff *tail;
	} sk_backlog;
#define sk_rmem_alloc sk_backlog.rmem_alloc
	int sk_rcvbuf;
	struct socket_wq *sk_wq;
	int sk_sndbuf;
	int sk_wmem_queued;
	int sk_wmem_alloc;		/* bytes of skbs in flight below us */
	struct sk_buff_head sk_write_queue;
	long sk_sndtimeo;		/* jiffies; MAX_SCHEDULE_TIMEOUT = none */
	long sk_rcvtimeo;
	unsigned char sk_userlocks;	/* SOCK_SNDBUF_LOCK, SOCK_RCVBUF_LOCK */
	unsigned char sk_protocol;
	unsigned short sk_type;
	unsigned long sk_flags;		/* SOCK_* bits, sock_flag() */
	int sk_err;
	int sk_err_soft;
	u32 sk_ack_backlog;
	u32 sk_max_ack_backlog;
	u8 sk_shutdown;			/* RCV_SHUTDOWN | SEND_SHUTDOWN */
	struct socket *sk_socket;
	void (*sk_state_change)(struct sock *sk);
	void (*sk_data_ready)(struct sock *sk);
	void (*sk_write_space)(struct sock *sk);
	void (*sk_error_report)(struct sock *sk);
	int (*sk_backlog_rcv)(struct sock *sk, struct sk_buff *skb);
	void (*sk_destruct)(struct sock *sk);
	struct list_head sk_all;	/* on the list of all socks (ss) */
};

/* sk_shutdown */
#define RCV_SHUTDOWN	1
#define SEND_SHUTDOWN	2
#define SHUTDOWN_MASK	3

/* sk_userlocks */
#define SOCK_SNDBUF_LOCK	1
#define SOCK_RCVBUF_LOCK	2
#define SOCK_BINDADDR_LOCK	4
#define SOCK_BINDPORT_LOCK	8

/* sk_flags bits */
enum sock_flags {
	SOCK_DEAD,
	SOCK_DONE,
	SOCK_BROADCAST,
	SOCK_KEEPOPEN,
	SOCK_RCVTSTAMP,
};

static inline bool sock_flag(const struct sock *sk, enum sock_flags flag)
{
	return sk->sk_flags & (1UL << flag);
}

static inline void sock_set_flag(struct sock *sk, enum sock_flags flag)
{
	sk->sk_flags |= 1UL << flag;
}

static inline void sock_reset_flag(struct sock *sk, enum sock_flags flag)
{
	sk->sk_flags &= ~(1UL << flag);
}

static inline void sock_valbool_flag(struct sock *sk, enum sock_flags bit,
				     int valbool)
{
	if (valbool)
		sock_set_flag(sk, bit);
	else
		sock_reset_flag(sk, bit);
}

/* Buffer defaults (Linux's sysctl_{r,w}mem_default and minimums). */
#define SK_RMEM_DEFAULT		212992
#define SK_WMEM_DEFAULT		212992
#define SK_RMEM_MAX		212992
#define SK_WMEM_MAX		212992
#define SOCK_MIN_RCVBUF		2304
#define SOCK_MIN_SNDBUF		4608

/**
 * struct proto - a transport's operations on its socks (tcp_prot, udp_prot,
 * raw_prot). inet_*() in af_inet.c call these after the generic checks.
 */
struct proto {
	void (*close)(struct sock *sk, long timeout);
	int (*pre_connect)(struct sock *sk, struct sockaddr *uaddr, int len);
	int (*connect)(struct sock *sk, struct sockaddr *uaddr, int len);
	int (*disconnect)(struct sock *sk, int flags);
	struct sock *(*accept)(struct sock *sk, int flags, int *err, bool kern);
	/* Linux 6.5's shape: the answer goes to *karg, the caller copies it out. */
	int (*ioctl)(struct sock *sk, int cmd, int *karg);
	int (*init)(struct sock *sk);
	void (*destroy)(struct sock *sk);
	void (*shutdown)(struct sock *sk, int how);
	int (*setsockopt)(struct sock *sk, int level, int optname,
			  const void *optval, unsigned int optlen);
	int (*getsockopt)(struct sock *sk, int level, int optname,
			  void *optval, int *option);
	int (*sendmsg)(struct sock *sk, struct msghdr *msg, size_t len);
	int (*recvmsg)(struct sock *sk, struct msghdr *msg, size_t len,
		       int noblock, int flags, int *addr_len);
	int (*bind)(struct sock *sk, struct sockaddr *uaddr, int addr_len);
	int (*backlog_rcv)(struct sock *sk, struct sk_buff *skb);
	int (*hash)(struct sock *sk);
	void (*unhash)(struct sock *sk);
	int (*get_port)(struct sock *sk, unsigned short snum);
	unsigned int obj_size;		/* udp_sock, raw_sock, tcp_sock, ... */
	char name[32];
	struct kmem_cache *slab;	/* made on first sk_alloc */
};

/* Every struct proto field is set: these answer what a protocol lacks. */
int sk_no_setsockopt(struct sock *sk, int level, int optname,
		     const void *optval, unsigned int optlen);
int sk_no_getsockopt(struct sock *sk, int level, int optname, void *optval,
		     int *optlen);

static inline struct net *sock_net(const struct sock *sk)
{
	return sk->sk_net;
}

static inline wait_queue_head_t *sk_sleep(struct sock *sk)
{
	return &sk->sk_wq->wait;
}

static inline bool skwq_has_sleeper(struct socket_wq *wq)
{
	return wq && waitqueue_active(&wq->wait);
}

/* Allocation and lifetime: sk_alloc gives one reference; the last sock_put frees. */
struct sock *sk_alloc(int family, struct proto *prot, int kern);
void sk_free(struct sock *sk);
/*
 * Process context and the softirq both take and drop references (a sent
 * skb holds one until the device frees it): interrupts off around the
 * count, as around every sock field both sides write.
 */
static inline void sock_hold(struct sock *sk)
{
	unsigned long flags;

	local_irq_save(flags);
	sk->sk_refcnt++;
	local_irq_restore(flags);
}
static inline void sock_put(struct sock *sk)
{
	unsigned long flags;
	bool last;

	local_irq_save(flags);
	last = --sk->sk_refcnt == 0;
	local_irq_restore(flags);
	if (last)
		sk_free(sk);
}
void sock_init_data(struct socket *sock, struct sock *sk);
/* Detach from the socket and mark dead: the protocol's close calls this. */
void sock_orphan(struct sock *sk);
/* Socks alive now, for leak checks. */
long sk_live_count(void);
extern struct list_head sk_all_list;

/* Ownership (seed 004 §3.3). */
void lock_sock(struct sock *sk);
void release_sock(struct sock *sk);
static inline bool sock_owned_by_user(const struct sock *sk)
{
	return sk->sk_lock.owned;
}
#define bh_lock_sock(sk)	spin_lock(&(sk)->sk_lock.slock)
#define bh_unlock_sock(sk)	spin_unlock(&(sk)->sk_lock.slock)
/* Queue on the backlog while owned; -ENOBUFS (skb not taken) when over the limit. */
int sk_add_backlog(struct sock *sk, struct sk_buff *skb, unsigned int limit);
/* Deliver now or to the backlog, whichever the owner allows; consumes @skb. */
int sk_receive_skb(struct sock *sk, struct sk_buff *skb);

/* Receive-side accounting: the skb is charged to the sock until freed. */
void skb_set_owner_r(struct sk_buff *skb, struct sock *sk);
void skb_set_owner_w(struct sk_buff *skb, struct sock *sk);
static inline int sk_rmem_alloc_get(const struct sock *sk)
{
	return sk->sk_rmem_alloc;
}
static inline int sk_wmem_alloc_get(const struct sock *sk)
{
	return sk->sk_wmem_alloc;
}
/* Queue on sk_receive_queue and call sk_data_ready; -ENOMEM if over rcvbuf
 * (the caller frees and counts the drop, as Linux's sock_queue_rcv_skb). */
int __sock_queue_rcv_skb(struct sock *sk, struct sk_buff *skb);
/* The receive buffer refused a packet: sk_drops and a rate-limited line. */
void sk_rcvbuf_overflow(struct sock *sk);
int sock_queue_rcv_skb(struct sock *sk, struct sk_buff *skb);
/* Report an error to the user: sk_err and sk_error_report. */
void sk_error_set(struct sock *sk, int err);
int sock_error(struct sock *sk);
static inline void sk_drops_add(struct sock *sk)
{
	sk->sk_drops++;
}
static inline bool sock_writeable(const struct sock *sk)
{
	return sk->sk_wmem_alloc < (sk->sk_sndbuf >> 1);
}
static inline int sock_wspace(const struct sock *sk)
{
	int amt = sk->sk_sndbuf - sk->sk_wmem_alloc;

	return amt < 0 ? 0 : amt;
}

/* Allocate a send skb charged to @sk, waiting for sndbuf room unless
 * @noblock (-EAGAIN) or the send timeout expires (-EAGAIN). */
struct sk_buff *sock_alloc_send_skb(struct sock *sk, unsigned long size,
				    int noblock, int *errcode);

/* Default callbacks set by sock_init_data. */
void sock_def_readable(struct sock *sk);
void sock_def_write_space(struct sock *sk);
void sock_def_wakeup(struct sock *sk);
void sock_def_error_report(struct sock *sk);

/* Timeouts: non-blocking is 0. */
static inline long sock_rcvtimeo(const struct sock *sk, bool noblock)
{
	return noblock ? 0 : sk->sk_rcvtimeo;
}
static inline long sock_sndtimeo(const struct sock *sk, bool noblock)
{
	return noblock ? 0 : sk->sk_sndtimeo;
}
static inline int sock_rcvlowat(const struct sock *sk, int waitall, int len)
{
	int v = waitall ? len : min(sk->sk_rcvlowat, len);

	return v ? v : 1;
}
/* A sleep cut short by a signal (no signals are delivered yet; Linux
 * answers -ERESTARTSYS for an unbounded wait, which the user sees as EINTR). */
static inline int sock_intr_errno(long timeo)
{
	(void)timeo;
	return -EINTR;
}

/*
 * Sleep until @condition, the lock dropped while asleep (seed 004 §3.3.4):
 * the caller is queued on sk_sleep() already (prepare_to_wait). *@timeo is
 * updated with what is left. Evaluates to the condition's final value.
 */
#define sk_wait_event(sk, timeo, condition, wait)			\
({									\
	int __rc;							\
	release_sock(sk);						\
	__rc = (condition);						\
	if (!__rc)							\
		*(timeo) = schedule_timeout(*(timeo));			\
	lock_sock(sk);							\
	__rc = (condition);						\
	__rc;								\
})
int sk_wait_data(struct sock *sk, long *timeo, const struct sk_buff *skb);

/* Readiness for poll (net/datagram.c and the inet poll). */
int datagram_ioctl(struct sock *sk, int cmd, int *karg);
unsigned int datagram_poll(struct file *file, struct socket *sock,
			   struct poll_table_struct *wait);

/* Datagram receive (net/datagram.c) */
struct sk_buff *__skb_recv_datagram(struct sock *sk, unsigned int flags,
				    int *off, int *err);
struct sk_buff *skb_recv_datagram(struct sock *sk, unsigned int flags,
				  int noblock, int *err);
void skb_free_datagram(struct sock *sk, struct sk_buff *skb);
int skb_copy_datagram_iter(const struct sk_buff *skb, int offset,
			   struct iov_iter *to, int len);
static inline int skb_copy_datagram_msg(const struct sk_buff *from, int offset,
					struct msghdr *msg, int size)
{
	return skb_copy_datagram_iter(from, offset, &msg->msg_iter, size);
}
int memcpy_from_msg(void *data, struct msghdr *msg, int len);

#endif
