/*
 * connect() and disconnect for IPv4 datagram socks, UDP and raw alike
 * (Linux net/ipv4/datagram.c, and __udp_disconnect from udp.c): a
 * connected datagram sock has a default destination and receives only
 * from it.
 */
#include "net/inet_sock.h"
#include "lib/byteorder.h"
#include "net/route.h"
#include "net/tcp_states.h"

int ip4_datagram_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *usin = (struct sockaddr_in *)uaddr;
	struct inet_sock *inet = inet_sk(sk);
	unsigned long flags;
	struct rtable rt;
	int err;

	if (addr_len < (int)sizeof(*usin))
		return -EINVAL;
	if (usin->sin_family != AF_INET)
		return -EAFNOSUPPORT;
	lock_sock(sk);
	local_irq_save(flags);	/* the softirq may change routes */
	err = ip_route_output(usin->sin_addr.s_addr, inet->inet_saddr, &rt);
	local_irq_restore(flags);
	if (err)
		goto out;
	if (rt.type == RTN_BROADCAST && !sock_flag(sk, SOCK_BROADCAST)) {
		err = -EACCES;
		goto out;
	}
	if (!inet->inet_saddr)
		inet->inet_saddr = rt.saddr;	/* the route's source */
	if (!inet->inet_rcv_saddr)
		inet->inet_rcv_saddr = inet->inet_saddr;
	inet->inet_daddr = usin->sin_addr.s_addr;
	inet->inet_dport = usin->sin_port;
	sk->sk_state = TCP_ESTABLISHED;
out:
	release_sock(sk);
	return err;
}

/* connect(AF_UNSPEC): forget the peer, and the address if connect chose it. */
int ip4_datagram_disconnect(struct sock *sk, int flags)
{
	struct inet_sock *inet = inet_sk(sk);

	lock_sock(sk);
	sk->sk_state = TCP_CLOSE;
	inet->inet_daddr = 0;
	inet->inet_dport = 0;
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		inet->inet_rcv_saddr = inet->inet_saddr = 0;
	release_sock(sk);
	return 0;
}
