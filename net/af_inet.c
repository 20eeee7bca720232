/*
 * PF_INET sockets (Linux net/ipv4/af_inet.c): the family's factory
 * inet_create, which picks sock->ops and sk->sk_prot from inetsw[type]
 * (seed 004 §1.4), and the generic operations the ops tables share:
 *   sock->ops->sendmsg = inet_sendmsg -> sk->sk_prot->sendmsg (udp_sendmsg)
 */
#include "net/inet_sock.h"
#include "kernel/init.h"
#include "kernel/poll.h"
#include "lib/byteorder.h"
#include "lib/string.h"
#include "net/inetdevice.h"
#include "net/security.h"
#include "net/tcp_states.h"


/* The protocols serving each socket type, walked by inet_create. */
static struct list_head inetsw[SOCK_MAX];

/*
 * SOCK_STREAM has no entry yet: until TCP registers tcp_prot here,
 * socket(AF_INET, SOCK_STREAM, 0) gets -ESOCKTNOSUPPORT, what Linux
 * answers for a type no protocol serves. SOCK_DGRAM/IPPROTO_ICMP (Linux's
 * ping sockets) is not provided either: -EPROTONOSUPPORT.
 */
static struct inet_protosw inetsw_array[] = {
	{
		.type = SOCK_DGRAM,
		.protocol = IPPROTO_UDP,
		.prot = &udp_prot,
		.ops = &inet_dgram_ops,
		.flags = INET_PROTOSW_PERMANENT,
	},
	{
		.type = SOCK_RAW,
		.protocol = IPPROTO_IP,	/* wild card */
		.prot = &raw_prot,
		.ops = &inet_sockraw_ops,
		.flags = INET_PROTOSW_REUSE,
	},
};

void inet_register_protosw(struct inet_protosw *p)
{
	list_add_tail(&p->list, &inetsw[p->type]);
}

/*
 * Find the inetsw entry for (type, *protocol). A request for IPPROTO_IP
 * takes the type's first non-wild protocol; an entry registered as
 * IPPROTO_IP (raw) takes any protocol but IPPROTO_IP itself.
 */
static struct inet_protosw *inet_lookup_protosw(int type, int *protocol,
						int *err)
{
	struct inet_protosw *answer;

	*err = -ESOCKTNOSUPPORT;
	list_for_each_entry(answer, &inetsw[type], list) {
		*err = 0;
		if (*protocol == answer->protocol) {
			if (*protocol != IPPROTO_IP)
				return answer;
		} else {
			if (*protocol == IPPROTO_IP) {
				*protocol = answer->protocol;
				return answer;
			}
			if (answer->protocol == IPPROTO_IP)
				return answer;
		}
		*err = -EPROTONOSUPPORT;
	}
	return NULL;
}

static void inet_sock_destruct(struct sock *sk)
{
	skb_queue_purge(&sk->sk_receive_queue);
	skb_queue_purge(&sk->sk_error_queue);
}

/*
 * Undo a half-made sock: unhash it and drop the only reference (Linux
 * sk_common_release, the path inet_create's failures take).
 */
static void sk_common_release(struct sock *sk)
{
	if (sk->sk_prot->destroy)
		sk->sk_prot->destroy(sk);
	sk->sk_prot->unhash(sk);
	sock_orphan(sk);
	sock_put(sk);
}

/**
 * inet_create - net_families[PF_INET]->create: bind sock->ops and
 * sk->sk_prot from inetsw[sock->type] and set up the sock.
 */
static int inet_create(struct socket *sock, int protocol, int kern)
{
	struct inet_protosw *answer;
	struct inet_sock *inet;
	struct sock *sk;
	int err;

	if (protocol < 0 || protocol >= IPPROTO_MAX)
		return -EINVAL;
	sock->state = SS_UNCONNECTED;
	answer = inet_lookup_protosw(sock->type, &protocol, &err);
	if (!answer)
		return err;
	sock->ops = answer->ops;
	sk = sk_alloc(PF_INET, answer->prot, kern);
	if (!sk)
		return -ENOMEM;
	if (answer->flags & INET_PROTOSW_REUSE)
		sk->sk_reuse = 1;
	inet = inet_sk(sk);
	if (sock->type == SOCK_RAW) {
		inet->inet_num = (u16)protocol;
		if (protocol == IPPROTO_RAW)
			inet->hdrincl = 1;
	}
	sock_init_data(sock, sk);
	sk->sk_destruct = inet_sock_destruct;
	sk->sk_protocol = (unsigned char)protocol;
	sk->sk_backlog_rcv = sk->sk_prot->backlog_rcv;
	inet->uc_ttl = -1;
	if (inet->inet_num) {
		inet->inet_sport = htons(inet->inet_num);
		err = sk->sk_prot->hash(sk);
		if (err)
			goto out_release;
	}
	err = sk->sk_prot->init ? sk->sk_prot->init(sk) : 0;
	if (err)
		goto out_release;
	return 0;
out_release:
	sock->sk = NULL;
	sk_common_release(sk);
	return err;
}

/* The socket is closing: the protocol lets go of its sock (->close). */
int inet_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;
	sock->sk = NULL;
	sk->sk_prot->close(sk, 0);
	return 0;
}

/* An address a socket may bind: one of ours, any, broadcast or multicast. */
static bool inet_addr_valid_or_nonlocal(__be32 addr)
{
	u32 a = ntohl(addr);

	return a == INADDR_ANY || a == INADDR_BROADCAST ||
	       (a >> 28) == 0xe || inet_addr_is_local(addr);
}

int __inet_bind(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *addr = (struct sockaddr_in *)uaddr;
	struct inet_sock *inet = inet_sk(sk);
	u16 snum;
	int err;

	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	/* AF_UNSPEC is taken as AF_INET, but only with INADDR_ANY (Linux). */
	if (addr->sin_family != AF_INET &&
	    (addr->sin_family != AF_UNSPEC || addr->sin_addr.s_addr != INADDR_ANY))
		return -EAFNOSUPPORT;
	if (!inet_addr_valid_or_nonlocal(addr->sin_addr.s_addr))
		return -EADDRNOTAVAIL;
	snum = ntohs(addr->sin_port);
	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_state != TCP_CLOSE || inet->inet_num)
		goto out_release_sock;
	inet->inet_rcv_saddr = inet->inet_saddr = addr->sin_addr.s_addr;
	if (ntohl(addr->sin_addr.s_addr) == INADDR_BROADCAST ||
	    (ntohl(addr->sin_addr.s_addr) >> 28) == 0xe)
		inet->inet_saddr = 0;	/* use the device's address */
	err = sk->sk_prot->get_port(sk, snum);
	if (err) {
		inet->inet_saddr = inet->inet_rcv_saddr = 0;
		goto out_release_sock;
	}
	if (inet->inet_rcv_saddr)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	if (snum)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	inet->inet_sport = htons(inet->inet_num);
	inet->inet_daddr = 0;
	inet->inet_dport = 0;
	err = 0;
out_release_sock:
	release_sock(sk);
	return err;
}

int inet_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len)
{
	struct sock *sk = sock->sk;

	/* Raw sockets have their own bind (no port to claim). */
	if (sk->sk_prot->bind)
		return sk->sk_prot->bind(sk, uaddr, addr_len);
	return __inet_bind(sk, uaddr, addr_len);
}

/* Claim an ephemeral port before the first send, as Linux's inet_autobind. */
static int inet_autobind(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	int err = 0;

	lock_sock(sk);
	if (!inet->inet_num) {
		err = sk->sk_prot->get_port(sk, 0);
		if (!err)
			inet->inet_sport = htons(inet->inet_num);
		else
			err = -EAGAIN;
	}
	release_sock(sk);
	return err;
}

int inet_dgram_connect(struct socket *sock, struct sockaddr *uaddr,
		       int addr_len, int flags)
{
	struct sock *sk = sock->sk;
	int err;

	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;
	if (uaddr->sa_family == AF_UNSPEC)
		return sk->sk_prot->disconnect(sk, flags);
	if (sk->sk_prot->pre_connect) {
		err = sk->sk_prot->pre_connect(sk, uaddr, addr_len);
		if (err)
			return err;
	}
	if (!inet_sk(sk)->inet_num && inet_autobind(sk))
		return -EAGAIN;
	return sk->sk_prot->connect(sk, uaddr, addr_len);
}

/* getsockname / getpeername: returns the address length or -errno. */
int inet_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	struct inet_sock *inet = inet_sk(sock->sk);

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (peer) {
		if (!inet->inet_dport)
			return -ENOTCONN;
		sin->sin_port = inet->inet_dport;
		sin->sin_addr.s_addr = inet->inet_daddr;
	} else {
		sin->sin_port = inet->inet_sport;
		sin->sin_addr.s_addr = inet->inet_rcv_saddr ?: inet->inet_saddr;
	}
	return sizeof(*sin);
}

int inet_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct sock *sk = sock->sk;

	return sk->sk_prot->ioctl(sk, (int)cmd, (int *)arg);
}

int inet_sendmsg(struct socket *sock, struct msghdr *msg, size_t size)
{
	struct sock *sk = sock->sk;

	if (!inet_sk(sk)->inet_num && inet_autobind(sk))
		return -EAGAIN;
	return sk->sk_prot->sendmsg(sk, msg, size);
}

int inet_recvmsg(struct socket *sock, struct msghdr *msg, size_t size,
		 int flags)
{
	struct sock *sk = sock->sk;
	int addr_len = 0;
	int err;

	err = sk->sk_prot->recvmsg(sk, msg, size, flags & MSG_DONTWAIT,
				   flags & ~MSG_DONTWAIT, &addr_len);
	if (err >= 0)
		msg->msg_namelen = addr_len;
	return err;
}

/*
 * shutdown(2) for datagram sockets: mark the directions closed and wake
 * everyone, so a blocked reader returns 0. Unconnected sockets answer
 * -ENOTCONN but are still shut down, as Linux does.
 */
int inet_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err = 0;

	how++;	/* SHUT_RD -> RCV_SHUTDOWN, SHUT_WR -> SEND_SHUTDOWN */
	if ((how & ~SHUTDOWN_MASK) || !how)
		return -EINVAL;
	lock_sock(sk);
	if (sock->state == SS_CONNECTING)
		sock->state = SS_DISCONNECTING;
	if (sk->sk_state == TCP_CLOSE)
		err = -ENOTCONN;	/* still shut down: pollers see EPOLLHUP */
	sk->sk_shutdown |= (u8)how;
	if (sk->sk_prot->shutdown)
		sk->sk_prot->shutdown(sk, how);
	sk->sk_state_change(sk);
	release_sock(sk);
	return err;
}

static int inet_setsockopt(struct socket *sock, int level, int optname,
			   const void *optval, unsigned int optlen)
{
	struct sock *sk = sock->sk;

	if (level == SOL_SOCKET)
		return sock_setsockopt(sock, level, optname, optval, optlen);
	return sk->sk_prot->setsockopt(sk, level, optname, optval, optlen);
}

static int inet_getsockopt(struct socket *sock, int level, int optname,
			   void *optval, int *optlen)
{
	struct sock *sk = sock->sk;

	if (level == SOL_SOCKET)
		return sock_getsockopt(sock, level, optname, optval, optlen);
	return sk->sk_prot->getsockopt(sk, level, optname, optval, optlen);
}

const struct proto_ops inet_dgram_ops = {
	.family = PF_INET,
	.release = inet_release,
	.bind = inet_bind,
	.connect = inet_dgram_connect,
	.socketpair = sock_no_socketpair,
	.accept = sock_no_accept,
	.getname = inet_getname,
	.poll = datagram_poll,
	.ioctl = inet_ioctl,
	.listen = sock_no_listen,
	.shutdown = inet_shutdown,
	.setsockopt = inet_setsockopt,
	.getsockopt = inet_getsockopt,
	.sendmsg = inet_sendmsg,
	.recvmsg = inet_recvmsg,
};

/* Raw sockets: datagram semantics, reached with SOCK_RAW. */
const struct proto_ops inet_sockraw_ops = {
	.family = PF_INET,
	.release = inet_release,
	.bind = inet_bind,
	.connect = inet_dgram_connect,
	.socketpair = sock_no_socketpair,
	.accept = sock_no_accept,
	.getname = inet_getname,
	.poll = datagram_poll,
	.ioctl = inet_ioctl,
	.listen = sock_no_listen,
	.shutdown = inet_shutdown,
	.setsockopt = inet_setsockopt,
	.getsockopt = inet_getsockopt,
	.sendmsg = inet_sendmsg,
	.recvmsg = inet_recvmsg,
};

static const struct net_proto_family inet_family_ops = {
	.family = PF_INET,
	.create = inet_create,
};

static int inet_init(void)
{
	static bool done;

	if (done)
		return 0;
	done = true;
	for (int i = 0; i < SOCK_MAX; i++)
		INIT_LIST_HEAD(&inetsw[i]);
	for (unsigned int i = 0; i < ARRAY_SIZE(inetsw_array); i++)
		inet_register_protosw(&inetsw_array[i]);
	return sock_register(&inet_family_ops);
}
DEFINE_INITCALL(INITCALL_SUBSYS, inet_init);

/* The host tests have no initcalls: they start the family themselves. */
int inet_family_init(void)
{
	return inet_init();
}

/* One of this stack's addresses: a device's, or anything in 127/8 (Linux's local table). */
bool inet_addr_is_local(__be32 addr)
{
	unsigned long flags;
	bool local;

	local_irq_save(flags);
	local = ipv4_is_loopback(addr) || ip_dev_find(addr) != NULL;
	local_irq_restore(flags);
	return local;
}
