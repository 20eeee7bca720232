/*
 * UDP sockets between two stacks on a simulated link (A 10.0.0.1, B
 * 10.0.0.2): exchange, bind rules and ephemeral ports, connected-socket
 * filtering and ECONNREFUSED from ICMP, broadcast permission, buffer
 * limits, blocked readers woken from the wire (coroutines), one exclusive
 * waiter per datagram, shutdown.
 */
#include <criterion/criterion.h>
#include "tests/host/nettest.h"
#include "kernel/poll.h"
#include "kernel/sched.h"
#include "lib/byteorder.h"
#include "lib/string.h"
#include "net/inet_sock.h"
#include "net/inetdevice.h"
#include "net/checksum.h"
#include "net/sock_diag.h"
#include "net/udp.h"
#include "tests/host/host_random.h"
#include "tests/host/netsim.h"
#include "tests/host/platform.h"
#include "tests/host/sched.h"

static const u8 mac_a[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 0xa };
static const u8 mac_b[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 0xb };
static struct net *ns_b;
static struct net_device *dev_a, *dev_b;

static void setup(void)
{
	struct sim_link_params p = { .delay_ns = 100000, .seed = 1 };

	netsim_reset();
	host_random_seed(1);
	inet_family_init();
	dev_a = fakedev_create(mac_a);
	inet_set_address(dev_a, ip4(10, 0, 0, 1), 24);
	ns_b = net_create("b");
	net_switch(ns_b);
	dev_b = fakedev_create(mac_b);
	inet_set_address(dev_b, ip4(10, 0, 0, 2), 24);
	net_switch(&init_net);
	fakedev_flush_tx(dev_a);
	fakedev_flush_tx(dev_b);
	sim_link_create(dev_a, dev_b, &p);
}

static void teardown(void)
{
	net_switch(&init_net);
	host_sched_finish();
	netsim_teardown_no_leaks();
}

TestSuite(udp_sock, .init = setup, .fini = teardown);

static struct sockaddr_in addr(__be32 a, u16 port)
{
	return (struct sockaddr_in){ .sin_family = AF_INET,
				     .sin_port = htons(port),
				     .sin_addr.s_addr = a };
}

/* A UDP socket in namespace @net, bound to @port on any address (0: unbound). */
static struct socket *udp_socket(struct net *net, u16 port)
{
	struct net *prev = net_switch(net);
	struct socket *sock;
	struct sockaddr_in a = addr(INADDR_ANY, port);

	cr_assert_eq(sock_create(AF_INET, SOCK_DGRAM, 0, &sock), 0);
	if (port)
		cr_assert_eq(sock->ops->bind(sock, (struct sockaddr *)&a, sizeof(a)), 0);
	net_switch(prev);
	return sock;
}

static int bind_to(struct socket *sock, __be32 a, u16 port)
{
	struct sockaddr_in sa = addr(a, port);

	return sock->ops->bind(sock, (struct sockaddr *)&sa, sizeof(sa));
}

static int send_to(struct socket *sock, struct sockaddr_in *to,
		   const void *data, size_t len)
{
	struct net *prev = net_switch(sock->sk->sk_net);
	struct kvec iov = { (void *)data, len };
	struct msghdr msg = { .msg_name = to,
			      .msg_namelen = to ? sizeof(*to) : 0 };
	int ret;

	iov_iter_kvec(&msg.msg_iter, WRITE, &iov, 1, len);
	ret = sock_sendmsg(sock, &msg);
	net_switch(prev);
	return ret;
}

static int recv_from(struct socket *sock, void *buf, size_t len, int flags,
		     struct sockaddr_in *from)
{
	struct kvec iov = { buf, len };
	struct msghdr msg = { .msg_name = from,
			      .msg_namelen = from ? sizeof(*from) : 0 };

	iov_iter_kvec(&msg.msg_iter, READ, &iov, 1, len);
	return sock_recvmsg(sock, &msg, flags);
}

static u16 local_port(struct socket *sock)
{
	struct sockaddr_in a;

	cr_assert_eq(sock->ops->getname(sock, (struct sockaddr *)&a, 0), sizeof(a));
	return ntohs(a.sin_port);
}

Test(udp_sock, datagrams_cross_between_two_stacks_both_ways)
{
	struct socket *a = udp_socket(&init_net, 5000), *b = udp_socket(ns_b, 7);
	struct sockaddr_in to = addr(ip4(10, 0, 0, 2), 7), from;
	char buf[64];

	cr_assert_eq(send_to(a, &to, "hello", 5), 5);
	netsim_run_ms(10);
	cr_assert_eq(recv_from(b, buf, sizeof(buf), MSG_DONTWAIT, &from), 5);
	cr_assert_eq(memcmp(buf, "hello", 5), 0);
	cr_assert_eq(from.sin_addr.s_addr, ip4(10, 0, 0, 1));
	cr_assert_eq(ntohs(from.sin_port), 5000);
	/* Echo back to the sender's address. */
	cr_assert_eq(send_to(b, &from, "olleh", 5), 5);
	netsim_run_ms(10);
	cr_assert_eq(recv_from(a, buf, sizeof(buf), MSG_DONTWAIT, &from), 5);
	cr_assert_eq(memcmp(buf, "olleh", 5), 0);
	cr_assert_eq(ntohs(from.sin_port), 7);
	cr_assert_eq(a->sk->sk_wmem_alloc, 0, "sent skbs gave their bytes back");
	sock_release(a);
	sock_release(b);
}

Test(udp_sock, unbound_sender_gets_an_ephemeral_port)
{
	struct socket *a = udp_socket(&init_net, 0), *b = udp_socket(ns_b, 9);
	struct sockaddr_in to = addr(ip4(10, 0, 0, 2), 9), from;
	char buf[8];
	u16 port;

	cr_assert_eq(local_port(a), 0);
	cr_assert_eq(send_to(a, &to, "x", 1), 1);
	port = local_port(a);
	cr_assert(port >= 32768 && port <= 60999, "port %u", port);
	netsim_run_ms(10);
	cr_assert_eq(recv_from(b, buf, sizeof(buf), MSG_DONTWAIT, &from), 1);
	cr_assert_eq(ntohs(from.sin_port), port);
	sock_release(a);
	sock_release(b);
}

Test(udp_sock, bind_rules_match_linux)
{
	struct socket *a = udp_socket(&init_net, 0), *b = udp_socket(&init_net, 0);
	struct socket *c = udp_socket(ns_b, 0);
	struct sockaddr_in6_like { u16 family; u8 rest[26]; } a6 = { AF_INET6, { 0 } };
	struct sockaddr_in un = addr(INADDR_ANY, 4000);
	int one = 1;

	cr_assert_eq(bind_to(a, INADDR_ANY, 4000), 0);
	cr_assert_eq(bind_to(a, INADDR_ANY, 4001), -EINVAL, "already bound");
	cr_assert_eq(bind_to(b, INADDR_ANY, 4000), -EADDRINUSE);
	cr_assert_eq(bind_to(b, ip4(10, 0, 0, 1), 4000), -EADDRINUSE,
		     "overlaps the wildcard");
	cr_assert_eq(local_port(b), 0, "the refused bind changed nothing");
	cr_assert_eq(bind_to(b, ip4(10, 9, 9, 9), 4002), -EADDRNOTAVAIL);
	cr_assert_eq(b->ops->bind(b, (struct sockaddr *)&a6, sizeof(a6)),
		     -EAFNOSUPPORT);
	cr_assert_eq(b->ops->bind(b, (struct sockaddr *)&un, 15), -EINVAL);
	un.sin_family = AF_UNSPEC;
	un.sin_addr.s_addr = ip4(10, 0, 0, 1);
	cr_assert_eq(b->ops->bind(b, (struct sockaddr *)&un, sizeof(un)),
		     -EAFNOSUPPORT, "AF_UNSPEC only with INADDR_ANY");
	net_switch(ns_b);
	cr_assert_eq(bind_to(c, INADDR_ANY, 4000), 0, "another stack's port");
	net_switch(&init_net);
	sock_release(a);
	cr_assert_eq(bind_to(b, INADDR_ANY, 4000), 0, "freed at close");

	/* SO_REUSEADDR on both lets them share. */
	a = udp_socket(&init_net, 0);
	cr_assert_eq(bind_to(a, INADDR_ANY, 4000), -EADDRINUSE);
	a->ops->setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	b->sk->sk_reuse = 1;
	cr_assert_eq(bind_to(a, INADDR_ANY, 4000), 0);
	sock_release(a);
	sock_release(b);
	sock_release(c);
}

Test(udp_sock, connected_socket_hears_only_its_peer)
{
	struct socket *a = udp_socket(&init_net, 5000);
	struct socket *b1 = udp_socket(ns_b, 9000), *b2 = udp_socket(ns_b, 9001);
	struct sockaddr_in peer = addr(ip4(10, 0, 0, 2), 9000);
	struct sockaddr_in to_a = addr(ip4(10, 0, 0, 1), 5000), got;
	char buf[8];

	cr_assert_eq(a->ops->connect(a, (struct sockaddr *)&peer, sizeof(peer), 0), 0);
	cr_assert_eq(a->ops->getname(a, (struct sockaddr *)&got, 1), sizeof(got));
	cr_assert_eq(got.sin_addr.s_addr, peer.sin_addr.s_addr);
	cr_assert_eq(got.sin_port, peer.sin_port);
	cr_assert_eq(a->ops->getname(a, (struct sockaddr *)&got, 0), sizeof(got));
	cr_assert_eq(got.sin_addr.s_addr, ip4(10, 0, 0, 1), "source chosen by route");

	cr_assert_eq(send_to(b2, &to_a, "no", 2), 2);
	cr_assert_eq(send_to(b1, &to_a, "ok", 2), 2);
	netsim_run_ms(10);
	cr_assert_eq(recv_from(a, buf, sizeof(buf), MSG_DONTWAIT, NULL), 2);
	cr_assert_eq(memcmp(buf, "ok", 2), 0);
	cr_assert_eq(recv_from(a, buf, sizeof(buf), MSG_DONTWAIT, NULL), -EAGAIN,
		     "the other port's datagram was not for us");
	/* send without an address goes to the peer */
	cr_assert_eq(send_to(a, NULL, "hi", 2), 2);
	netsim_run_ms(10);
	cr_assert_eq(recv_from(b1, buf, sizeof(buf), MSG_DONTWAIT, NULL), 2);

	got.sin_family = AF_UNSPEC;
	cr_assert_eq(a->ops->connect(a, (struct sockaddr *)&got, sizeof(got), 0), 0);
	cr_assert_eq(a->ops->getname(a, (struct sockaddr *)&got, 1), -ENOTCONN);
	cr_assert_eq(send_to(a, NULL, "hi", 2), -EDESTADDRREQ);
	sock_release(a);
	sock_release(b1);
	sock_release(b2);
}

Test(udp_sock, port_unreachable_is_econnrefused_on_a_connected_socket)
{
	struct socket *a = udp_socket(&init_net, 0), *u = udp_socket(&init_net, 0);
	struct sockaddr_in nobody = addr(ip4(10, 0, 0, 2), 9999);
	char buf[8];

	cr_assert_eq(a->ops->connect(a, (struct sockaddr *)&nobody,
				     sizeof(nobody), 0), 0);
	cr_assert_eq(send_to(a, NULL, "?", 1), 1);
	cr_assert_eq(send_to(u, &nobody, "?", 1), 1);
	netsim_run_ms(10);
	cr_assert_eq(recv_from(a, buf, sizeof(buf), 0, NULL), -ECONNREFUSED);
	cr_assert_eq(recv_from(a, buf, sizeof(buf), MSG_DONTWAIT, NULL), -EAGAIN,
		     "reported once");
	cr_assert_eq(recv_from(u, buf, sizeof(buf), MSG_DONTWAIT, NULL), -EAGAIN,
		     "an unconnected socket is not told");
	cr_assert_eq(u->sk->sk_err, 0);
	sock_release(a);
	sock_release(u);
}

Test(udp_sock, send_errors_match_linux)
{
	struct socket *a = udp_socket(&init_net, 0), *b = udp_socket(ns_b, 67);
	struct sockaddr_in to = addr(ip4(10, 0, 0, 2), 0);
	struct sockaddr_in bcast = addr(INADDR_BROADCAST, 67);
	struct sockaddr_in subnet = addr(ip4(10, 0, 0, 255), 67);
	static char big[UDP_MAX_PAYLOAD + 1];
	char buf[8];
	int one = 1;

	cr_assert_eq(send_to(a, NULL, "x", 1), -EDESTADDRREQ);
	cr_assert_eq(send_to(a, &to, "x", 1), -EINVAL, "port 0");
	to.sin_port = htons(67);
	to.sin_family = AF_INET6;
	cr_assert_eq(send_to(a, &to, "x", 1), -EAFNOSUPPORT);
	to.sin_family = AF_INET;
	cr_assert_eq(send_to(a, &to, big, sizeof(big)), -EMSGSIZE);
	to.sin_addr.s_addr = ip4(192, 168, 1, 1);
	cr_assert_eq(send_to(a, &to, "x", 1), -ENETUNREACH, "no default route");
	cr_assert_eq(send_to(a, &bcast, "x", 1), -EACCES);
	cr_assert_eq(send_to(a, &subnet, "x", 1), -EACCES);
	a->ops->setsockopt(a, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	cr_assert_eq(send_to(a, &bcast, "b", 1), 1);
	netsim_run_ms(10);
	cr_assert_eq(recv_from(b, buf, sizeof(buf), MSG_DONTWAIT, NULL), 1,
		     "a broadcast reaches a socket bound to any address");
	cr_assert_eq(a->ops->shutdown(a, SHUT_WR), -ENOTCONN);
	to.sin_addr.s_addr = ip4(10, 0, 0, 2);
	cr_assert_eq(send_to(a, &to, "x", 1), -EPIPE);
	sock_release(a);
	sock_release(b);
}

Test(udp_sock, full_receive_buffer_drops_and_counts)
{
	struct socket *a = udp_socket(&init_net, 0), *b = udp_socket(ns_b, 7);
	struct sockaddr_in to = addr(ip4(10, 0, 0, 2), 7);
	static char data[1000];
	int small = 2000, i, queued;

	/* Resolve ARP first, so no datagram waits on (or is lost from) its queue. */
	cr_assert_eq(send_to(a, &to, data, 1), 1);
	netsim_run_ms(10);
	cr_assert_eq(recv_from(b, data, 1, MSG_DONTWAIT, NULL), 1);
	b->ops->setsockopt(b, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	for (i = 0; i < 10; i++)
		cr_assert_eq(send_to(a, &to, data, sizeof(data)), sizeof(data));
	netsim_run_ms(10);
	queued = (int)skb_queue_len(&b->sk->sk_receive_queue);
	cr_assert(queued > 0 && queued < 10, "queued %d", queued);
	cr_assert_eq(b->sk->sk_drops, 10 - queued);
	net_switch(ns_b);
	cr_assert_eq(snmp_get("Udp", "RcvbufErrors"), (u64)(10 - queued));
	net_switch(&init_net);
	sock_release(a);
	sock_release(b);
}

Test(udp_sock, peek_trunc_and_fionread)
{
	struct socket *a = udp_socket(&init_net, 0), *b = udp_socket(ns_b, 7);
	struct sockaddr_in to = addr(ip4(10, 0, 0, 2), 7);
	char buf[64];
	int n;

	send_to(a, &to, "0123456789", 10);
	netsim_run_ms(10);
	cr_assert_eq(b->ops->ioctl(b, SIOCINQ, (unsigned long)&n), 0);
	cr_assert_eq(n, 10, "payload only");
	cr_assert(b->ops->poll(NULL, b, NULL) & EPOLLIN);
	cr_assert_eq(recv_from(b, buf, 4, MSG_PEEK, NULL), 4);
	cr_assert_eq(recv_from(b, buf, 4, MSG_TRUNC, NULL), 10);
	cr_assert_eq(memcmp(buf, "0123", 4), 0);
	cr_assert_eq(recv_from(b, buf, sizeof(buf), MSG_DONTWAIT, NULL), -EAGAIN,
		     "the rest of a truncated datagram is discarded");
	cr_assert_eq(b->ops->poll(NULL, b, NULL) & EPOLLIN, 0);
	sock_release(a);
	sock_release(b);
}

/* ---- sleepers (coroutines on the host scheduler) ---- */

struct reader {
	struct socket *sock;
	int ret;
	char buf[32];
	bool done;
};

static int reader_fn(void *arg)
{
	struct reader *r = arg;

	r->ret = recv_from(r->sock, r->buf, sizeof(r->buf), 0, NULL);
	r->done = true;
	return 0;
}

Test(udp_sock, blocked_reader_is_woken_by_a_datagram_from_the_wire)
{
	struct socket *a = udp_socket(&init_net, 0), *b = udp_socket(ns_b, 7);
	struct sockaddr_in to = addr(ip4(10, 0, 0, 2), 7);
	struct reader r = { .sock = b };

	kthread_run(reader_fn, &r, "reader");
	host_sched_run_ready();
	cr_assert_not(r.done, "nothing queued: the reader sleeps");
	cr_assert(waitqueue_active(sk_sleep(b->sk)));
	send_to(a, &to, "wake", 4);
	netsim_run_ms(10);
	host_sched_run_ready();
	cr_assert(r.done);
	cr_assert_eq(r.ret, 4);
	cr_assert_eq(memcmp(r.buf, "wake", 4), 0);
	sock_release(a);
	sock_release(b);
}

Test(udp_sock, each_datagram_wakes_one_of_two_exclusive_readers)
{
	struct socket *a = udp_socket(&init_net, 0), *b = udp_socket(ns_b, 7);
	struct sockaddr_in to = addr(ip4(10, 0, 0, 2), 7);
	struct reader r1 = { .sock = b }, r2 = { .sock = b };

	kthread_run(reader_fn, &r1, "r1");
	kthread_run(reader_fn, &r2, "r2");
	host_sched_run_ready();
	cr_assert(!r1.done && !r2.done);
	send_to(a, &to, "one", 3);
	netsim_run_ms(10);
	host_sched_run_ready();
	cr_assert_eq(r1.done + r2.done, 1, "exactly one reader per datagram");
	cr_assert(r1.done, "the first to sleep is first served");
	cr_assert_eq(r1.ret, 3);
	send_to(a, &to, "two", 3);
	netsim_run_ms(10);
	host_sched_run_ready();
	cr_assert(r2.done);
	cr_assert_eq(memcmp(r2.buf, "two", 3), 0);
	sock_release(a);
	sock_release(b);
}

Test(udp_sock, rcvtimeo_ends_a_blocked_read_at_the_right_time)
{
	struct socket *b = udp_socket(ns_b, 7);
	long tv[2] = { 0, 300000 };
	struct reader r = { .sock = b };
	u64 t0 = host_now_ns();

	b->ops->setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, tv, sizeof(tv));
	kthread_run(reader_fn, &r, "reader");
	host_sched_run_ready();
	netsim_run_ms(299);
	host_sched_run_ready();
	cr_assert_not(r.done, "not early");
	netsim_run_ms(1);
	host_sched_run_ready();
	cr_assert(r.done);
	cr_assert_eq(r.ret, -EAGAIN);
	cr_assert_eq(host_now_ns() - t0, 300 * NSEC_PER_MSEC);
	sock_release(b);
}

Test(udp_sock, shutdown_wakes_a_blocked_reader_with_zero)
{
	struct socket *b = udp_socket(ns_b, 7);
	struct reader r = { .sock = b };

	kthread_run(reader_fn, &r, "reader");
	host_sched_run_ready();
	cr_assert_not(r.done);
	b->ops->shutdown(b, SHUT_RD);
	host_sched_run_ready();
	cr_assert(r.done);
	cr_assert_eq(r.ret, 0);
	sock_release(b);
}

Test(udp_sock, datagrams_for_an_owned_sock_wait_in_the_backlog)
{
	struct socket *a = udp_socket(&init_net, 0), *b = udp_socket(ns_b, 7);
	struct sockaddr_in to = addr(ip4(10, 0, 0, 2), 7);
	char buf[8];

	lock_sock(b->sk);
	send_to(a, &to, "bk", 2);
	netsim_run_ms(10);
	cr_assert_eq(skb_queue_len(&b->sk->sk_receive_queue), 0);
	cr_assert_not_null(b->sk->sk_backlog.head);
	release_sock(b->sk);
	cr_assert_eq(recv_from(b, buf, sizeof(buf), MSG_DONTWAIT, NULL), 2);
	sock_release(a);
	sock_release(b);
}

/* ---- raw ICMP: ping from a user socket ---- */

Test(udp_sock, raw_icmp_socket_pings_the_other_stack)
{
	struct socket *r;
	struct sockaddr_in to = addr(ip4(10, 0, 0, 2), 0), from;
	u8 req[16] = { 8, 0, 0, 0, 0x12, 0x34, 0, 1, 'p', 'i', 'n', 'g' };
	u8 buf[128];
	u16 sum;
	int n;

	cr_assert_eq(sock_create(AF_INET, SOCK_RAW, IPPROTO_ICMP, &r), 0);
	sum = csum_fold(csum_partial(req, sizeof(req), 0));
	put_be16(req + 2, sum);
	cr_assert_eq(send_to(r, &to, req, sizeof(req)), sizeof(req));
	netsim_run_ms(10);
	/* B's kernel answered; our raw socket sees the whole reply datagram. */
	n = recv_from(r, buf, sizeof(buf), MSG_DONTWAIT, &from);
	cr_assert_eq(n, 20 + (int)sizeof(req));
	cr_assert_eq(from.sin_addr.s_addr, ip4(10, 0, 0, 2));
	cr_assert_eq(buf[9], IPPROTO_ICMP);
	cr_assert_eq(buf[20], 0, "echo reply");
	cr_assert_eq(get_be16(buf + 24), 0x1234, "our id");
	cr_assert_eq(memcmp(buf + 28, "ping", 4), 0);
	/* Our own request left the stack; it never arrived back here. */
	cr_assert_eq(recv_from(r, buf, sizeof(buf), MSG_DONTWAIT, NULL), -EAGAIN);
	sock_release(r);
}

Test(udp_sock, raw_socket_sees_requests_the_kernel_also_answers)
{
	struct socket *r, *peer;
	struct sockaddr_in to = addr(ip4(10, 0, 0, 1), 0);
	u8 req[8] = { 8, 0, 0, 0, 0, 7, 0, 1 };
	u8 buf[64];

	cr_assert_eq(sock_create(AF_INET, SOCK_RAW, IPPROTO_ICMP, &r), 0);
	net_switch(ns_b);
	cr_assert_eq(sock_create(AF_INET, SOCK_RAW, IPPROTO_ICMP, &peer), 0);
	net_switch(&init_net);
	put_be16(req + 2, csum_fold(csum_partial(req, sizeof(req), 0)));
	cr_assert_eq(send_to(peer, &to, req, sizeof(req)), sizeof(req));
	netsim_run_ms(10);
	cr_assert_eq(recv_from(r, buf, sizeof(buf), MSG_DONTWAIT, NULL), 28);
	cr_assert_eq(buf[20], 8, "A's raw socket got the request");
	cr_assert_eq(recv_from(peer, buf, sizeof(buf), MSG_DONTWAIT, NULL), 28);
	cr_assert_eq(buf[20], 0, "and A's kernel still answered it");
	sock_release(r);
	sock_release(peer);
}

Test(udp_sock, socket_table_line_shows_addresses_queues_and_drops)
{
	struct socket *a = udp_socket(&init_net, 5000), *b = udp_socket(ns_b, 7);
	struct sockaddr_in peer = addr(ip4(10, 0, 0, 2), 7);
	char line[160];

	cr_assert_eq(a->ops->connect(a, (struct sockaddr *)&peer, sizeof(peer), 0), 0);
	send_to(a, NULL, "abc", 3);
	send_to(a, NULL, "de", 2);
	netsim_run_ms(10);
	sock_diag_format(a->sk, 3, line, sizeof(line));
	cr_assert(strstr(line, "3   DGRAM  UDP  ESTAB  10.0.0.1:5000"), "%s", line);
	cr_assert(strstr(line, "10.0.0.2:7"), "%s", line);
	sock_diag_format(b->sk, -1, line, sizeof(line));
	cr_assert(strstr(line, "-   DGRAM  UDP  UNCONN 0.0.0.0:7"), "%s", line);
	cr_assert(strstr(line, "0.0.0.0:* "), "%s", line);
	cr_assert(strstr(line, " 2/"), "two datagrams queued: %s", line);
	sock_release(a);
	sock_release(b);
}

Test(udp_sock, ip_ttl_tos_and_recverr_options)
{
	struct socket *a = udp_socket(&init_net, 0), *spy;
	struct sockaddr_in to = addr(ip4(10, 0, 0, 2), 9999);
	int ttl = 5, tos = 0x10, on = 1, v = 0, len = sizeof(v);
	u8 buf[64];
	char c;

	net_switch(ns_b);
	cr_assert_eq(sock_create(AF_INET, SOCK_RAW, IPPROTO_UDP, &spy), 0);
	net_switch(&init_net);
	cr_assert_eq(a->ops->setsockopt(a, IPPROTO_IP, 2, &ttl, sizeof(ttl)), 0);
	cr_assert_eq(a->ops->setsockopt(a, IPPROTO_IP, 1, &tos, sizeof(tos)), 0);
	cr_assert_eq(a->ops->getsockopt(a, IPPROTO_IP, 2, &v, &len), 0);
	cr_assert_eq(v, 5);
	ttl = 0;
	cr_assert_eq(a->ops->setsockopt(a, IPPROTO_IP, 2, &ttl, sizeof(ttl)), -EINVAL);
	cr_assert_eq(a->ops->setsockopt(a, IPPROTO_IP, 99, &on, sizeof(on)), -ENOPROTOOPT);
	cr_assert_eq(a->ops->getsockopt(a, IPPROTO_UDP, 1, &v, &len), -ENOPROTOOPT);
	/* Unconnected, yet told of the port unreachable: IP_RECVERR. */
	cr_assert_eq(a->ops->setsockopt(a, IPPROTO_IP, 11, &on, sizeof(on)), 0);
	cr_assert_eq(send_to(a, &to, "?", 1), 1);
	netsim_run_ms(10);
	cr_assert_eq(recv_from(spy, buf, sizeof(buf), MSG_DONTWAIT, NULL), 29);
	cr_assert_eq(buf[8], 5, "TTL on the wire");
	cr_assert_eq(buf[1], 0x10, "TOS on the wire");
	cr_assert_eq(recv_from(a, &c, 1, MSG_DONTWAIT, NULL), -ECONNREFUSED);
	sock_release(a);
	sock_release(spy);
}

/* ---- the send side: sndbuf, SO_SNDTIMEO, write-space wake-ups ---- */

static int send_flags(struct socket *sock, struct sockaddr_in *to,
		      const void *data, size_t len, unsigned int flags)
{
	struct kvec iov = { (void *)data, len };
	struct msghdr msg = { .msg_name = to, .msg_namelen = sizeof(*to),
			      .msg_flags = flags };

	iov_iter_kvec(&msg.msg_iter, WRITE, &iov, 1, len);
	return sock_sendmsg(sock, &msg);
}

struct sender {
	struct socket *sock;
	struct sockaddr_in to;
	int ret;
	bool done;
};

static int sender_fn(void *arg)
{
	static char data[1000];
	struct sender *s = arg;

	s->ret = send_flags(s->sock, &s->to, data, sizeof(data), 0);
	s->done = true;
	return 0;
}

Test(udp_sock, full_sndbuf_blocks_times_out_and_wakes_on_write_space)
{
	struct socket *a = udp_socket(&init_net, 0), *b = udp_socket(ns_b, 7);
	struct sender s = { .sock = a, .to = addr(ip4(10, 0, 0, 2), 7) };
	static char data[1000];
	long tv[2] = { 0, 50000 };
	int one = 1, sent = 0, err = 0;
	u64 t0;

	cr_assert_eq(send_to(a, &s.to, "x", 1), 1);
	netsim_run_ms(10);	/* ARP resolved, datagram delivered */
	cr_assert_eq(recv_from(b, data, 1, MSG_DONTWAIT, NULL), 1);

	/* A "ring" of one frame: the rest wait on the device, charged to us. */
	fakedev_set_tx_ring(dev_a, 1);
	a->ops->setsockopt(a, SOL_SOCKET, SO_SNDBUF, &one, sizeof(one));
	while (sent < 50 &&
	       (err = send_flags(a, &s.to, data, sizeof(data), MSG_DONTWAIT)) > 0)
		sent++;
	cr_assert_eq(err, -EAGAIN, "non-blocking: at once (after %d)", sent);
	cr_assert(sent >= 2 && sent < 10, "sent %d", sent);
	cr_assert_geq(a->sk->sk_wmem_alloc, a->sk->sk_sndbuf);
	cr_assert_eq(a->ops->poll(NULL, a, NULL) & EPOLLOUT, 0, "not writable");

	a->ops->setsockopt(a, SOL_SOCKET, SO_SNDTIMEO, tv, sizeof(tv));
	t0 = host_now_ns();
	cr_assert_eq(send_flags(a, &s.to, data, sizeof(data), 0), -EAGAIN);
	cr_assert_eq(host_now_ns() - t0, 50 * NSEC_PER_MSEC, "SO_SNDTIMEO exactly");

	tv[1] = 0;	/* no timeout: wait until the device takes the frames */
	a->ops->setsockopt(a, SOL_SOCKET, SO_SNDTIMEO, tv, sizeof(tv));
	kthread_run(sender_fn, &s, "sender");
	host_sched_run_ready();
	cr_assert_not(s.done);
	fakedev_set_tx_ring(dev_a, 0);
	fakedev_complete_tx(dev_a, 1);
	host_sched_run_ready();
	cr_assert(s.done, "write space woke the sender");
	cr_assert_eq(s.ret, 1000);
	netsim_run_ms(10);
	cr_assert_eq(a->sk->sk_wmem_alloc, 0);
	sock_release(a);
	sock_release(b);
}
