/*
 * The BSD socket layer (Linux net/socket.c): creation through the address
 * families' factories, and the entry of every data call, which passes the
 * security hook and then sock->ops (seed 004 §1, §3.2.2):
 *   sys_socket -> sock_create -> __sock_create -> net_families[]->create
 *   sock_sendmsg -> security_socket_sendmsg -> sock_sendmsg_nosec
 *                -> sock->ops->sendmsg (inet_sendmsg)
 */
#include "net/socket.h"
#include "kernel/printk.h"
#include "kernel/slab.h"
#include "net/security.h"
#include "net/sock.h"

/*
 * The address families' factories, indexed by family. Linux reads this
 * under RCU so a module can unregister a family while sockets are being
 * created; this kernel is uniprocessor and has no modules, so the plain
 * pointer read behind rcu_dereference() is all there is.
 */
static const struct net_proto_family *net_families[NPROTO];
#define rcu_dereference(p)	READ_ONCE(p)
#define rcu_read_lock()		do { } while (0)
#define rcu_read_unlock()	do { } while (0)

static long sockets_alive;

long sockets_in_use(void)
{
	return sockets_alive;
}

int sock_register(const struct net_proto_family *ops)
{
	if (ops->family < 0 || ops->family >= NPROTO)
		return -ENOBUFS;
	if (net_families[ops->family])
		return -EEXIST;
	net_families[ops->family] = ops;
	pr_info("NET: Registered protocol family %d\n", ops->family);
	return 0;
}

void sock_unregister(int family)
{
	if (family >= 0 && family < NPROTO)
		net_families[family] = NULL;
}

/**
 * sock_alloc - allocate a socket. In Linux the socket lives inside a sockfs
 * inode; here there is no inode, the socket is its own allocation, and
 * sock_alloc_file() (the syscall layer) pairs it with a struct file.
 */
struct socket *sock_alloc(void)
{
	struct socket *sock = kzalloc(sizeof(*sock));

	if (!sock)
		return NULL;
	init_waitqueue_head(&sock->wq.wait);
	sock->state = SS_UNCONNECTED;
	sockets_alive++;
	return sock;
}

/**
 * sock_release - close a socket: the protocol lets go of its sock
 * (ops->release), then the socket itself is freed.
 */
void sock_release(struct socket *sock)
{
	if (sock->ops) {
		sock->ops->release(sock);
		sock->ops = NULL;
	}
	sock->sk = NULL;
	sock->file = NULL;
	sockets_alive--;
	kfree(sock);
}

int __sock_create(int family, int type, int protocol, struct socket **res,
		  int kern)
{
	const struct net_proto_family *pf;
	struct socket *sock;
	int err;

	if (family < 0 || family >= NPROTO)
		return -EAFNOSUPPORT;
	if (type < 0 || type >= SOCK_MAX)
		return -EINVAL;
	/* Compatibility: SOCK_PACKET under PF_INET is the packet family's. */
	if (family == PF_INET && type == SOCK_PACKET)
		family = AF_PACKET;
	sock = sock_alloc();
	if (!sock)
		return -ENFILE;
	sock->type = (short)type;

	rcu_read_lock();
	pf = rcu_dereference(net_families[family]);
	err = -EAFNOSUPPORT;
	if (!pf)
		goto out_release;
	err = pf->create(sock, protocol, kern);
	if (err < 0)
		goto out_release;
	rcu_read_unlock();
	*res = sock;
	return 0;
out_release:
	rcu_read_unlock();
	sock_release(sock);
	return err;
}

int sock_create(int family, int type, int protocol, struct socket **res)
{
	return __sock_create(family, type, protocol, res, 0);
}

int sock_create_kern(int family, int type, int protocol, struct socket **res)
{
	return __sock_create(family, type, protocol, res, 1);
}

static inline int sock_sendmsg_nosec(struct socket *sock, struct msghdr *msg)
{
	return sock->ops->sendmsg(sock, msg, msg_data_left(msg));
}

int sock_sendmsg(struct socket *sock, struct msghdr *msg)
{
	int err = security_socket_sendmsg(sock, msg, msg_data_left(msg));

	return err ?: sock_sendmsg_nosec(sock, msg);
}

static inline int sock_recvmsg_nosec(struct socket *sock, struct msghdr *msg,
				     int flags)
{
	return sock->ops->recvmsg(sock, msg, msg_data_left(msg), flags);
}

int sock_recvmsg(struct socket *sock, struct msghdr *msg, int flags)
{
	int err = security_socket_recvmsg(sock, msg, msg_data_left(msg), flags);

	return err ?: sock_recvmsg_nosec(sock, msg, flags);
}

/* What a family does not support, answered with Linux's errno. */
int sock_no_bind(struct socket *sock, struct sockaddr *addr, int len)
{
	return -EOPNOTSUPP;
}

int sock_no_connect(struct socket *sock, struct sockaddr *addr, int len,
		    int flags)
{
	return -EOPNOTSUPP;
}

int sock_no_socketpair(struct socket *a, struct socket *b)
{
	return -EOPNOTSUPP;
}

int sock_no_accept(struct socket *sock, struct socket *newsock, int flags,
		   bool kern)
{
	return -EOPNOTSUPP;
}

int sock_no_getname(struct socket *sock, struct sockaddr *addr, int peer)
{
	return -EOPNOTSUPP;
}

int sock_no_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	return -EOPNOTSUPP;
}

int sock_no_listen(struct socket *sock, int backlog)
{
	return -EOPNOTSUPP;
}

int sock_no_shutdown(struct socket *sock, int how)
{
	return -EOPNOTSUPP;
}

int sock_no_sendmsg(struct socket *sock, struct msghdr *m, size_t len)
{
	return -EOPNOTSUPP;
}

int sock_no_recvmsg(struct socket *sock, struct msghdr *m, size_t len,
		    int flags)
{
	return -EOPNOTSUPP;
}
