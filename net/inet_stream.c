/*
 * The PF_INET stream socket operations (Linux af_inet.c's inet_stream_ops,
 * inet_stream_connect, inet_listen, inet_accept): the socket-facing half of
 * TCP; each calls down into sk->sk_prot (tcp_prot).
 */
#include "net/tcp.h"
#include "kernel/poll.h"
#include "kernel/sched.h"
#include "lib/errno.h"
#include "lib/string.h"

#define SOMAXCONN	4096	/* Linux's net.core.somaxconn */

static long inet_wait_for_connect(struct sock *sk, long timeo)
{
	DEFINE_WAIT(wait);

	prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
	while ((1 << sk->sk_state) & (TCPF_STATE(TCP_SYN_SENT) |
				      TCPF_STATE(TCP_SYN_RECV))) {
		release_sock(sk);
		timeo = schedule_timeout(timeo);
		lock_sock(sk);
		if (!timeo)
			break;
		prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
	}
	finish_wait(sk_sleep(sk), &wait);
	return timeo;
}

static int __inet_stream_connect(struct socket *sock, struct sockaddr *uaddr,
				 int addr_len, int flags)
{
	struct sock *sk = sock->sk;
	long timeo;
	int err;

	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;
	if (uaddr->sa_family == AF_UNSPEC) {
		err = sk->sk_prot->disconnect(sk, flags);
		sock->state = err ? SS_DISCONNECTING : SS_UNCONNECTED;
		return err;
	}
	switch (sock->state) {
	case SS_CONNECTED:
		return -EISCONN;
	case SS_CONNECTING:
		err = -EALREADY;
		break;
	case SS_UNCONNECTED:
		if (sk->sk_state != TCP_CLOSE)
			return -EISCONN;
		err = sk->sk_prot->connect(sk, uaddr, addr_len);
		if (err < 0)
			return err;
		sock->state = SS_CONNECTING;
		err = -EINPROGRESS;
		break;
	default:
		return -EINVAL;
	}
	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);
	if ((1 << sk->sk_state) & (TCPF_STATE(TCP_SYN_SENT) |
				   TCPF_STATE(TCP_SYN_RECV))) {
		if (!timeo)
			return err;
		timeo = inet_wait_for_connect(sk, timeo);
		if ((1 << sk->sk_state) & (TCPF_STATE(TCP_SYN_SENT) |
					   TCPF_STATE(TCP_SYN_RECV)))
			return err;	/* SO_SNDTIMEO ran out: still in progress */
	}
	if (sk->sk_state == TCP_CLOSE) {
		err = sock_error(sk);
		sock->state = SS_UNCONNECTED;
		if (sk->sk_prot->disconnect(sk, flags))
			sock->state = SS_DISCONNECTING;
		return err ? err : -ECONNABORTED;
	}
	sock->state = SS_CONNECTED;
	return 0;
}

/* connect() on a stream socket: -EINPROGRESS / -EALREADY when non-blocking. */
int inet_stream_connect(struct socket *sock, struct sockaddr *uaddr,
			int addr_len, int flags)
{
	int err;

	lock_sock(sock->sk);
	err = __inet_stream_connect(sock, uaddr, addr_len, flags);
	release_sock(sock->sk);
	return err;
}

int inet_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	int err = -EINVAL;

	if ((unsigned int)backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	lock_sock(sk);
	if (sock->state != SS_UNCONNECTED || sock->type != SOCK_STREAM)
		goto out;
	if (sk->sk_state != TCP_CLOSE && sk->sk_state != TCP_LISTEN)
		goto out;
	if (sk->sk_state != TCP_LISTEN) {
		err = inet_csk_listen_start(sk, backlog);
		if (err)
			goto out;
	}
	sk->sk_max_ack_backlog = (u32)backlog;
	err = 0;
out:
	release_sock(sk);
	return err;
}

/* Tie an accepted sock to its new socket (Linux sock_graft). */
static void sock_graft(struct sock *sk, struct socket *parent)
{
	sk->sk_wq = &parent->wq;
	parent->sk = sk;
	sk->sk_socket = parent;
	sk->sk_type = parent->type;
}

int inet_accept(struct socket *sock, struct socket *newsock, int flags,
		bool kern)
{
	struct sock *sk1 = sock->sk;
	struct sock *sk2;
	int err = -EINVAL;

	sk2 = sk1->sk_prot->accept(sk1, flags, &err, kern);
	if (!sk2)
		return err;
	lock_sock(sk2);
	sock_graft(sk2, newsock);
	newsock->state = SS_CONNECTED;
	release_sock(sk2);
	return 0;
}

/* SO_LINGER (Linux keeps it in struct sock; here in tcp_sock). */
static int tcp_set_linger(struct sock *sk, const void *optval,
			  unsigned int optlen)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct linger l;

	if (optlen < sizeof(l))
		return -EINVAL;
	memcpy(&l, optval, sizeof(l));
	lock_sock(sk);
	tp->linger_on = !!l.l_onoff;
	tp->lingertime = l.l_linger < 0 ? 0 : (u32)l.l_linger;
	release_sock(sk);
	return 0;
}

static int tcp_get_linger(struct sock *sk, void *optval, int *optlen)
{
	struct linger l = { .l_onoff = tcp_sk(sk)->linger_on,
			    .l_linger = (int)tcp_sk(sk)->lingertime };

	if (*optlen < 0)
		return -EINVAL;
	*optlen = min_t(int, *optlen, (int)sizeof(l));
	memcpy(optval, &l, (size_t)*optlen);
	return 0;
}

static int inet_stream_setsockopt(struct socket *sock, int level, int optname,
				  const void *optval, unsigned int optlen)
{
	struct sock *sk = sock->sk;
	int err;

	if (level != SOL_SOCKET)
		return sk->sk_prot->setsockopt(sk, level, optname, optval, optlen);
	if (optname == SO_LINGER)
		return tcp_set_linger(sk, optval, optlen);
	err = sock_setsockopt(sock, level, optname, optval, optlen);
	if (!err && optname == SO_KEEPALIVE) {
		lock_sock(sk);
		tcp_set_keepalive(sk, sock_flag(sk, SOCK_KEEPOPEN));
		release_sock(sk);
	}
	return err;
}

static int inet_stream_getsockopt(struct socket *sock, int level, int optname,
				  void *optval, int *optlen)
{
	struct sock *sk = sock->sk;

	if (level == SOL_SOCKET && optname == SO_LINGER)
		return tcp_get_linger(sk, optval, optlen);
	if (level == SOL_SOCKET)
		return sock_getsockopt(sock, level, optname, optval, optlen);
	return sk->sk_prot->getsockopt(sk, level, optname, optval, optlen);
}

const struct proto_ops inet_stream_ops = {
	.family = PF_INET,
	.release = inet_release,
	.bind = inet_bind,
	.connect = inet_stream_connect,
	.socketpair = sock_no_socketpair,
	.accept = inet_accept,
	.getname = inet_getname,
	.poll = tcp_poll,
	.ioctl = inet_ioctl,
	.listen = inet_listen,
	.shutdown = inet_shutdown,
	.setsockopt = inet_stream_setsockopt,
	.getsockopt = inet_stream_getsockopt,
	.sendmsg = inet_sendmsg,
	.recvmsg = inet_recvmsg,
};
