/*
 * The socket system calls as a program sees them: fds, Linux's errno for
 * every bad argument (EBADF, ENOTSOCK, EINVAL, EAFNOSUPPORT, EFAULT), and
 * nothing changed by a refused call. User pointers below 64 KiB are "bad"
 * on the host (tests/host/uaccess.c).
 */
#include <criterion/criterion.h>
#include "tests/host/nettest.h"
#include "kernel/fs.h"
#include "kernel/syscalls.h"
#include "lib/byteorder.h"
#include "lib/string.h"
#include "net/inet_sock.h"
#include "tests/host/netsim.h"

#define BADPTR	0x100UL
#define F_GETFL	3
#define F_SETFL	4

static void setup(void)
{
	netsim_reset();
	inet_family_init();
	current->files = files_alloc();
}

static void teardown(void)
{
	files_release(current->files);
	current->files = NULL;
	netsim_teardown_no_leaks();
}

TestSuite(socket_syscalls, .init = setup, .fini = teardown);

static long raw_socket(void)
{
	long fd = sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	cr_assert_geq(fd, 0, "socket: %ld", fd);
	return fd;
}

static struct sock *fd_sk(long fd)
{
	return sock_from_file(current->files->fd[fd])->sk;
}

/* An ICMP datagram from 10.0.2.2 for the raw socks (ip_local_deliver's view). */
static void deliver_icmp(unsigned int len)
{
	struct sk_buff *skb = alloc_skb(MAX_HEADER + 20 + len);
	u8 *iph;

	skb_reserve(skb, MAX_HEADER);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, 20 + len);
	iph[0] = 0x45;
	iph[9] = IPPROTO_ICMP;
	put_be32(iph + 12, 0x0a000202);
	iph[20] = 0x5a;
	skb_pull(skb, 20);
	skb_reset_transport_header(skb);
	raw_local_deliver(skb, IPPROTO_ICMP);
	consume_skb(skb);
}

Test(socket_syscalls, socket_returns_the_lowest_free_fd_and_flags_apply)
{
	long a = raw_socket(), b;

	b = sys_socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       IPPROTO_ICMP);
	cr_assert_eq(b, a + 1);
	cr_assert(current->files->fd[b]->f_flags & O_NONBLOCK);
	cr_assert(fd_is_cloexec(current->files, (unsigned int)b));
	cr_assert_eq(sys_close((unsigned long)a), 0);
	cr_assert_eq(raw_socket(), a, "the freed fd is reused");
}

Test(socket_syscalls, socket_rejects_bad_arguments_without_an_fd)
{
	cr_assert_eq(sys_socket(AF_INET, SOCK_RAW | 0x10, IPPROTO_ICMP), -EINVAL);
	cr_assert_eq(sys_socket(AF_INET6, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	cr_assert_eq(sys_socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), -EPROTONOSUPPORT);
	cr_assert_eq(sys_socket(AF_INET, SOCK_RAW, 0), -EPROTONOSUPPORT);
	cr_assert_eq(sys_socket(AF_INET, 15, 0), -EINVAL);
	cr_assert_eq(sockets_in_use(), 0);
	cr_assert_eq(raw_socket(), 0, "no fd was used up");
}

Test(socket_syscalls, bad_fds_are_ebadf_and_other_files_enotsock)
{
	static const struct file_operations plain_ops;
	struct file *f = alloc_file(&plain_ops, O_RDWR, NULL);
	long fd = fd_install_from(current->files, f, 0, false);
	struct sockaddr_in a = { .sin_family = AF_INET };
	int v = 0, len = sizeof(v);

	cr_assert_eq(sys_bind(40, (unsigned long)&a, sizeof(a)), -EBADF);
	cr_assert_eq(sys_bind(~0UL, (unsigned long)&a, sizeof(a)), -EBADF);
	cr_assert_eq(sys_connect(40, (unsigned long)&a, sizeof(a)), -EBADF);
	cr_assert_eq(sys_getsockopt(40, SOL_SOCKET, SO_TYPE, (unsigned long)&v,
				    (unsigned long)&len), -EBADF);
	cr_assert_eq(sys_recvfrom(40, (unsigned long)&v, 4, 0, 0, 0), -EBADF);
	cr_assert_eq(sys_bind((unsigned long)fd, (unsigned long)&a, sizeof(a)),
		     -ENOTSOCK);
	cr_assert_eq(sys_sendto((unsigned long)fd, (unsigned long)&v, 4, 0, 0, 0),
		     -ENOTSOCK);
	cr_assert_eq(sys_shutdown((unsigned long)fd, SHUT_RDWR), -ENOTSOCK);
	cr_assert_eq(sys_listen((unsigned long)fd, 1), -ENOTSOCK);
	cr_assert_eq(f->f_count, 1, "every lookup let the file go");
}

Test(socket_syscalls, bind_checks_length_family_pointer_and_address)
{
	long fd = raw_socket();
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct sockaddr_in got;
	int len = sizeof(got);

	cr_assert_eq(sys_bind((unsigned long)fd, (unsigned long)&a, 8), -EINVAL);
	cr_assert_eq(sys_bind((unsigned long)fd, (unsigned long)&a, 129), -EINVAL);
	cr_assert_eq(sys_bind((unsigned long)fd, (unsigned long)&a, -1UL), -EINVAL);
	cr_assert_eq(sys_bind((unsigned long)fd, BADPTR, sizeof(a)), -EFAULT);
	a.sin_addr.s_addr = htonl(0x0a0a0a0a);
	cr_assert_eq(sys_bind((unsigned long)fd, (unsigned long)&a, sizeof(a)),
		     -EADDRNOTAVAIL);
	cr_assert_eq(sys_getsockname((unsigned long)fd, (unsigned long)&got,
				     (unsigned long)&len), 0);
	cr_assert_eq(got.sin_addr.s_addr, 0, "the refused bind changed nothing");
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(sys_bind((unsigned long)fd, (unsigned long)&a, sizeof(a)), 0);
	cr_assert_eq(sys_getsockname((unsigned long)fd, (unsigned long)&got,
				     (unsigned long)&len), 0);
	cr_assert_eq(len, sizeof(got));
	cr_assert_eq(ntohl(got.sin_addr.s_addr), INADDR_LOOPBACK);
}

Test(socket_syscalls, getsockname_truncates_and_reports_the_full_length)
{
	long fd = raw_socket();
	u8 buf[16];
	int len = 4;

	memset(buf, 0xee, sizeof(buf));
	cr_assert_eq(sys_getsockname((unsigned long)fd, (unsigned long)buf,
				     (unsigned long)&len), 0);
	cr_assert_eq(len, 16);
	cr_assert_eq(buf[0], AF_INET);
	cr_assert_eq(buf[4], 0xee, "only 4 bytes written");
	len = -1;
	cr_assert_eq(sys_getsockname((unsigned long)fd, (unsigned long)buf,
				     (unsigned long)&len), -EINVAL);
	cr_assert_eq(sys_getsockname((unsigned long)fd, (unsigned long)buf, BADPTR),
		     -EFAULT);
	len = 16;
	cr_assert_eq(sys_getpeername((unsigned long)fd, (unsigned long)buf,
				     (unsigned long)&len), -ENOTCONN);
}

Test(socket_syscalls, stream_calls_on_a_datagram_socket_are_eopnotsupp)
{
	long fd = raw_socket();
	int sv[2] = { 0, 0 };

	cr_assert_eq(sys_listen((unsigned long)fd, 5), -EOPNOTSUPP);
	cr_assert_eq(sys_accept((unsigned long)fd, 0, 0), -EOPNOTSUPP);
	cr_assert_eq(sys_accept4((unsigned long)fd, 0, 0, 0x1), -EINVAL);
	cr_assert_eq(sys_socketpair(AF_INET, SOCK_RAW, IPPROTO_ICMP, (unsigned long)sv),
		     -EOPNOTSUPP);
	cr_assert_eq(sys_socketpair(AF_INET6, SOCK_DGRAM, 0, (unsigned long)sv),
		     -EAFNOSUPPORT);
	/* Linux stores the reserved fds before it creates anything. */
	cr_assert_eq(sys_socketpair(AF_INET, SOCK_RAW, IPPROTO_ICMP, 0), -EFAULT);
	cr_assert_eq(sockets_in_use(), 1);
}

Test(socket_syscalls, recvfrom_returns_data_and_sender_or_eagain)
{
	long fd = sys_socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK, IPPROTO_ICMP);
	u8 buf[64];
	struct sockaddr_in from;
	int len = sizeof(from);

	cr_assert_eq(sys_recvfrom((unsigned long)fd, (unsigned long)buf,
				  sizeof(buf), 0, 0, 0), -EAGAIN);
	deliver_icmp(8);
	cr_assert_eq(sys_recvfrom((unsigned long)fd, (unsigned long)buf,
				  sizeof(buf), 0, BADPTR, (unsigned long)&len),
		     -EFAULT);
	deliver_icmp(8);
	cr_assert_eq(sys_recvfrom((unsigned long)fd, (unsigned long)buf,
				  sizeof(buf), 0, (unsigned long)&from,
				  (unsigned long)&len), 28);
	cr_assert_eq(buf[20], 0x5a);
	cr_assert_eq(len, sizeof(from));
	cr_assert_eq(ntohl(from.sin_addr.s_addr), 0x0a000202);
	deliver_icmp(8);
	cr_assert_eq(sys_recvfrom((unsigned long)fd, BADPTR, sizeof(buf), 0, 0, 0),
		     -EFAULT);
}

Test(socket_syscalls, recvmsg_gathers_into_iovecs_and_sets_flags)
{
	long fd = raw_socket();
	u8 a[10], b[100];
	struct iovec iov[2] = { { a, sizeof(a) }, { b, 5 } };
	struct sockaddr_in from;
	struct user_msghdr m = { .msg_name = &from, .msg_namelen = sizeof(from),
				 .msg_iov = iov, .msg_iovlen = 2 };

	deliver_icmp(20);
	cr_assert_eq(sys_recvmsg((unsigned long)fd, (unsigned long)&m,
				 MSG_DONTWAIT), 15);
	cr_assert(m.msg_flags & MSG_TRUNC);
	cr_assert_eq(a[0], 0x45);
	cr_assert_eq(m.msg_namelen, sizeof(from));
	m.msg_iovlen = UIO_MAXIOV + 1;
	cr_assert_eq(sys_recvmsg((unsigned long)fd, (unsigned long)&m, 0),
		     -EMSGSIZE);
	m.msg_iovlen = 2;
	iov[1].iov_len = (size_t)-1;
	cr_assert_eq(sys_recvmsg((unsigned long)fd, (unsigned long)&m, 0), -EINVAL);
	cr_assert_eq(sys_recvmsg((unsigned long)fd, BADPTR, 0), -EFAULT);
}

Test(socket_syscalls, o_nonblock_from_fcntl_and_fionbio)
{
	long fd = raw_socket();
	u8 buf[64];
	int on = 1, n = -1;

	cr_assert_eq(sys_fcntl((unsigned long)fd, F_SETFL, O_NONBLOCK), 0);
	cr_assert_eq(sys_read((unsigned long)fd, (unsigned long)buf, sizeof(buf)),
		     -EAGAIN);
	cr_assert_eq(sys_fcntl((unsigned long)fd, F_SETFL, 0), 0);
	cr_assert_eq(sys_ioctl((unsigned long)fd, FIONBIO, (unsigned long)&on), 0);
	cr_assert(sys_fcntl((unsigned long)fd, F_GETFL, 0) & O_NONBLOCK);
	cr_assert_eq(sys_recvfrom((unsigned long)fd, (unsigned long)buf,
				  sizeof(buf), 0, 0, 0), -EAGAIN);
	deliver_icmp(12);
	cr_assert_eq(sys_ioctl((unsigned long)fd, FIONREAD, (unsigned long)&n), 0);
	cr_assert_eq(n, 32);
	cr_assert_eq(sys_ioctl((unsigned long)fd, FIONREAD, BADPTR), -EFAULT);
	cr_assert_eq(sys_ioctl((unsigned long)fd, 0x5401, (unsigned long)&n),
		     -ENOTTY, "TCGETS: a socket is no tty");
	cr_assert_eq(sys_read((unsigned long)fd, (unsigned long)buf, sizeof(buf)),
		     32);
}

Test(socket_syscalls, sockopts_through_user_memory)
{
	long fd = raw_socket();
	int v = 4096, len = sizeof(v);

	cr_assert_eq(sys_setsockopt((unsigned long)fd, SOL_SOCKET, SO_RCVBUF,
				    (unsigned long)&v, sizeof(v)), 0);
	v = 0;
	cr_assert_eq(sys_getsockopt((unsigned long)fd, SOL_SOCKET, SO_RCVBUF,
				    (unsigned long)&v, (unsigned long)&len), 0);
	cr_assert_eq(v, 8192);
	cr_assert_eq(sys_setsockopt((unsigned long)fd, SOL_SOCKET, SO_RCVBUF,
				    BADPTR, sizeof(v)), -EFAULT);
	cr_assert_eq(sys_setsockopt((unsigned long)fd, SOL_SOCKET, SO_RCVBUF,
				    (unsigned long)&v, -1UL), -EINVAL);
	cr_assert_eq(sys_getsockopt((unsigned long)fd, SOL_SOCKET, SO_RCVBUF,
				    (unsigned long)&v, BADPTR), -EFAULT);
	cr_assert_eq(sys_getsockopt((unsigned long)fd, SOL_SOCKET, SO_RCVBUF,
				    BADPTR, (unsigned long)&len), -EFAULT);
	cr_assert_eq(fd_sk(fd)->sk_rcvbuf, 8192, "refused calls changed nothing");
}

Test(socket_syscalls, close_releases_socket_sock_and_queued_data)
{
	long fd = raw_socket();

	deliver_icmp(100);
	cr_assert_eq(sys_close((unsigned long)fd), 0);
	cr_assert_eq(sys_close((unsigned long)fd), -EBADF);
	cr_assert_eq(sockets_in_use(), 0);
	cr_assert_eq(sk_live_count(), 0);
}

Test(socket_syscalls, recvmsg_scatters_over_many_iovecs)
{
	long fd = raw_socket();
	struct iovec iov[20];
	u8 bytes[20][2];
	struct user_msghdr m = { .msg_iov = iov, .msg_iovlen = 20 };

	for (int i = 0; i < 20; i++)
		iov[i] = (struct iovec){ bytes[i], 2 };
	memset(bytes, 0xee, sizeof(bytes));
	deliver_icmp(20);
	cr_assert_eq(sys_recvmsg((unsigned long)fd, (unsigned long)&m,
				 MSG_DONTWAIT), 40);
	cr_assert_eq(bytes[0][0], 0x45, "the IP header starts in the first");
	cr_assert_eq(bytes[10][0], 0x5a, "byte 20 starts the eleventh");
	cr_assert_eq(m.msg_flags, 0);
}
