/*
 * struct sock's data path, on raw ICMP sockets fed as ip_local_deliver
 * feeds them: receive queue and buffer limits, the backlog while the user
 * owns the sock, blocking and its wake-ups (seed 004 §3.3-3.6), receive
 * timeouts in virtual time, MSG_PEEK/MSG_TRUNC, and poll readiness.
 */
#include <criterion/criterion.h>
#include "tests/host/nettest.h"
#include "kernel/poll.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "lib/byteorder.h"
#include "lib/string.h"
#include "net/inet_sock.h"
#include "tests/host/netsim.h"
#include "tests/host/platform.h"

static struct socket *sock;

static void setup(void)
{
	netsim_reset();
	inet_family_init();
	cr_assert_eq(sock_create(AF_INET, SOCK_RAW, IPPROTO_ICMP, &sock), 0);
}

static void teardown(void)
{
	if (sock)
		sock_release(sock);
	netsim_teardown_no_leaks();
}

TestSuite(sock_wait, .init = setup, .fini = teardown);

/* An IPv4 datagram from 10.0.2.2 as ip_local_deliver holds it: data at
 * the transport header, the network header set. Payload: @len bytes of @fill. */
static struct sk_buff *ip_skb(u8 protocol, unsigned int len, u8 fill)
{
	struct sk_buff *skb = alloc_skb(MAX_HEADER + 20 + len);
	u8 *iph;

	cr_assert_not_null(skb);
	skb_reserve(skb, MAX_HEADER);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, 20);
	iph[0] = 0x45;
	put_be16(iph + 2, (u16)(20 + len));
	iph[8] = 64;
	iph[9] = protocol;
	put_be32(iph + 12, 0x0a000202);
	put_be32(iph + 16, 0x0a00020f);
	memset(skb_put(skb, len), fill, len);
	skb_pull(skb, 20);
	skb_reset_transport_header(skb);
	return skb;
}

/* Deliver as the IP layer does: raw socks get clones, the caller's skb is freed. */
static int deliver(u8 protocol, unsigned int len, u8 fill)
{
	struct sk_buff *skb = ip_skb(protocol, len, fill);
	int n = raw_local_deliver(skb, protocol);

	consume_skb(skb);
	return n;
}

static int recv(struct socket *s, void *buf, size_t len, int flags,
		struct sockaddr_in *from)
{
	struct kvec iov = { buf, len };
	struct msghdr msg = { .msg_name = from,
			      .msg_namelen = from ? sizeof(*from) : 0 };

	iov_iter_kvec(&msg.msg_iter, READ, &iov, 1, len);
	return sock_recvmsg(s, &msg, flags);
}

static void set_rcvtimeo(struct socket *s, long sec, long usec)
{
	long tv[2] = { sec, usec };

	cr_assert_eq(s->ops->setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, tv,
					sizeof(tv)), 0);
}

Test(sock_wait, datagram_is_received_whole_with_ip_header_and_sender)
{
	u8 buf[128];
	struct sockaddr_in from;

	cr_assert_eq(deliver(IPPROTO_ICMP, 8, 0xab), 1);
	cr_assert_eq(deliver(IPPROTO_UDP, 8, 0xcd), 0, "not our protocol");
	cr_assert_eq(recv(sock, buf, sizeof(buf), 0, &from), 28);
	cr_assert_eq(buf[0], 0x45);
	cr_assert_eq(buf[9], IPPROTO_ICMP);
	cr_assert_eq(buf[20], 0xab);
	cr_assert_eq(from.sin_family, AF_INET);
	cr_assert_eq(ntohl(from.sin_addr.s_addr), 0x0a000202);
	cr_assert_eq(sock->sk->sk_rmem_alloc, 0, "uncharged when consumed");
}

Test(sock_wait, nonblocking_receive_returns_eagain_at_once)
{
	u8 buf[64];
	u64 t0 = host_now_ns();

	cr_assert_eq(recv(sock, buf, sizeof(buf), MSG_DONTWAIT, NULL), -EAGAIN);
	cr_assert_eq(host_now_ns(), t0);
}

Test(sock_wait, rcvtimeo_expires_with_eagain_not_early)
{
	u8 buf[64];
	u64 t0 = host_now_ns();

	set_rcvtimeo(sock, 0, 250000);
	cr_assert_eq(recv(sock, buf, sizeof(buf), 0, NULL), -EAGAIN);
	cr_assert_eq(host_now_ns() - t0, 250 * NSEC_PER_MSEC,
		     "slept %lu ns", (unsigned long)(host_now_ns() - t0));
}

static struct timer_list inject_timer;

static void inject_fn(struct timer_list *t)
{
	deliver(IPPROTO_ICMP, 16, 0x11);
}

Test(sock_wait, blocked_receiver_is_woken_by_a_packet)
{
	u8 buf[64];
	u64 t0 = host_now_ns();

	/* The packet arrives 40 ms into a 1 s timeout: the reader sleeps on
	 * sk_sleep() until sock_def_readable wakes it, then takes it. */
	set_rcvtimeo(sock, 1, 0);
	timer_setup(&inject_timer, inject_fn, 0);
	mod_timer(&inject_timer, jiffies + 40);
	cr_assert_eq(recv(sock, buf, sizeof(buf), 0, NULL), 36);
	cr_assert_eq(host_now_ns() - t0, 40 * NSEC_PER_MSEC);
	cr_assert_eq(buf[20], 0x11);
	cr_assert_eq(sock->sk->sk_wq->wait.head.next, &sock->sk->sk_wq->wait.head,
		     "the waiter left the queue");
}

static struct task_struct other = { .name = "other" };
static struct wait_queue_entry other_wait;
static struct timer_list second_timer;

static void second_fn(struct timer_list *t)
{
	deliver(IPPROTO_ICMP, 16, 0x22);
}

Test(sock_wait, one_exclusive_waiter_is_woken_per_datagram)
{
	u8 buf[64];
	u64 t0 = host_now_ns();

	/* Another exclusive reader, asleep and queued first. */
	other.state = TASK_INTERRUPTIBLE;
	init_waitqueue_entry(&other_wait, &other);
	other_wait.func = autoremove_wake_function;
	add_wait_queue_exclusive(sk_sleep(sock->sk), &other_wait);

	/* Datagram 1 at 10 ms wakes "other" only; datagram 2 at 30 ms wakes us. */
	set_rcvtimeo(sock, 1, 0);
	timer_setup(&inject_timer, inject_fn, 0);
	mod_timer(&inject_timer, jiffies + 10);
	timer_setup(&second_timer, second_fn, 0);
	mod_timer(&second_timer, jiffies + 30);
	cr_assert_eq(recv(sock, buf, sizeof(buf), 0, NULL), 36);
	cr_assert_eq(host_now_ns() - t0, 30 * NSEC_PER_MSEC,
		     "woken by the first datagram: not exclusive");
	cr_assert_eq(other.state, TASK_RUNNING);
	cr_assert(list_empty(&other_wait.entry));
	cr_assert_eq(buf[20], 0x11, "still first in, first out");
	cr_assert_eq(recv(sock, buf, sizeof(buf), MSG_DONTWAIT, NULL), 36);
	cr_assert_eq(buf[20], 0x22);
}

Test(sock_wait, peek_leaves_the_datagram_and_trunc_reports_its_size)
{
	u8 buf[64];
	struct kvec iov = { buf, 10 };
	struct msghdr msg = { 0 };

	deliver(IPPROTO_ICMP, 30, 0x33);
	cr_assert_eq(recv(sock, buf, 10, MSG_PEEK, NULL), 10);
	cr_assert_eq(skb_queue_len(&sock->sk->sk_receive_queue), 1);
	iov_iter_kvec(&msg.msg_iter, READ, &iov, 1, 10);
	cr_assert_eq(sock_recvmsg(sock, &msg, MSG_TRUNC), 50,
		     "MSG_TRUNC returns the real length");
	cr_assert(msg.msg_flags & MSG_TRUNC);
	cr_assert_eq(skb_queue_len(&sock->sk->sk_receive_queue), 0,
		     "a datagram is consumed whole");
}

Test(sock_wait, receive_buffer_limit_drops_and_counts)
{
	struct sock *sk = sock->sk;
	int one = 1, queued = 0, i;
	u64 drops0 = skb_drop_counts[SKB_DROP_REASON_SOCKET_RCVBUFF];

	cr_assert_eq(sock->ops->setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &one,
					   sizeof(one)), 0);
	for (i = 0; i < 20; i++)
		deliver(IPPROTO_ICMP, 500, (u8)i);
	queued = (int)skb_queue_len(&sk->sk_receive_queue);
	cr_assert(queued >= 1 && queued < 20, "queued %d", queued);
	cr_assert_eq(sk->sk_drops, 20 - queued);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_SOCKET_RCVBUFF] - drops0,
		     (u64)(20 - queued));
	/* Linux admits while rmem_alloc is under rcvbuf: at most one skb over. */
	cr_assert(sk->sk_rmem_alloc - (int)skb_peek_tail(&sk->sk_receive_queue)->truesize
		  < sk->sk_rcvbuf);
}

Test(sock_wait, packets_for_an_owned_sock_wait_in_the_backlog)
{
	struct sock *sk = sock->sk;
	u8 buf[64];

	lock_sock(sk);
	cr_assert_eq(deliver(IPPROTO_ICMP, 8, 0x44), 1);
	cr_assert_eq(skb_queue_len(&sk->sk_receive_queue), 0,
		     "the softirq must not touch an owned sock's queue");
	cr_assert_not_null(sk->sk_backlog.head);
	cr_assert_gt(sk->sk_backlog.len, 0);
	release_sock(sk);
	cr_assert_null(sk->sk_backlog.head);
	cr_assert_eq(sk->sk_backlog.len, 0);
	cr_assert_eq(skb_queue_len(&sk->sk_receive_queue), 1);
	cr_assert_eq(recv(sock, buf, sizeof(buf), MSG_DONTWAIT, NULL), 28);
}

Test(sock_wait, backlog_is_bounded_by_rcvbuf)
{
	struct sock *sk = sock->sk;
	int one = 1, i;

	cr_assert_eq(sock->ops->setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &one,
					   sizeof(one)), 0);
	lock_sock(sk);
	for (i = 0; i < 20; i++)
		deliver(IPPROTO_ICMP, 500, 0);
	cr_assert_gt(sk->sk_drops, 0);
	/* Admitted while under the limit: at most one skb beyond it. */
	cr_assert_leq(sk->sk_backlog.len - (int)sk->sk_backlog.tail->truesize,
		      sk->sk_rcvbuf);
	release_sock(sk);
}

struct poll_probe {
	poll_table pt;
	wait_queue_head_t *queued_on;
};

static void probe_qproc(struct file *f, wait_queue_head_t *wq, poll_table *p)
{
	container_of(p, struct poll_probe, pt)->queued_on = wq;
}

Test(sock_wait, poll_reports_readable_writable_error_and_hangup)
{
	struct poll_probe probe = { 0 };
	struct sock *sk = sock->sk;
	unsigned int mask;

	init_poll_funcptr(&probe.pt, probe_qproc);
	mask = sock->ops->poll(NULL, sock, &probe.pt);
	cr_assert_eq(probe.queued_on, &sock->wq.wait, "poll_wait on the socket");
	cr_assert_eq(mask, EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND);
	deliver(IPPROTO_ICMP, 8, 0);
	mask = sock->ops->poll(NULL, sock, NULL);
	cr_assert(mask & EPOLLIN && mask & EPOLLRDNORM);
	sk->sk_err = ECONNREFUSED;
	cr_assert(sock->ops->poll(NULL, sock, NULL) & EPOLLERR);
	sk->sk_err = 0;
	cr_assert_eq(sock->ops->shutdown(sock, SHUT_RDWR), -ENOTCONN,
		     "unconnected, but shut down all the same");
	mask = sock->ops->poll(NULL, sock, NULL);
	cr_assert(mask & EPOLLHUP && mask & EPOLLRDHUP);
	cr_assert_eq(sock->ops->shutdown(sock, 7), -EINVAL);
}

Test(sock_wait, shutdown_ends_a_blocked_read_with_zero)
{
	u8 buf[64];

	sock->ops->shutdown(sock, SHUT_RD);
	cr_assert_eq(recv(sock, buf, sizeof(buf), 0, NULL), 0);
}

Test(sock_wait, pending_error_is_reported_once_by_recv)
{
	u8 buf[64];

	sk_error_set(sock->sk, EHOSTUNREACH);
	cr_assert_eq(recv(sock, buf, sizeof(buf), MSG_DONTWAIT, NULL),
		     -EHOSTUNREACH);
	cr_assert_eq(recv(sock, buf, sizeof(buf), MSG_DONTWAIT, NULL), -EAGAIN);
}

Test(sock_wait, fionread_is_the_next_datagram_size)
{
	int n = -1;

	cr_assert_eq(sock->ops->ioctl(sock, SIOCINQ, (unsigned long)&n), 0);
	cr_assert_eq(n, 0);
	deliver(IPPROTO_ICMP, 12, 0);
	deliver(IPPROTO_ICMP, 40, 0);
	cr_assert_eq(sock->ops->ioctl(sock, SIOCINQ, (unsigned long)&n), 0);
	cr_assert_eq(n, 32);
	cr_assert_eq(sock->ops->ioctl(sock, 0x1234, (unsigned long)&n), -ENOTTY);
}

Test(sock_wait, closing_with_data_queued_frees_everything)
{
	deliver(IPPROTO_ICMP, 100, 0);
	deliver(IPPROTO_ICMP, 100, 0);
	sock_release(sock);
	sock = NULL;
	cr_assert_eq(deliver(IPPROTO_ICMP, 8, 0), 0, "unhashed at close");
}

/* sk_wait_data (seed 004 §3.3), the stream receivers' wait: owner sleeps
 * with the lock released, so the packet goes to the queue, not the backlog. */
Test(sock_wait, sk_wait_data_releases_the_lock_while_asleep)
{
	struct sock *sk = sock->sk;
	long timeo = 1000;
	u64 t0 = host_now_ns();

	timer_setup(&inject_timer, inject_fn, 0);
	mod_timer(&inject_timer, jiffies + 25);
	lock_sock(sk);
	cr_assert_eq(sk_wait_data(sk, &timeo, NULL), 1);
	cr_assert(sock_owned_by_user(sk), "owned again on return");
	cr_assert_eq(skb_queue_len(&sk->sk_receive_queue), 1);
	cr_assert_null(sk->sk_backlog.head, "queued directly: the lock was free");
	cr_assert_eq(host_now_ns() - t0, 25 * NSEC_PER_MSEC);
	cr_assert_eq(timeo, 1000 - 25, "the time left comes back");
	/* Nothing more comes: the whole timeout passes, and 0 says so. */
	timeo = 30;
	cr_assert_eq(sk_wait_data(sk, &timeo, skb_peek_tail(&sk->sk_receive_queue)), 0);
	cr_assert_eq(timeo, 0);
	release_sock(sk);
}
