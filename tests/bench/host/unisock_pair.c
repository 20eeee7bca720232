/*
 * unisock's side of the host benchmark (bench_pair.h): two stacks on the
 * host simulator, init_net at 10.0.0.1/24 and namespace "b" at
 * 10.0.0.2/24, each on a fake device whose transmit queue the pump hands
 * to the other (fakedev_inject copies each frame into a fresh skb).
 * Sockets through the in-kernel API, as tests/host/tcp_pair.c drives them;
 * MSS 1460 from the 1500-byte MTU, SO_RCVBUF and SO_SNDBUF so the window
 * and the send buffer are 64 KiB, timestamps off, software checksums.
 */
#include <stdlib.h>

#include "kernel/fs.h"
#include "kernel/poll.h"
#include "net/inet_sock.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/skbuff.h"
#include "net/sock.h"
#include "net/socket.h"
#include "net/tcp.h"
#include "tests/host/host_random.h"
#include "tests/host/netsim.h"
#include "tests/host/platform.h"

#include "tests/bench/host/bench_pair.h"

/*
 * Linux doubles SO_RCVBUF and SO_SNDBUF for overhead; the window offers
 * half of the free receive buffer (net/tcp_output.c tcp_space()), so this
 * gives a 64 KiB window and 128 KiB of send-buffer truesize.
 */
#define BENCH_SOCKBUF	65536

struct bench_conn {
	struct net *net;
	struct socket *sock;
};

static const u8 mac[2][ETH_ALEN] = {
	{ 0x52, 0x54, 0, 0, 1, 0xa }, { 0x52, 0x54, 0, 0, 1, 0xb },
};
static struct net *nets[2];
static struct net_device *devs[2];
static struct socket *listener;
static unsigned long delivered;

static int unisock_setup(void)
{
	int err;

	netsim_reset();
	host_random_seed(3);
	err = inet_family_init();
	if (err)
		return err;
	nets[0] = &init_net;
	nets[1] = net_create("b");
	if (!nets[1])
		return -ENOMEM;
	for (int i = 0; i < 2; i++) {
		net_switch(nets[i]);
		nets[i]->ipv4.sysctl_tcp_timestamps = 0;
		devs[i] = fakedev_create(mac[i]);
		if (!devs[i])
			return -ENODEV;
		err = inet_set_address(devs[i], ip4(10, 0, 0, (u8)(i + 1)), 24);
		if (err)
			return err;
	}
	net_switch(&init_net);
	return 0;
}

static unsigned long unisock_pump(void)
{
	unsigned long before = delivered;
	struct sk_buff *skb;

	while (fakedev_tx_len(devs[0]) || fakedev_tx_len(devs[1])) {
		for (int i = 0; i < 2; i++) {
			skb = fakedev_pop_tx(devs[i]);
			if (!skb)
				continue;
			fakedev_inject(devs[!i], skb->data, skb->len);
			consume_skb(skb);
			delivered++;
		}
	}
	return delivered - before;
}

static bool unisock_advance(void)
{
	return host_clock_run_next_timer();
}

static unsigned long unisock_frames(void)
{
	return delivered;
}

static int set_int(struct socket *sock, int level, int name, int val)
{
	return sock->ops->setsockopt(sock, level, name, &val, sizeof(val));
}

static int sock_new(struct socket **sock, bool nodelay)
{
	int err = sock_create(AF_INET, SOCK_STREAM, 0, sock);

	if (!err)
		err = set_int(*sock, SOL_SOCKET, SO_RCVBUF, BENCH_SOCKBUF);
	if (!err)
		err = set_int(*sock, SOL_SOCKET, SO_SNDBUF, BENCH_SOCKBUF);
	if (!err && nodelay)
		err = set_int(*sock, SOL_TCP, TCP_NODELAY, 1);
	return err;
}

static int unisock_listen(unsigned short port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int err;

	net_switch(nets[1]);
	err = sock_new(&listener, false);
	if (!err)
		err = listener->ops->bind(listener, (struct sockaddr *)&sin, sizeof(sin));
	if (!err)
		err = listener->ops->listen(listener, 4);
	net_switch(&init_net);
	return err;
}

/* As an event loop learns of a connection to accept: poll says readable. */
static bool listener_readable(void)
{
	struct net *prev = net_switch(nets[1]);
	bool ready = listener->ops->poll(NULL, listener, NULL) & EPOLLIN;

	net_switch(prev);
	return ready;
}

static struct socket *try_accept(bool nodelay)
{
	struct socket *s = sock_alloc();

	net_switch(nets[1]);
	s->type = SOCK_STREAM;
	s->ops = listener->ops;
	if (listener->ops->accept(listener, s, O_NONBLOCK, true) ||
	    (nodelay && set_int(s, SOL_TCP, TCP_NODELAY, 1))) {
		s->ops = NULL;
		sock_release(s);
		s = NULL;
	}
	net_switch(&init_net);
	return s;
}

static struct bench_conn *conn_new(struct net *net, struct socket *sock)
{
	struct bench_conn *conn = malloc(sizeof(*conn));

	if (conn) {
		conn->net = net;
		conn->sock = sock;
	}
	return conn;
}

static int unisock_connect(unsigned short port, bool nodelay, struct bench_conn **c,
			   struct bench_conn **s)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port),
				   .sin_addr.s_addr = ip4(10, 0, 0, 2) };
	struct socket *a, *b = NULL;
	int err = sock_new(&a, nodelay);

	if (err)
		return err;
	err = a->ops->connect(a, (struct sockaddr *)&sin, sizeof(sin), O_NONBLOCK);
	if (err != -EINPROGRESS)
		return err ? err : -EINVAL;
	for (int idle = 0; ; idle++) {
		if (unisock_pump())
			idle = 0;
		if (!b && listener_readable())
			b = try_accept(nodelay);
		if (b && a->sk->sk_state == TCP_ESTABLISHED)
			break;
		if (idle > 100 || !unisock_advance())
			return -ETIMEDOUT;
	}
	*c = conn_new(&init_net, a);
	*s = conn_new(nets[1], b);
	return *c && *s ? 0 : -ENOMEM;
}

static long unisock_write(struct bench_conn *conn, const void *buf, size_t len)
{
	struct kvec iov = { (void *)buf, len };
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct net *prev = net_switch(conn->net);
	int n;

	iov_iter_kvec(&msg.msg_iter, WRITE, &iov, 1, len);
	n = sock_sendmsg(conn->sock, &msg);
	net_switch(prev);
	return n == -EAGAIN ? 0 : n;
}

static long unisock_read(struct bench_conn *conn, void *buf, size_t len)
{
	struct kvec iov = { buf, len };
	struct msghdr msg = { 0 };
	struct net *prev = net_switch(conn->net);
	int n;

	iov_iter_kvec(&msg.msg_iter, READ, &iov, 1, len);
	n = sock_recvmsg(conn->sock, &msg, MSG_DONTWAIT);
	net_switch(prev);
	if (n == -EAGAIN)
		return 0;
	return n == 0 ? -1 : n;
}

static void unisock_close(struct bench_conn *conn)
{
	struct net *prev = net_switch(conn->net);

	sock_release(conn->sock);
	net_switch(prev);
	free(conn);
}

const struct bench_stack bench_stack = {
	.name = "unisock",
	.setup = unisock_setup,
	.listen = unisock_listen,
	.connect = unisock_connect,
	.write = unisock_write,
	.read = unisock_read,
	.close = unisock_close,
	.pump = unisock_pump,
	.advance = unisock_advance,
	.frames = unisock_frames,
};
