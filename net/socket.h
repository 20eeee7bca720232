/*
 * struct socket: the file-facing half of the twins (seed 000/002, Linux
 * include/linux/net.h). A user's fd reaches it through struct file; it
 * reaches the protocol half, struct sock, through ->sk, and dispatches each
 * call through its const proto_ops table (inet_dgram_ops, ...).
 */
#ifndef NET_SOCKET_H
#define NET_SOCKET_H

#include "kernel/fs.h"
#include "kernel/wait.h"
#include "lib/types.h"
#include "net/uio.h"

/* Address families (Linux include/linux/socket.h). */
#define AF_UNSPEC	0
#define AF_UNIX		1
#define AF_INET		2
#define AF_INET6	10
#define AF_NETLINK	16
#define AF_PACKET	17
#define AF_MAX		46
#define NPROTO		AF_MAX
#define PF_UNSPEC	AF_UNSPEC
#define PF_INET		AF_INET

/* Socket types; the flags share the type argument of socket(2). */
#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_RAW	3
#define SOCK_RDM	4
#define SOCK_SEQPACKET	5
#define SOCK_DCCP	6
#define SOCK_PACKET	10
#define SOCK_MAX	(SOCK_PACKET + 1)
#define SOCK_TYPE_MASK	0xf
#define SOCK_NONBLOCK	O_NONBLOCK
#define SOCK_CLOEXEC	O_CLOEXEC

/* send/recv flags (Linux include/linux/socket.h) */
#define MSG_OOB		0x01
#define MSG_PEEK	0x02
#define MSG_DONTROUTE	0x04
#define MSG_CTRUNC	0x08
#define MSG_TRUNC	0x20
#define MSG_DONTWAIT	0x40
#define MSG_EOR		0x80
#define MSG_WAITALL	0x100
#define MSG_ERRQUEUE	0x2000
#define MSG_NOSIGNAL	0x4000
#define MSG_CMSG_COMPAT	0x80000000	/* 32-bit callers only: -EINVAL here */
#define MSG_CMSG_CLOEXEC 0x40000000

/* SOL_SOCKET options (asm-generic/socket.h, x86-64 numbering) */
#define SOL_SOCKET	1
#define SO_DEBUG	1
#define SO_REUSEADDR	2
#define SO_TYPE		3
#define SO_ERROR	4
#define SO_DONTROUTE	5
#define SO_BROADCAST	6
#define SO_SNDBUF	7
#define SO_RCVBUF	8
#define SO_KEEPALIVE	9
#define SO_RCVLOWAT	18
#define SO_SNDLOWAT	19
#define SO_RCVTIMEO	20	/* SO_RCVTIMEO_OLD: struct timeval of longs */
#define SO_SNDTIMEO	21
#define SO_PROTOCOL	38
#define SO_DOMAIN	39

/* ioctls a socket answers */
#define FIONREAD	0x541B
#define FIONBIO		0x5421
#define SIOCINQ		FIONREAD
#define SIOCOUTQ	0x5411

/* shutdown(2) how */
#define SHUT_RD		0
#define SHUT_WR		1
#define SHUT_RDWR	2

typedef enum {
	SS_FREE = 0,		/* not allocated */
	SS_UNCONNECTED,		/* unconnected to any socket */
	SS_CONNECTING,		/* in process of connecting */
	SS_CONNECTED,		/* connected to socket */
	SS_DISCONNECTING	/* in process of disconnecting */
} socket_state;

/* socket->flags bits */
#define SOCK_NOSPACE	2

typedef unsigned short sa_family_t;

struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};
BUILD_BUG_ON(sizeof(struct sockaddr) != 16);

/* Large enough for any address a family here knows (Linux: 128). */
struct sockaddr_storage {
	sa_family_t ss_family;
	char __data[126];
} __aligned(8);

/* User-space struct msghdr, as the x86-64 ABI lays it out (musl's too). */
struct user_msghdr {
	void *msg_name;
	int msg_namelen;
	struct iovec *msg_iov;
	size_t msg_iovlen;
	void *msg_control;
	size_t msg_controllen;
	unsigned int msg_flags;
};
BUILD_BUG_ON(sizeof(struct user_msghdr) != 56);

/*
 * The kernel's msghdr: the name is a kernel copy, the data an iterator over
 * the user's iovecs (Linux include/linux/socket.h).
 */
struct msghdr {
	void *msg_name;		/* kernel copy of the address, or NULL */
	int msg_namelen;
	struct iov_iter msg_iter;
	unsigned int msg_flags;	/* flags on received message */
};

static inline size_t msg_data_left(const struct msghdr *msg)
{
	return iov_iter_count(&msg->msg_iter);
}

struct socket_wq {
	wait_queue_head_t wait;	/* sleepers and pollers of this socket */
	unsigned long flags;
};

struct sock;
struct file;
struct proto_ops;
struct poll_table_struct;

/**
 * struct socket - general BSD socket
 * @state: socket state (SS_CONNECTED, etc)
 * @type: socket type (SOCK_STREAM, etc)
 * @flags: socket flags (SOCK_NOSPACE, etc)
 * @file: file back pointer (NULL for a kernel socket)
 * @sk: internal networking protocol agnostic socket representation
 * @ops: protocol specific socket operations
 * @wq: wait queue for several uses
 */
struct socket {
	socket_state state;
	short type;
	unsigned long flags;
	struct file *file;
	struct sock *sk;
	const struct proto_ops *ops;
	struct socket_wq wq;
};

/* Every entry is set: unsupported operations point at sock_no_*. */
struct proto_ops {
	int family;
	int (*release)(struct socket *sock);
	int (*bind)(struct socket *sock, struct sockaddr *addr, int addr_len);
	int (*connect)(struct socket *sock, struct sockaddr *addr, int addr_len,
		       int flags);
	int (*socketpair)(struct socket *a, struct socket *b);
	int (*accept)(struct socket *sock, struct socket *newsock, int flags,
		      bool kern);
	int (*getname)(struct socket *sock, struct sockaddr *addr, int peer);
	unsigned int (*poll)(struct file *file, struct socket *sock,
			     struct poll_table_struct *wait);
	/* @arg: for the int-valued commands (FIONREAD, SIOCOUTQ) a kernel int *;
	 * the syscall copies it out. */
	int (*ioctl)(struct socket *sock, unsigned int cmd, unsigned long arg);
	int (*listen)(struct socket *sock, int len);
	int (*shutdown)(struct socket *sock, int flags);
	int (*setsockopt)(struct socket *sock, int level, int optname,
			  const void *optval, unsigned int optlen);
	int (*getsockopt)(struct socket *sock, int level, int optname,
			  void *optval, int *optlen);
	int (*sendmsg)(struct socket *sock, struct msghdr *m, size_t total_len);
	int (*recvmsg)(struct socket *sock, struct msghdr *m, size_t total_len,
		       int flags);
};

/* An address family's factory: net_families[family]->create (seed 004 §1.3). */
struct net_proto_family {
	int family;
	int (*create)(struct socket *sock, int protocol, int kern);
};

int sock_register(const struct net_proto_family *ops);
void sock_unregister(int family);

struct socket *sock_alloc(void);
void sock_release(struct socket *sock);
int sock_create(int family, int type, int protocol, struct socket **res);
int __sock_create(int family, int type, int protocol, struct socket **res,
		  int kern);
int sock_create_kern(int family, int type, int protocol, struct socket **res);
int sock_sendmsg(struct socket *sock, struct msghdr *msg);
int sock_recvmsg(struct socket *sock, struct msghdr *msg, int flags);
/* Sockets alive now (Linux: sockets_in_use). */
long sockets_in_use(void);

/* Operations a family does not support (net/socket.c, Linux's errno). */
int sock_no_bind(struct socket *sock, struct sockaddr *addr, int len);
int sock_no_connect(struct socket *sock, struct sockaddr *addr, int len,
		    int flags);
int sock_no_socketpair(struct socket *a, struct socket *b);
int sock_no_accept(struct socket *sock, struct socket *newsock, int flags,
		   bool kern);
int sock_no_getname(struct socket *sock, struct sockaddr *addr, int peer);
int sock_no_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg);
int sock_no_listen(struct socket *sock, int backlog);
int sock_no_shutdown(struct socket *sock, int how);
int sock_no_sendmsg(struct socket *sock, struct msghdr *m, size_t len);
int sock_no_recvmsg(struct socket *sock, struct msghdr *m, size_t len,
		    int flags);

/* Common SOL_SOCKET handling (net/sock.c). @optval is a kernel copy:
 * the syscall copies it in (and out, for get) around these. */
int sock_setsockopt(struct socket *sock, int level, int optname,
		    const void *optval, unsigned int optlen);
int sock_getsockopt(struct socket *sock, int level, int optname,
		    void *optval, int *optlen);

/* The socket as a file (net/socket.c). */
struct socket *sock_from_file(struct file *file);
struct file *sock_alloc_file(struct socket *sock, int flags);

/* Socket system calls, by Linux x86-64 name (arguments as registers). */
long sys_socket(unsigned long family, unsigned long type, unsigned long protocol);
long sys_socketpair(unsigned long family, unsigned long type,
		    unsigned long protocol, unsigned long usockvec);
long sys_bind(unsigned long fd, unsigned long umyaddr, unsigned long addrlen);
long sys_connect(unsigned long fd, unsigned long uservaddr,
		 unsigned long addrlen);
long sys_listen(unsigned long fd, unsigned long backlog);
long sys_accept(unsigned long fd, unsigned long upeer_sockaddr,
		unsigned long upeer_addrlen);
long sys_accept4(unsigned long fd, unsigned long upeer_sockaddr,
		 unsigned long upeer_addrlen, unsigned long flags);
long sys_getsockname(unsigned long fd, unsigned long usockaddr,
		     unsigned long usockaddr_len);
long sys_getpeername(unsigned long fd, unsigned long usockaddr,
		     unsigned long usockaddr_len);
long sys_sendto(unsigned long fd, unsigned long buff, unsigned long len,
		unsigned long flags, unsigned long addr, unsigned long addr_len);
long sys_recvfrom(unsigned long fd, unsigned long ubuf, unsigned long size,
		  unsigned long flags, unsigned long addr,
		  unsigned long addr_len);
long sys_sendmsg(unsigned long fd, unsigned long umsg, unsigned long flags);
long sys_recvmsg(unsigned long fd, unsigned long umsg, unsigned long flags);
long sys_shutdown(unsigned long fd, unsigned long how);
long sys_setsockopt(unsigned long fd, unsigned long level,
		    unsigned long optname, unsigned long optval,
		    unsigned long optlen);
long sys_getsockopt(unsigned long fd, unsigned long level,
		    unsigned long optname, unsigned long optval,
		    unsigned long optlen);

#endif
