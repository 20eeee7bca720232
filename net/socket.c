/*
 * The BSD socket layer (Linux net/socket.c): creation through the address
 * families' factories, and the entry of every data call, which passes the
 * security hook and then sock->ops (seed 004 §1, §3.2.2):
 *   sys_socket -> sock_create -> __sock_create -> net_families[]->create
 *   sock_sendmsg -> security_socket_sendmsg -> sock_sendmsg_nosec
 *                -> sock->ops->sendmsg (inet_sendmsg)
 */
#include "net/socket.h"
#include "kernel/poll.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/slab.h"
#include "kernel/uaccess.h"
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

#define MAX_RW_COUNT	0x7ffff000L	/* Linux caps one transfer at this */

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

/*
 * ---- The socket as a file: fd -> struct file -> struct socket ----
 */
static ssize_t sock_read(struct file *file, char __user *buf, size_t len,
			 loff_t *pos);
static ssize_t sock_write(struct file *file, const char __user *buf,
			  size_t len, loff_t *pos);
static unsigned int sock_poll(struct file *file, struct poll_table_struct *wait);
static long sock_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
static int sock_close(struct file *file);

static const struct file_operations socket_file_ops = {
	.read = sock_read,
	.write = sock_write,
	.poll = sock_poll,
	.unlocked_ioctl = sock_ioctl,
	.release = sock_close,
};

/* The socket behind @file, or NULL if it is not a socket. */
struct socket *sock_from_file(struct file *file)
{
	return file->f_op == &socket_file_ops ? file->private_data : NULL;
}

/* Pair @sock with a new file (Linux: the sockfs inode's file). */
struct file *sock_alloc_file(struct socket *sock, int flags)
{
	struct file *file = alloc_file(&socket_file_ops,
				       O_RDWR | (flags & O_NONBLOCK), sock);

	if (!file) {
		sock_release(sock);
		return NULL;
	}
	sock->file = file;
	return file;
}

/* Give @sock a file and an fd in the current program; the fd or -errno. */
static int sock_map_fd(struct socket *sock, int flags)
{
	struct file *file;
	int fd;

	if (!current->files) {
		sock_release(sock);
		return -EMFILE;
	}
	file = sock_alloc_file(sock, flags);
	if (!file)
		return -ENFILE;
	fd = fd_install_from(current->files, file, 0, flags & O_CLOEXEC);
	if (fd < 0)
		fput(file);
	return fd;
}

/* Linux's sockfd_lookup_light: a reference on the fd's file, or EBADF/ENOTSOCK. */
static struct socket *sockfd_lookup(unsigned long fd, int *err)
{
	struct file *file = fget((unsigned int)fd);
	struct socket *sock;

	if (!file) {
		*err = -EBADF;
		return NULL;
	}
	sock = sock_from_file(file);
	if (!sock) {
		*err = -ENOTSOCK;
		fput(file);
	}
	return sock;
}

static void sockfd_put(struct socket *sock)
{
	fput(sock->file);
}

static int sock_close(struct file *file)
{
	sock_release(file->private_data);
	return 0;
}

static ssize_t sock_read(struct file *file, char __user *buf, size_t len,
			 loff_t *pos)
{
	struct socket *sock = file->private_data;
	struct iovec iov = { buf, len };
	struct msghdr msg = { 0 };

	iov_iter_init(&msg.msg_iter, READ, &iov, 1, len);
	return sock_recvmsg(sock, &msg,
			    file->f_flags & O_NONBLOCK ? MSG_DONTWAIT : 0);
}

static ssize_t sock_write(struct file *file, const char __user *buf,
			  size_t len, loff_t *pos)
{
	struct socket *sock = file->private_data;
	struct iovec iov = { (void __user *)buf, len };
	struct msghdr msg = { 0 };

	if (file->f_flags & O_NONBLOCK)
		msg.msg_flags = MSG_DONTWAIT;
	iov_iter_init(&msg.msg_iter, WRITE, &iov, 1, len);
	return sock_sendmsg(sock, &msg);
}

static unsigned int sock_poll(struct file *file, struct poll_table_struct *wait)
{
	struct socket *sock = file->private_data;

	return sock->ops->poll(file, sock, wait);
}

/*
 * FIONBIO is the generic "set O_NONBLOCK" (Linux handles it in
 * fs/ioctl.c); the int-valued queue sizes come back from the protocol
 * in a kernel int and are copied out here.
 */
static long sock_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct socket *sock = file->private_data;
	int val, err;

	if (cmd == FIONBIO) {
		if (copy_from_user(&val, (void __user *)arg, sizeof(val)))
			return -EFAULT;
		if (val)
			file->f_flags |= O_NONBLOCK;
		else
			file->f_flags &= ~O_NONBLOCK;
		return 0;
	}
	if (cmd != SIOCINQ && cmd != SIOCOUTQ)
		return -ENOTTY;
	err = sock->ops->ioctl(sock, cmd, (unsigned long)&val);
	if (err)
		return err;
	return copy_to_user((void __user *)arg, &val, sizeof(val));
}

/* Copy a user address in; its length must fit a sockaddr_storage. */
static int move_addr_to_kernel(const void __user *uaddr, int ulen,
			       struct sockaddr_storage *kaddr)
{
	if (ulen < 0 || ulen > (int)sizeof(struct sockaddr_storage))
		return -EINVAL;
	if (ulen == 0)
		return 0;
	return copy_from_user(kaddr, uaddr, (size_t)ulen);
}

/*
 * Copy an address out, truncated to the user's buffer; the user's length
 * becomes the full length, so a caller can see it was truncated (Linux).
 */
static int move_addr_to_user(const struct sockaddr_storage *kaddr, int klen,
			     void __user *uaddr, int __user *ulen)
{
	int len;

	if (copy_from_user(&len, ulen, sizeof(len)))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (len > klen)
		len = klen;
	if (len && copy_to_user(uaddr, kaddr, (size_t)len))
		return -EFAULT;
	return copy_to_user(ulen, &klen, sizeof(klen));
}

long sys_socket(unsigned long family, unsigned long type, unsigned long protocol)
{
	int flags = (int)type & ~SOCK_TYPE_MASK;
	struct socket *sock;
	int err;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	err = sock_create((int)family, (int)type & SOCK_TYPE_MASK, (int)protocol,
			  &sock);
	if (err)
		return err;
	return sock_map_fd(sock, flags);
}

/*
 * Linux answers socketpair for AF_INET from the ops table: -EOPNOTSUPP.
 * Before it creates the socks, Linux stores the two fds it reserved in
 * @usockvec (so a bad pointer is -EFAULT first); no pair is ever made
 * here, so -1 is stored instead.
 */
long sys_socketpair(unsigned long family, unsigned long type,
		    unsigned long protocol, unsigned long usockvec)
{
	int flags = (int)type & ~SOCK_TYPE_MASK;
	const int none[2] = { -1, -1 };
	struct socket *a, *b;
	int err;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	if (copy_to_user((void __user *)usockvec, none, sizeof(none)))
		return -EFAULT;
	err = sock_create((int)family, (int)type & SOCK_TYPE_MASK, (int)protocol, &a);
	if (err)
		return err;
	err = sock_create((int)family, (int)type & SOCK_TYPE_MASK, (int)protocol, &b);
	if (!err) {
		err = a->ops->socketpair(a, b);
		sock_release(b);
	}
	sock_release(a);
	return err ? err : -EOPNOTSUPP;
}

long sys_bind(unsigned long fd, unsigned long umyaddr, unsigned long addrlen)
{
	struct sockaddr_storage address;
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = move_addr_to_kernel((void __user *)umyaddr, (int)addrlen, &address);
	if (!err)
		err = security_socket_bind(sock, (struct sockaddr *)&address,
					   (int)addrlen);
	if (!err)
		err = sock->ops->bind(sock, (struct sockaddr *)&address,
				      (int)addrlen);
	sockfd_put(sock);
	return err;
}

long sys_connect(unsigned long fd, unsigned long uservaddr,
		 unsigned long addrlen)
{
	struct sockaddr_storage address;
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = move_addr_to_kernel((void __user *)uservaddr, (int)addrlen, &address);
	if (!err)
		err = security_socket_connect(sock, (struct sockaddr *)&address,
					      (int)addrlen);
	if (!err)
		err = sock->ops->connect(sock, (struct sockaddr *)&address,
					 (int)addrlen, (int)sock->file->f_flags);
	sockfd_put(sock);
	return err;
}

long sys_listen(unsigned long fd, unsigned long backlog)
{
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = sock->ops->listen(sock, (int)backlog);
	sockfd_put(sock);
	return err;
}

/*
 * Linux's do_accept: a new socket of the listener's type and ops, filled
 * by ops->accept (waiting unless O_NONBLOCK), the peer's address copied
 * out, then a file and an fd for it. The fd, or -errno.
 */
static long sock_accept_new(struct socket *sock, unsigned long upeer_sockaddr,
			    unsigned long upeer_addrlen, int flags)
{
	struct sockaddr_storage address;
	struct socket *newsock = sock_alloc();
	int err, len;

	if (!newsock)
		return -ENFILE;
	newsock->type = sock->type;
	newsock->ops = sock->ops;
	/* SOCK_NONBLOCK is for the new file: the wait follows the listener's. */
	err = sock->ops->accept(sock, newsock, (int)sock->file->f_flags, false);
	if (err) {
		newsock->ops = NULL;
		sock_release(newsock);
		return err;
	}
	if (upeer_sockaddr) {
		len = newsock->ops->getname(newsock, (struct sockaddr *)&address, 1);
		err = len < 0 ? -ECONNABORTED :
		      move_addr_to_user(&address, len,
					(void __user *)upeer_sockaddr,
					(int __user *)upeer_addrlen);
		if (err) {
			sock_release(newsock);
			return err;
		}
	}
	return sock_map_fd(newsock, flags);
}

long sys_accept4(unsigned long fd, unsigned long upeer_sockaddr,
		 unsigned long upeer_addrlen, unsigned long flags)
{
	struct socket *sock;
	struct file *f;
	int err;

	/* Linux's order: -EBADF, then the flags, then -ENOTSOCK. */
	f = fget((unsigned int)fd);
	if (!f)
		return -EBADF;
	fput(f);
	if ((int)flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = sock_accept_new(sock, upeer_sockaddr, upeer_addrlen, (int)flags);
	sockfd_put(sock);
	return err;
}

long sys_accept(unsigned long fd, unsigned long upeer_sockaddr,
		unsigned long upeer_addrlen)
{
	return sys_accept4(fd, upeer_sockaddr, upeer_addrlen, 0);
}

static long sock_getname(unsigned long fd, unsigned long usockaddr,
			 unsigned long usockaddr_len, int peer)
{
	struct sockaddr_storage address;
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = sock->ops->getname(sock, (struct sockaddr *)&address, peer);
	if (err >= 0)
		err = move_addr_to_user(&address, err, (void __user *)usockaddr,
					(int __user *)usockaddr_len);
	sockfd_put(sock);
	return err;
}

long sys_getsockname(unsigned long fd, unsigned long usockaddr,
		     unsigned long usockaddr_len)
{
	return sock_getname(fd, usockaddr, usockaddr_len, 0);
}

long sys_getpeername(unsigned long fd, unsigned long usockaddr,
		     unsigned long usockaddr_len)
{
	return sock_getname(fd, usockaddr, usockaddr_len, 1);
}

/* Linux's import_iovec: the user's iovec array, checked, as an iterator. */
static int import_iovec(int type, const struct iovec __user *uvec,
			unsigned long nr_segs, struct iovec *iov,
			struct iov_iter *i)
{
	size_t total = 0;

	if (nr_segs > UIO_MAXIOV)
		return -EINVAL;
	if (nr_segs && copy_from_user(iov, uvec, nr_segs * sizeof(*iov)))
		return -EFAULT;
	for (unsigned long s = 0; s < nr_segs; s++) {
		if ((ssize_t)iov[s].iov_len < 0)
			return -EINVAL;
		if (!access_ok(iov[s].iov_base, iov[s].iov_len))
			return -EFAULT;
		if (iov[s].iov_len > MAX_RW_COUNT - total)
			iov[s].iov_len = MAX_RW_COUNT - total;
		total += iov[s].iov_len;
	}
	iov_iter_init(i, (unsigned int)type, iov, nr_segs, total);
	return 0;
}

static long __sys_sendmsg_sock(struct socket *sock, struct msghdr *msg,
			       struct sockaddr_storage *address,
			       const void __user *uaddr, int addrlen,
			       unsigned int flags)
{
	int err;

	if (uaddr) {
		err = move_addr_to_kernel(uaddr, addrlen, address);
		if (err)
			return err;
		msg->msg_name = address;
		msg->msg_namelen = addrlen;
	}
	if (sock->file->f_flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	msg->msg_flags = flags;
	return sock_sendmsg(sock, msg);
}

long sys_sendto(unsigned long fd, unsigned long buff, unsigned long len,
		unsigned long flags, unsigned long addr, unsigned long addr_len)
{
	struct sockaddr_storage address;
	struct msghdr msg = { 0 };
	struct iovec iov;
	struct socket *sock;
	int err;

	len = min_t(size_t, len, MAX_RW_COUNT);	/* first, as Linux's import_ubuf() */
	if (!access_ok((void __user *)buff, len))
		return -EFAULT;
	iov.iov_base = (void __user *)buff;
	iov.iov_len = len;
	iov_iter_init(&msg.msg_iter, WRITE, &iov, 1, iov.iov_len);
	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = (int)__sys_sendmsg_sock(sock, &msg, &address,
				      (const void __user *)addr, (int)addr_len,
				      (unsigned int)flags);
	sockfd_put(sock);
	return err;
}

static long __sys_recvmsg_sock(struct socket *sock, struct msghdr *msg,
			       void __user *uaddr, int __user *uaddr_len,
			       unsigned int flags)
{
	struct sockaddr_storage address;
	int len;

	msg->msg_name = uaddr ? &address : NULL;
	msg->msg_namelen = 0;
	if (sock->file->f_flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	len = sock_recvmsg(sock, msg, (int)flags);
	if (len >= 0 && uaddr && msg->msg_namelen) {
		int err = move_addr_to_user(&address, msg->msg_namelen, uaddr,
					    uaddr_len);
		if (err)
			return err;
	}
	return len;
}

long sys_recvfrom(unsigned long fd, unsigned long ubuf, unsigned long size,
		  unsigned long flags, unsigned long addr,
		  unsigned long addr_len)
{
	struct msghdr msg = { 0 };
	struct iovec iov;
	struct socket *sock;
	int err;

	size = min_t(size_t, size, MAX_RW_COUNT);
	if (!access_ok((void __user *)ubuf, size))
		return -EFAULT;
	iov.iov_base = (void __user *)ubuf;
	iov.iov_len = size;
	iov_iter_init(&msg.msg_iter, READ, &iov, 1, iov.iov_len);
	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = (int)__sys_recvmsg_sock(sock, &msg, (void __user *)addr,
				      (int __user *)addr_len,
				      (unsigned int)flags);
	sockfd_put(sock);
	return err;
}

#define UIO_FASTIOV	8	/* iovecs that fit on the stack (Linux's number) */

/*
 * sendmsg/recvmsg: the user's msghdr and its iovec array, copied in; more
 * than UIO_FASTIOV segments go to a kmalloc'd array (*@iovp), which the
 * caller frees when it is not @fast.
 */
static int copy_msghdr_from_user(struct user_msghdr *kmsg,
				 const struct user_msghdr __user *umsg,
				 struct iovec *fast, struct iovec **iovp,
				 struct msghdr *msg, int type)
{
	*iovp = fast;
	if (copy_from_user(kmsg, umsg, sizeof(*kmsg)))
		return -EFAULT;
	if (kmsg->msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	if (kmsg->msg_iovlen > UIO_FASTIOV) {
		*iovp = kmalloc(kmsg->msg_iovlen * sizeof(struct iovec));
		if (!*iovp) {
			*iovp = fast;
			return -ENOMEM;
		}
	}
	return import_iovec(type, kmsg->msg_iov, kmsg->msg_iovlen, *iovp,
			    &msg->msg_iter);
}

long sys_sendmsg(unsigned long fd, unsigned long umsg, unsigned long flags)
{
	struct iovec fast[UIO_FASTIOV], *iov = fast;
	struct sockaddr_storage address;
	struct user_msghdr kmsg;
	struct msghdr msg = { 0 };
	struct socket *sock;
	int err;

	if ((unsigned int)flags & MSG_CMSG_COMPAT)	/* before the fd, as Linux */
		return -EINVAL;
	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = copy_msghdr_from_user(&kmsg, (void __user *)umsg, fast, &iov,
				    &msg, WRITE);
	if (!err)
		err = (int)__sys_sendmsg_sock(sock, &msg, &address, kmsg.msg_name,
					      kmsg.msg_namelen,
					      (unsigned int)flags);
	sockfd_put(sock);
	if (iov != fast)
		kfree(iov);
	return err;
}

long sys_recvmsg(unsigned long fd, unsigned long umsg, unsigned long flags)
{
	struct user_msghdr __user *um = (void __user *)umsg;
	struct iovec fast[UIO_FASTIOV], *iov = fast;
	struct user_msghdr kmsg;
	struct msghdr msg = { 0 };
	struct socket *sock;
	size_t zero = 0;
	int err;

	if ((unsigned int)flags & MSG_CMSG_COMPAT)
		return -EINVAL;
	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = copy_msghdr_from_user(&kmsg, um, fast, &iov, &msg, READ);
	if (!err)
		err = (int)__sys_recvmsg_sock(sock, &msg, kmsg.msg_name,
					      &um->msg_namelen,
					      (unsigned int)flags);
	/* No control messages are produced: msg_controllen is 0. */
	if (err >= 0 && (copy_to_user(&um->msg_flags, &msg.msg_flags,
				      sizeof(msg.msg_flags)) ||
			 copy_to_user(&um->msg_controllen, &zero, sizeof(zero))))
		err = -EFAULT;
	sockfd_put(sock);
	if (iov != fast)
		kfree(iov);
	return err;
}

long sys_shutdown(unsigned long fd, unsigned long how)
{
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = sock->ops->shutdown(sock, (int)how);
	sockfd_put(sock);
	return err;
}

/* Option values pass through a kernel buffer this large at most. */
#define SOCKOPT_MAX	64

long sys_setsockopt(unsigned long fd, unsigned long level,
		    unsigned long optname, unsigned long optval,
		    unsigned long optlen)
{
	u8 kval[SOCKOPT_MAX] = { 0 };
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);		/* the fd first, as Linux */
	if (!sock)
		return err;
	if ((int)optlen < 0) {
		sockfd_put(sock);
		return -EINVAL;
	}
	err = copy_from_user(kval, (const void __user *)optval,
			     min_t(size_t, optlen, sizeof(kval)));
	if (!err)
		err = sock->ops->setsockopt(sock, (int)level, (int)optname, kval,
					    (unsigned int)optlen);
	sockfd_put(sock);
	return err;
}

long sys_getsockopt(unsigned long fd, unsigned long level,
		    unsigned long optname, unsigned long optval,
		    unsigned long optlen)
{
	u8 kval[SOCKOPT_MAX];
	struct socket *sock;
	int len, err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	err = copy_from_user(&len, (int __user *)optlen, sizeof(len));
	if (err)
		goto out;
	if (len > (int)sizeof(kval))
		len = sizeof(kval);
	err = sock->ops->getsockopt(sock, (int)level, (int)optname, kval, &len);
	if (!err)
		err = copy_to_user((void __user *)optval, kval, (size_t)len) ?:
		      copy_to_user((int __user *)optlen, &len, sizeof(len));
out:
	sockfd_put(sock);
	return err;
}
