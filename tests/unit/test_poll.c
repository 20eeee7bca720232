/*
 * Readiness through syscalls: poll/ppoll and epoll (level-triggered,
 * EPOLLET, EPOLLONESHOT) on socket fds, built on the sockets' wait queues
 * and keys: a blocked poller is woken by a datagram, not by an event it
 * did not ask for, and times out at the exact virtual time.
 */
#include <criterion/criterion.h>
#include "tests/host/nettest.h"
#include "kernel/fs.h"
#include "kernel/poll.h"
#include "kernel/syscalls.h"
#include "lib/byteorder.h"
#include "lib/string.h"
#include "net/inet_sock.h"
#include "tests/host/netsim.h"
#include "tests/host/platform.h"
#include "tests/host/sched.h"

#define BADPTR	0x100UL
#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3

struct pollfd {
	int fd;
	short events;
	short revents;
};

struct epoll_event {
	u32 events;
	u64 data;
} __packed;

static void setup(void)
{
	netsim_reset();
	inet_family_init();
	current->files = files_alloc();
}

static void teardown(void)
{
	host_sched_finish();
	files_release(current->files);
	current->files = NULL;
	netsim_teardown_no_leaks();
}

TestSuite(poll, .init = setup, .fini = teardown);

static long raw_fd(void)
{
	long fd = sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	cr_assert_geq(fd, 0);
	return fd;
}

/* An ICMP datagram for the raw sockets, as ip_local_deliver gives it. */
static void deliver(void)
{
	struct sk_buff *skb = alloc_skb(MAX_HEADER + 28);
	u8 *iph;

	skb_reserve(skb, MAX_HEADER);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, 28);
	iph[0] = 0x45;
	iph[9] = IPPROTO_ICMP;
	skb_pull(skb, 20);
	skb_reset_transport_header(skb);
	raw_local_deliver(skb, IPPROTO_ICMP);
	consume_skb(skb);
}

static void drain(long fd)
{
	u8 buf[64];

	cr_assert_eq(sys_recvfrom((unsigned long)fd, (unsigned long)buf,
				  sizeof(buf), MSG_DONTWAIT, 0, 0), 28);
}

Test(poll, poll_reports_each_fd_and_nval)
{
	long a = raw_fd(), b = raw_fd();
	struct pollfd p[3] = { { (int)a, POLLIN, -1 }, { (int)b, POLLOUT, -1 },
			       { 50, POLLIN, -1 } };

	cr_assert_eq(sys_poll((unsigned long)p, 3, 0), 2);
	cr_assert_eq(p[0].revents, 0);
	cr_assert_eq(p[1].revents, POLLOUT);
	cr_assert_eq(p[2].revents, POLLNVAL);
	deliver();
	p[2].fd = -1;
	cr_assert_eq(sys_poll((unsigned long)p, 3, 0), 2);
	cr_assert_eq(p[0].revents, POLLIN);
	cr_assert_eq(p[2].revents, 0, "negative fds are skipped");
	cr_assert_eq(sys_poll(BADPTR, 1, 0), -EFAULT);
	cr_assert_eq(sys_poll((unsigned long)p, 1025, 0), -EINVAL, "over RLIMIT_NOFILE");
	drain(a);
}

Test(poll, poll_times_out_at_the_exact_virtual_time)
{
	long a = raw_fd();
	struct pollfd p = { (int)a, POLLIN, 0 };
	struct { s64 sec; long nsec; } ts = { 0, 250 * 1000000L };
	u64 t0 = host_now_ns();

	cr_assert_eq(sys_poll((unsigned long)&p, 1, 100), 0);
	cr_assert_geq(host_now_ns() - t0, 100 * NSEC_PER_MSEC);
	cr_assert_leq(host_now_ns() - t0, 101 * NSEC_PER_MSEC);
	t0 = host_now_ns();
	cr_assert_eq(sys_ppoll((unsigned long)&p, 1, (unsigned long)&ts, 0, 0), 0);
	cr_assert_eq(host_now_ns() - t0, 250 * NSEC_PER_MSEC);
	ts.nsec = 1000000000L;
	cr_assert_eq(sys_ppoll((unsigned long)&p, 1, (unsigned long)&ts, 0, 0),
		     -EINVAL);
	cr_assert_eq(sys_ppoll((unsigned long)&p, 1, 0, (unsigned long)&ts, 4),
		     -EINVAL, "sigsetsize must be 8");
}

struct poller {
	struct pollfd p;
	long ret;
	bool done;
};

static int poller_fn(void *arg)
{
	struct poller *pl = arg;

	pl->ret = sys_poll((unsigned long)&pl->p, 1, -1);
	pl->done = true;
	return 0;
}

Test(poll, blocked_poll_is_woken_by_data_not_by_write_space)
{
	long a = raw_fd();
	struct poller pl = { .p = { (int)a, POLLIN, 0 } };
	struct socket *sock = sock_from_file(current->files->fd[a]);

	kthread_run(poller_fn, &pl, "poller")->files = current->files;
	host_sched_run_ready();
	cr_assert_not(pl.done);
	/* A write-space wake-up carries EPOLLOUT: not what the poller asked for. */
	sock->sk->sk_write_space(sock->sk);
	host_sched_run_ready();
	cr_assert_not(pl.done);
	deliver();
	host_sched_run_ready();
	cr_assert(pl.done);
	cr_assert_eq(pl.ret, 1);
	cr_assert_eq(pl.p.revents, POLLIN);
	cr_assert_not(waitqueue_active(&sock->wq.wait), "poll left the queue");
	drain(a);
}

static long epfd_with(long fd, u32 events, u64 data)
{
	long ep = sys_epoll_create1(0);
	struct epoll_event ev = { events, data };

	cr_assert_geq(ep, 0);
	cr_assert_eq(sys_epoll_ctl((unsigned long)ep, EPOLL_CTL_ADD,
				   (unsigned long)fd, (unsigned long)&ev), 0);
	return ep;
}

static long ep_wait(long ep, struct epoll_event *evs, int max, int ms)
{
	return sys_epoll_wait((unsigned long)ep, (unsigned long)evs,
			      (unsigned long)max, (unsigned long)(long)ms);
}

Test(poll, epoll_level_triggered_repeats_while_ready)
{
	long a = raw_fd(), ep = epfd_with(a, EPOLLIN, 0xfeed);
	struct epoll_event evs[4];

	cr_assert_eq(ep_wait(ep, evs, 4, 0), 0);
	deliver();
	cr_assert_eq(ep_wait(ep, evs, 4, 0), 1);
	cr_assert_eq(evs[0].events, EPOLLIN);
	cr_assert_eq(evs[0].data, 0xfeed);
	cr_assert_eq(ep_wait(ep, evs, 4, 0), 1, "still readable: reported again");
	drain(a);
	cr_assert_eq(ep_wait(ep, evs, 4, 0), 0, "drained: no longer ready");
}

Test(poll, epoll_edge_triggered_reports_each_arrival_once)
{
	long a = raw_fd(), ep = epfd_with(a, EPOLLIN | EPOLLET, 1);
	struct epoll_event evs[4];

	deliver();
	cr_assert_eq(ep_wait(ep, evs, 4, 0), 1);
	cr_assert_eq(ep_wait(ep, evs, 4, 0), 0, "no new edge");
	deliver();
	cr_assert_eq(ep_wait(ep, evs, 4, 0), 1, "a new datagram is a new edge");
	drain(a);
	drain(a);
}

Test(poll, epoll_oneshot_disarms_until_mod)
{
	long a = raw_fd(), ep = epfd_with(a, EPOLLIN | EPOLLONESHOT, 1);
	struct epoll_event evs[4], ev = { EPOLLIN, 2 };

	deliver();
	cr_assert_eq(ep_wait(ep, evs, 4, 0), 1);
	deliver();
	cr_assert_eq(ep_wait(ep, evs, 4, 0), 0);
	cr_assert_eq(sys_epoll_ctl((unsigned long)ep, EPOLL_CTL_MOD,
				   (unsigned long)a, (unsigned long)&ev), 0);
	cr_assert_eq(ep_wait(ep, evs, 4, 0), 1);
	cr_assert_eq(evs[0].data, 2);
	drain(a);
	drain(a);
}

struct ep_waiter {
	long ep;
	struct epoll_event ev;
	long ret;
	bool done;
};

static int ep_waiter_fn(void *arg)
{
	struct ep_waiter *w = arg;

	w->ret = ep_wait(w->ep, &w->ev, 1, 1000);
	w->done = true;
	return 0;
}

Test(poll, blocked_epoll_wait_is_woken_by_a_datagram)
{
	long a = raw_fd();
	struct ep_waiter w = { .ep = epfd_with(a, EPOLLIN, 7) };
	u64 t0 = host_now_ns();

	kthread_run(ep_waiter_fn, &w, "epoller")->files = current->files;
	host_sched_run_ready();
	cr_assert_not(w.done);
	host_clock_advance(5 * NSEC_PER_MSEC);
	deliver();
	host_sched_run_ready();
	cr_assert(w.done);
	cr_assert_eq(w.ret, 1);
	cr_assert_eq(w.ev.data, 7);
	cr_assert_eq(host_now_ns() - t0, 5 * NSEC_PER_MSEC);
	drain(a);
}

Test(poll, epoll_wait_times_out)
{
	long a = raw_fd(), ep = epfd_with(a, EPOLLIN, 0);
	struct epoll_event ev;
	u64 t0 = host_now_ns();

	cr_assert_eq(ep_wait(ep, &ev, 1, 40), 0);
	cr_assert_geq(host_now_ns() - t0, 40 * NSEC_PER_MSEC);
	cr_assert_leq(host_now_ns() - t0, 41 * NSEC_PER_MSEC);
}

Test(poll, epoll_errors_match_linux)
{
	long a = raw_fd(), ep = sys_epoll_create1(0);
	struct epoll_event ev = { EPOLLIN, 0 }, evs[2];
	static const struct file_operations nopoll_ops;
	long plain = fd_install_from(current->files,
				     alloc_file(&nopoll_ops, O_RDWR, NULL), 0,
				     false);

	cr_assert_eq(sys_epoll_create1(1), -EINVAL);
	cr_assert_eq(sys_epoll_create(0), -EINVAL);
	cr_assert_eq(sys_epoll_ctl((unsigned long)ep, EPOLL_CTL_ADD,
				   (unsigned long)a, BADPTR), -EFAULT);
	cr_assert_eq(sys_epoll_ctl(60, EPOLL_CTL_ADD, (unsigned long)a,
				   (unsigned long)&ev), -EBADF);
	cr_assert_eq(sys_epoll_ctl((unsigned long)ep, EPOLL_CTL_ADD, 60,
				   (unsigned long)&ev), -EBADF);
	cr_assert_eq(sys_epoll_ctl((unsigned long)ep, EPOLL_CTL_ADD,
				   (unsigned long)plain, (unsigned long)&ev),
		     -EPERM, "a file that cannot be polled");
	cr_assert_eq(sys_epoll_ctl((unsigned long)a, EPOLL_CTL_ADD,
				   (unsigned long)ep, (unsigned long)&ev),
		     -EINVAL, "epfd is not an epoll fd");
	cr_assert_eq(sys_epoll_ctl((unsigned long)ep, EPOLL_CTL_ADD,
				   (unsigned long)ep, (unsigned long)&ev), -EINVAL);
	cr_assert_eq(sys_epoll_ctl((unsigned long)ep, EPOLL_CTL_MOD,
				   (unsigned long)a, (unsigned long)&ev), -ENOENT);
	cr_assert_eq(sys_epoll_ctl((unsigned long)ep, EPOLL_CTL_DEL,
				   (unsigned long)a, 0), -ENOENT);
	cr_assert_eq(sys_epoll_ctl((unsigned long)ep, EPOLL_CTL_ADD,
				   (unsigned long)a, (unsigned long)&ev), 0);
	cr_assert_eq(sys_epoll_ctl((unsigned long)ep, EPOLL_CTL_ADD,
				   (unsigned long)a, (unsigned long)&ev), -EEXIST);
	cr_assert_eq(sys_epoll_ctl((unsigned long)ep, 9, (unsigned long)a,
				   (unsigned long)&ev), -EINVAL);
	cr_assert_eq(ep_wait(ep, evs, 0, 0), -EINVAL);
	cr_assert_eq(ep_wait(ep, (struct epoll_event *)BADPTR, 2, 0), -EFAULT);
	cr_assert_eq(ep_wait(a, evs, 2, 0), -EINVAL);
	cr_assert_eq(ep_wait(61, evs, 2, 0), -EBADF);
	cr_assert_eq(sys_epoll_ctl((unsigned long)ep, EPOLL_CTL_DEL,
				   (unsigned long)a, 0), 0);
	/* Closing a watched socket frees it and drops it from the set (Linux). */
	cr_assert_eq(sys_epoll_ctl((unsigned long)ep, EPOLL_CTL_ADD,
				   (unsigned long)a, (unsigned long)&ev), 0);
	cr_assert_eq(sys_close((unsigned long)a), 0);
	cr_assert_eq(sockets_in_use(), 0, "epoll does not hold it open");
	cr_assert_eq(ep_wait(ep, evs, 2, 0), 0);
	cr_assert_eq(sys_close((unsigned long)ep), 0);
}

/* select(2): bitmaps in and out, EBADF for a closed descriptor, the timeval updated. */
Test(poll, select_reports_readable_and_writable_bits)
{
	long a = raw_fd(), b = raw_fd();
	u64 in = (1ULL << a) | (1ULL << b), out = 1ULL << b;
	long tv[2] = { 0, 0 };

	cr_assert_eq(sys_select((unsigned long)b + 1, (unsigned long)&in,
				(unsigned long)&out, 0, (unsigned long)tv), 1);
	cr_assert_eq(in, 0, "nothing to read yet");
	cr_assert_eq(out, 1ULL << b);
	deliver();
	in = (1ULL << a) | (1ULL << b);
	out = 0;
	cr_assert_eq(sys_select((unsigned long)b + 1, (unsigned long)&in,
				(unsigned long)&out, 0, (unsigned long)tv), 2,
		     "both raw sockets got the datagram");
	cr_assert_eq(in, (1ULL << a) | (1ULL << b));
	in = 1ULL << 40;
	cr_assert_eq(sys_select(41, (unsigned long)&in, 0, 0, (unsigned long)tv),
		     -EBADF);
	cr_assert_eq(sys_select((unsigned long)-1, 0, 0, 0, (unsigned long)tv),
		     -EINVAL);
	tv[1] = 1000000;
	cr_assert_eq(sys_select(1, 0, 0, 0, (unsigned long)tv), -EINVAL);
	cr_assert_eq(sys_select(1, BADPTR, 0, 0, 0), -EFAULT);
	drain(a);
	drain(b);
}

Test(poll, select_sleeps_its_timeout_and_reports_none_left)
{
	long a = raw_fd();
	u64 in = 1ULL << a;
	long tv[2] = { 0, 60000 };
	u64 t0 = host_now_ns();

	cr_assert_eq(sys_select((unsigned long)a + 1, (unsigned long)&in, 0, 0,
				(unsigned long)tv), 0);
	cr_assert_eq(host_now_ns() - t0, 60 * NSEC_PER_MSEC);
	cr_assert(tv[0] == 0 && tv[1] == 0, "no time left");
	cr_assert_eq(in, 0);
}
