/*
 * Stack-to-stack TCP transfers on the simulator (tests/host/tcp_pair.h):
 * the test drives both sockets non-blocking, one virtual millisecond at a
 * time, and checks the received stream against the generator's.
 */
#include "tests/host/nettest.h"
#include "tests/host/tcp_pair.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include "kernel/fs.h"
#include "kernel/timer.h"
#include "lib/string.h"
#include "net/inet_hashtables.h"
#include "net/inetdevice.h"
#include "net/tcp.h"
#include "tests/host/host_random.h"
#include "tests/host/platform.h"
#include "tests/host/teardown.h"

static const u8 mac_a[ETH_ALEN] = { 0x52, 0x54, 0, 0, 1, 0xa };
static const u8 mac_b[ETH_ALEN] = { 0x52, 0x54, 0, 0, 1, 0xb };
static struct net *ns_b;
static struct net_device *dev_a, *dev_b;

void tcp_pair_setup(void)
{
	netsim_reset();
	host_random_seed(3);
	inet_family_init();
	tcp_timewait_len = (long)msecs_to_jiffies(1000);
	dev_a = fakedev_create(mac_a);
	inet_set_address(dev_a, ip4(10, 0, 0, 1), 24);
	ns_b = net_create("b");
	tcp_pair_ns_b = ns_b;
	net_switch(ns_b);
	dev_b = fakedev_create(mac_b);
	inet_set_address(dev_b, ip4(10, 0, 0, 2), 24);
	net_switch(&init_net);
}

void tcp_pair_assert_clean(void)
{
	teardown_assert(tcp_live_objects() == 0, "TCP objects alive: %ld",
		tcp_live_objects());
	teardown_assert(inet_bind_bucket_count() == 0, "bind buckets left");
	netsim_teardown_no_leaks();
	teardown_assert(timers_pending_count() == 0, "timers left: %u",
		timers_pending_count());
	tcp_timewait_len = TCP_TIMEWAIT_LEN;
}

/* The byte at @off of a stream: a cheap keyed generator. */
static u8 stream_byte(u64 seed, size_t off)
{
	u64 x = (off >> 3) * 0x9e3779b97f4a7c15ULL + seed;

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 32;
	return (u8)(x >> ((off & 7) * 8));
}

struct endpoint {
	struct net *net;
	struct socket *sock;
	u64 seed_tx, seed_rx;
	size_t to_send, sent, to_recv, received;
	bool shut, eof;
};

static int ep_send(struct endpoint *e)
{
	static u8 buf[16384];
	size_t n = min_t(size_t, sizeof(buf), e->to_send - e->sent);
	struct kvec iov = { buf, n };
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };

	for (size_t i = 0; i < n; i++)
		buf[i] = stream_byte(e->seed_tx, e->sent + i);
	iov_iter_kvec(&msg.msg_iter, WRITE, &iov, 1, n);
	return sock_sendmsg(e->sock, &msg);
}

static int ep_recv(struct endpoint *e)
{
	static u8 buf[16384];
	struct kvec iov = { buf, sizeof(buf) };
	struct msghdr msg = { 0 };
	int n;

	iov_iter_kvec(&msg.msg_iter, READ, &iov, 1, sizeof(buf));
	n = sock_recvmsg(e->sock, &msg, MSG_DONTWAIT);
	for (int i = 0; i < n; i++)
		cr_assert_eq(buf[i], stream_byte(e->seed_rx, e->received + (size_t)i),
			     "byte %zu differs", e->received + (size_t)i);
	return n;
}

/* One step for one end: send what fits, read what came, close the send side. */
static void ep_step(struct endpoint *e)
{
	struct net *prev = net_switch(e->net);
	int n;

	while (e->sent < e->to_send && (n = ep_send(e)) > 0)
		e->sent += (size_t)n;
	if (e->sent == e->to_send && !e->shut) {
		cr_assert_eq(e->sock->ops->shutdown(e->sock, SHUT_WR), 0);
		e->shut = true;
	}
	while (!e->eof && (n = ep_recv(e)) != -EAGAIN) {
		cr_assert_geq(n, 0, "recv error %d", n);
		if (n == 0) {
			cr_assert_eq(e->received, e->to_recv, "early EOF");
			e->eof = true;
		}
		e->received += (size_t)n;
	}
	net_switch(prev);
}

static struct socket *pair_connect(struct endpoint *a, struct endpoint *b,
				   const char *ca)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct socket *l;
	struct net *prev = net_switch(ns_b);

	cr_assert_eq(sock_create(AF_INET, SOCK_STREAM, 0, &l), 0);
	sin.sin_port = htons(5001);
	cr_assert_eq(l->ops->bind(l, (struct sockaddr *)&sin, sizeof(sin)), 0);
	cr_assert_eq(l->ops->listen(l, 4), 0);
	net_switch(&init_net);
	cr_assert_eq(sock_create(AF_INET, SOCK_STREAM, 0, &a->sock), 0);
	if (ca)
		cr_assert_eq(a->sock->ops->setsockopt(a->sock, SOL_TCP,
				TCP_CONGESTION, ca, (unsigned int)strlen(ca)), 0);
	sin.sin_addr.s_addr = ip4(10, 0, 0, 2);
	cr_assert_eq(a->sock->ops->connect(a->sock, (struct sockaddr *)&sin,
					   sizeof(sin), O_NONBLOCK), -EINPROGRESS);
	for (int i = 0; i < 10000 && !b->sock; i++) {
		netsim_run_ms(1);
		net_switch(ns_b);
		b->sock = sock_alloc();
		b->sock->type = SOCK_STREAM;
		b->sock->ops = l->ops;
		if (l->ops->accept(l, b->sock, O_NONBLOCK, true)) {
			b->sock->ops = NULL;
			sock_release(b->sock);
			b->sock = NULL;
		}
		net_switch(&init_net);
	}
	cr_assert_not_null(b->sock, "no connection");
	net_switch(ns_b);
	sock_release(l);
	net_switch(prev);
	return l;
}

struct net *tcp_pair_ns_b;

void tcp_pair_connect(const struct sim_link_params *lp, struct socket **a,
		      struct socket **b)
{
	struct endpoint ea = { .net = &init_net }, eb = { .net = ns_b };

	sim_link_create(dev_a, dev_b, lp);
	pair_connect(&ea, &eb, NULL);
	*a = ea.sock;
	*b = eb.sock;
}

static u64 retrans_of(struct socket *s)
{
	return s && s->sk ? tcp_sk(s->sk)->total_retrans : 0;
}

void tcp_pair_transfer(const struct tcp_transfer_params *p,
		       struct tcp_transfer_result *r)
{
	struct sim_link_params lp = { .delay_ns = p->delay_us * 1000,
				      .jitter_ns = p->jitter_us * 1000,
				      .loss_pct = p->loss_pct,
				      .dup_pct = p->dup_pct, .seed = p->seed };
	struct endpoint a = { .net = &init_net, .seed_tx = p->seed * 2 + 1,
			      .seed_rx = p->seed * 2 + 2, .to_send = p->bytes_ab,
			      .to_recv = p->bytes_ba };
	struct endpoint b = { .net = ns_b, .seed_tx = p->seed * 2 + 2,
			      .seed_rx = p->seed * 2 + 1, .to_send = p->bytes_ba,
			      .to_recv = p->bytes_ab };
	u64 t0, ms = 0;

	memset(r, 0, sizeof(*r));
	sim_link_create(dev_a, dev_b, &lp);
	pair_connect(&a, &b, p->ca);
	t0 = host_now_ns();
	while (!(a.eof && b.eof) && ms < p->deadline_ms) {
		ep_step(&a);
		ep_step(&b);
		netsim_run_ms(1);
		ms++;
	}
	r->elapsed_ms = (host_now_ns() - t0) / 1000000;
	r->retrans_a = retrans_of(a.sock);
	r->retrans_b = retrans_of(b.sock);
	cr_assert(a.eof && b.eof, "seed %llu: not done in %llu ms: a %zu/%zu "
		  "sent %zu/%zu recv, b %zu/%zu sent %zu/%zu recv",
		  (unsigned long long)p->seed, (unsigned long long)ms,
		  a.sent, a.to_send, a.received, a.to_recv, b.sent, b.to_send,
		  b.received, b.to_recv);
	net_switch(ns_b);
	sock_release(b.sock);
	net_switch(&init_net);
	sock_release(a.sock);
	/* Let the last ACKs, FIN retransmissions and TIME_WAIT run out. */
	for (int i = 0; i < 600 && tcp_live_objects(); i++)
		netsim_run_ms(1000);
	if (getenv("TCP_VERBOSE"))
		fprintf(stderr, "seed %llu: %zu+%zu bytes in %llu ms, retransmits %llu/%llu\n",
			(unsigned long long)p->seed, p->bytes_ab, p->bytes_ba,
			(unsigned long long)r->elapsed_ms,
			(unsigned long long)r->retrans_a,
			(unsigned long long)r->retrans_b);
	r->ok = true;
}
