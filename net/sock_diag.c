/*
 * The socket table for the monitor's `sockets` (kernel/sockets.c), an
 * `ss -uw`-like view:
 * each fd that is a socket, followed down the path a call takes,
 * fd -> struct file -> struct socket -> struct sock, with type, protocol,
 * state, addresses and queues; then socks no fd reaches (kernel sockets,
 * or socks still held by packets in flight).
 */
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "lib/byteorder.h"
#include "lib/vsprintf.h"
#include "net/inet_sock.h"
#include "net/sock_diag.h"
#include "net/tcp_states.h"

static const char *sock_type_name(int type)
{
	switch (type) {
	case SOCK_STREAM:
		return "STREAM";
	case SOCK_DGRAM:
		return "DGRAM";
	case SOCK_RAW:
		return "RAW";
	default:
		return "?";
	}
}

/* ss's names: an unconnected datagram sock is UNCONN. */
static const char *sock_state_name(const struct sock *sk)
{
	static const char *const names[TCP_MAX_STATES] = {
		[TCP_ESTABLISHED] = "ESTAB", [TCP_SYN_SENT] = "SYN-SENT",
		[TCP_SYN_RECV] = "SYN-RECV", [TCP_FIN_WAIT1] = "FIN-WAIT-1",
		[TCP_FIN_WAIT2] = "FIN-WAIT-2", [TCP_TIME_WAIT] = "TIME-WAIT",
		[TCP_CLOSE] = "UNCONN", [TCP_CLOSE_WAIT] = "CLOSE-WAIT",
		[TCP_LAST_ACK] = "LAST-ACK", [TCP_LISTEN] = "LISTEN",
		[TCP_CLOSING] = "CLOSING",
	};

	return sk->sk_state < TCP_MAX_STATES && names[sk->sk_state] ?
	       names[sk->sk_state] : "?";
}

static int fmt_addr(char *buf, size_t len, __be32 a, u16 port, bool any_port)
{
	u32 h = ntohl(a);

	if (any_port && !port)
		return snprintf(buf, len, "%u.%u.%u.%u:*", h >> 24, (h >> 16) & 0xff,
				(h >> 8) & 0xff, h & 0xff);
	return snprintf(buf, len, "%u.%u.%u.%u:%u", h >> 24, (h >> 16) & 0xff,
			(h >> 8) & 0xff, h & 0xff, port);
}

/**
 * sock_diag_format - one line of the table for @sk, reached from @fd
 * (-1: no fd). Queues are shown as datagrams/bytes.
 */
int sock_diag_format(const struct sock *sk, int fd, char *buf, size_t len)
{
	const struct inet_sock *inet = inet_sk(sk);
	char local[24], peer[24], fdbuf[8];

	fmt_addr(local, sizeof(local), inet->inet_rcv_saddr ?: inet->inet_saddr,
		 sk->sk_type == SOCK_RAW ? 0 : inet->inet_num,
		 sk->sk_type == SOCK_RAW);
	fmt_addr(peer, sizeof(peer), inet->inet_daddr, ntohs(inet->inet_dport),
		 true);
	snprintf(fdbuf, sizeof(fdbuf), fd < 0 ? "-" : "%d", fd);
	return snprintf(buf, len,
			"%-3s %-6s %-4s %-6s %-21s %-21s %u/%d %d %d %s%s",
			fdbuf, sock_type_name(sk->sk_type), sk->sk_prot->name,
			sock_state_name(sk), local, peer,
			skb_queue_len(&sk->sk_receive_queue), sk->sk_rmem_alloc,
			sk->sk_wmem_alloc, sk->sk_drops,
			sk->sk_shutdown ? "shut" : "",
			sock_flag(sk, SOCK_DEAD) ? " dead" : "");
}

void sock_diag_header(void)
{
	kprintf("FD  TYPE   PROT STATE  LOCAL                 PEER"
		"                  RECVQ(n/bytes) SENDQ DROPS\n");
}

/* Every socket fd of @files. */
void sock_diag_show_files(struct files_struct *files)
{
	char line[160];

	for (unsigned int fd = 0; files && fd < files->max_fds; fd++) {
		struct socket *sock;

		if (!files->fd[fd] || !(sock = sock_from_file(files->fd[fd])) ||
		    !sock->sk)
			continue;
		sock_diag_format(sock->sk, fd, line, sizeof(line));
		kprintf("%s\n", line);
	}
}

/* Every sock no fd reaches: kernel sockets, or closed ones packets still hold. */
void sock_diag_show_orphans(void)
{
	char line[160];
	struct sock *sk;

	list_for_each_entry(sk, &sk_all_list, sk_all) {
		if (sk->sk_socket && sk->sk_socket->file)
			continue;
		sock_diag_format(sk, -1, line, sizeof(line));
		kprintf("%s\n", line);
	}
}

void sock_diag_show_type(unsigned short type)
{
	char line[160];
	struct sock *sk;

	sock_diag_header();
	list_for_each_entry(sk, &sk_all_list, sk_all) {
		if (sk->sk_type != type)
			continue;
		sock_diag_format(sk, -1, line, sizeof(line));
		kprintf("%s\n", line);
	}
}
