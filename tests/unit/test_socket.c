/*
 * The socket layer: creation through net_families[] and inetsw[] with
 * Linux's errno for every (family, type, protocol), the ops tables,
 * SOL_SOCKET options, and the security policy.
 */
#include <criterion/criterion.h>
#include "tests/host/nettest.h"
#include "lib/byteorder.h"
#include "lib/cmdline.h"
#include "lib/string.h"
#include "net/inet_sock.h"
#include "net/security.h"
#include "tests/host/netsim.h"

static void setup(void)
{
	netsim_reset();
	inet_family_init();
	security_clear_rules();
}

static void teardown(void)
{
	security_clear_rules();
	netsim_teardown_no_leaks();
}

TestSuite(socket, .init = setup, .fini = teardown);

static int create(int family, int type, int protocol)
{
	struct socket *sock = NULL;
	int err = sock_create(family, type, protocol, &sock);

	if (!err) {
		cr_assert_not_null(sock->sk);
		sock_release(sock);
	} else {
		cr_assert_null(sock);
	}
	return err;
}

Test(socket, families_other_than_inet_are_not_supported)
{
	cr_assert_eq(create(AF_INET6, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	cr_assert_eq(create(AF_UNIX, SOCK_STREAM, 0), -EAFNOSUPPORT);
	cr_assert_eq(create(AF_UNSPEC, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	cr_assert_eq(create(AF_PACKET, SOCK_RAW, 0), -EAFNOSUPPORT);
	cr_assert_eq(create(-1, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	cr_assert_eq(create(AF_MAX, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	/* SOCK_PACKET under AF_INET belongs to AF_PACKET, absent here. */
	cr_assert_eq(create(AF_INET, SOCK_PACKET, 0), -EAFNOSUPPORT);
}

Test(socket, bad_types_and_protocols_get_linux_errno)
{
	cr_assert_eq(create(AF_INET, -1, 0), -EINVAL);
	cr_assert_eq(create(AF_INET, SOCK_MAX, 0), -EINVAL);
	cr_assert_eq(create(AF_INET, SOCK_DGRAM, -1), -EINVAL);
	cr_assert_eq(create(AF_INET, SOCK_RAW, IPPROTO_MAX), -EINVAL);
	/* No protocol serves these types in PF_INET. */
	cr_assert_eq(create(AF_INET, 0, 0), -ESOCKTNOSUPPORT);
	cr_assert_eq(create(AF_INET, SOCK_SEQPACKET, 0), -ESOCKTNOSUPPORT);
	cr_assert_eq(create(AF_INET, SOCK_RDM, 0), -ESOCKTNOSUPPORT);
	cr_assert_eq(create(AF_INET, SOCK_DCCP, 0), -ESOCKTNOSUPPORT);
	/* TCP serves SOCK_STREAM; no other protocol does. */
	cr_assert_eq(create(AF_INET, SOCK_STREAM, IPPROTO_UDP), -EPROTONOSUPPORT);
}

Test(socket, dgram_is_udp_and_nothing_else)
{
	struct socket *sock;

	cr_assert_eq(create(AF_INET, SOCK_DGRAM, 0), 0);
	cr_assert_eq(create(AF_INET, SOCK_DGRAM, IPPROTO_UDP), 0);
	/* Linux's ICMP "ping sockets" are not provided. */
	cr_assert_eq(create(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), -EPROTONOSUPPORT);
	cr_assert_eq(create(AF_INET, SOCK_DGRAM, IPPROTO_TCP), -EPROTONOSUPPORT);
	cr_assert_eq(create(AF_INET, SOCK_DGRAM, IPPROTO_RAW), -EPROTONOSUPPORT);
	cr_assert_eq(sock_create(AF_INET, SOCK_DGRAM, 0, &sock), 0);
	cr_assert_eq(sock->ops, &inet_dgram_ops);
	cr_assert_eq(sock->sk->sk_prot, &udp_prot);
	cr_assert_eq(sock->sk->sk_protocol, IPPROTO_UDP, "0 became UDP");
	cr_assert_eq(inet_sk(sock->sk)->inet_num, 0, "not bound until asked");
	sock_release(sock);
}

Test(socket, raw_takes_any_protocol_but_ip)
{
	/* The raw entry is a wild card for every protocol except IPPROTO_IP. */
	cr_assert_eq(create(AF_INET, SOCK_RAW, 0), -EPROTONOSUPPORT);
	cr_assert_eq(create(AF_INET, SOCK_RAW, IPPROTO_ICMP), 0);
	cr_assert_eq(create(AF_INET, SOCK_RAW, IPPROTO_UDP), 0);
	cr_assert_eq(create(AF_INET, SOCK_RAW, IPPROTO_RAW), 0);
	cr_assert_eq(create(AF_INET, SOCK_RAW, 200), 0);
}

Test(socket, raw_socket_is_wired_like_linux)
{
	struct socket *sock;
	struct sock *sk;

	cr_assert_eq(sock_create(AF_INET, SOCK_RAW, IPPROTO_ICMP, &sock), 0);
	sk = sock->sk;
	cr_assert_eq(sock->ops, &inet_sockraw_ops);
	cr_assert_eq(sk->sk_prot, &raw_prot);
	cr_assert_eq(sk->sk_socket, sock);
	cr_assert_eq(sk->sk_data_ready, sock_def_readable);
	cr_assert_eq(sk->sk_write_space, sock_def_write_space);
	cr_assert_eq(sk->sk_protocol, IPPROTO_ICMP);
	cr_assert_eq(inet_sk(sk)->inet_num, IPPROTO_ICMP);
	cr_assert_eq(sk->sk_type, SOCK_RAW);
	cr_assert_eq(sock->state, SS_UNCONNECTED);
	cr_assert_eq(sk->sk_rcvtimeo, MAX_SCHEDULE_TIMEOUT);
	/* Unsupported operations answer, never crash on NULL. */
	cr_assert_eq(sock->ops->listen(sock, 5), -EOPNOTSUPP);
	cr_assert_eq(sock->ops->accept(sock, NULL, 0, false), -EOPNOTSUPP);
	cr_assert_eq(sock->ops->socketpair(sock, sock), -EOPNOTSUPP);
	sock_release(sock);
}

static int setint(struct socket *sock, int opt, int val)
{
	return sock->ops->setsockopt(sock, SOL_SOCKET, opt, &val, sizeof(val));
}

static int getint(struct socket *sock, int opt)
{
	int v = -12345, len = sizeof(v);

	cr_assert_eq(sock->ops->getsockopt(sock, SOL_SOCKET, opt, &v, &len), 0);
	cr_assert_eq(len, sizeof(int));
	return v;
}

Test(socket, sol_socket_options_round_trip)
{
	struct socket *sock;
	long tv[2] = { 1, 500000 };
	long out[2];
	int len = sizeof(out);

	cr_assert_eq(sock_create(AF_INET, SOCK_RAW, IPPROTO_ICMP, &sock), 0);
	cr_assert_eq(setint(sock, SO_RCVBUF, 4096), 0);
	cr_assert_eq(getint(sock, SO_RCVBUF), 8192, "doubled, as Linux");
	cr_assert_eq(setint(sock, SO_RCVBUF, 1), 0);
	cr_assert_eq(getint(sock, SO_RCVBUF), SOCK_MIN_RCVBUF);
	cr_assert_eq(setint(sock, SO_SNDBUF, -1), 0);
	cr_assert_eq(getint(sock, SO_SNDBUF), 2 * SK_WMEM_MAX);
	cr_assert_eq(setint(sock, SO_BROADCAST, 7), 0);
	cr_assert_eq(getint(sock, SO_BROADCAST), 1);
	cr_assert_eq(setint(sock, SO_REUSEADDR, 0), 0);
	cr_assert_eq(getint(sock, SO_REUSEADDR), 0);
	cr_assert_eq(setint(sock, SO_KEEPALIVE, 1), 0);
	cr_assert_eq(getint(sock, SO_KEEPALIVE), 1);
	cr_assert_eq(setint(sock, SO_RCVLOWAT, 0), 0);
	cr_assert_eq(getint(sock, SO_RCVLOWAT), 1);
	cr_assert_eq(getint(sock, SO_TYPE), SOCK_RAW);
	cr_assert_eq(getint(sock, SO_PROTOCOL), IPPROTO_ICMP);
	cr_assert_eq(getint(sock, SO_DOMAIN), AF_INET);
	cr_assert_eq(getint(sock, SO_ERROR), 0);
	sock->sk->sk_err = ECONNREFUSED;
	cr_assert_eq(getint(sock, SO_ERROR), ECONNREFUSED);
	cr_assert_eq(getint(sock, SO_ERROR), 0, "reading SO_ERROR clears it");

	cr_assert_eq(sock->ops->setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, tv,
					   sizeof(tv)), 0);
	cr_assert_eq(sock->sk->sk_rcvtimeo, 1500);
	cr_assert_eq(sock->ops->getsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, out,
					   &len), 0);
	cr_assert_eq(len, 16);
	cr_assert(out[0] == 1 && out[1] == 500000);
	tv[1] = 1000000;
	cr_assert_eq(sock->ops->setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, tv,
					   sizeof(tv)), -EDOM);
	cr_assert_eq(sock->ops->setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, tv, 8),
		     -EINVAL);
	cr_assert_eq(sock->sk->sk_rcvtimeo, 1500, "refused call changed nothing");

	/* Short values, read-only and unknown options. */
	cr_assert_eq(sock->ops->setsockopt(sock, SOL_SOCKET, SO_RCVBUF, tv, 2),
		     -EINVAL);
	cr_assert_eq(setint(sock, SO_TYPE, 1), -ENOPROTOOPT);
	cr_assert_eq(setint(sock, 999, 1), -ENOPROTOOPT);
	len = -1;
	cr_assert_eq(sock->ops->getsockopt(sock, SOL_SOCKET, SO_TYPE, out, &len),
		     -EINVAL);
	sock_release(sock);
}

static struct sockaddr_in mkaddr(const char *a, u16 port)
{
	struct sockaddr_in s = { .sin_family = AF_INET, .sin_port = htons(port) };
	u32 addr = 0;

	cr_assert_eq(in4_pton(a, &addr), 0);
	s.sin_addr.s_addr = htonl(addr);
	return s;
}

Test(socket, security_rules_parse_and_refuse)
{
	struct security_rule r;
	struct sockaddr_in a = mkaddr("10.0.2.2", 53);
	char buf[96];

	cr_assert_eq(security_socket_connect(NULL, (struct sockaddr *)&a,
					     sizeof(a)), 0, "allow-all default");
	cr_assert_eq(security_add_rules("allow:connect:10.0.2.2/32:53,"
					"deny:connect+sendmsg:10.0.0.0/8:*"), 0);
	cr_assert_eq(security_rule_count(), 2);
	cr_assert_eq(security_socket_connect(NULL, (struct sockaddr *)&a,
					     sizeof(a)), 0, "first match allows");
	a = mkaddr("10.9.9.9", 7);
	cr_assert_eq(security_socket_connect(NULL, (struct sockaddr *)&a,
					     sizeof(a)), -EACCES);
	a = mkaddr("192.168.1.1", 7);
	cr_assert_eq(security_socket_connect(NULL, (struct sockaddr *)&a,
					     sizeof(a)), 0);
	security_rule_format(security_rule_get(1), buf, sizeof(buf));
	cr_assert_str_eq(buf, "deny:connect+sendmsg:10.0.0.0/8:0-65535");

	cr_assert_eq(security_rule_parse("deny:bind:*:1-1023", &r), 0);
	cr_assert(r.port_lo == 1 && r.port_hi == 1023 && r.prefix == 0);
	cr_assert_eq(security_rule_parse("drop:bind:*:1", &r), -EINVAL);
	cr_assert_eq(security_rule_parse("deny:listen:*:1", &r), -EINVAL);
	cr_assert_eq(security_rule_parse("deny:bind:*:2-1", &r), -EINVAL);
	cr_assert_eq(security_rule_parse("deny:bind:*:70000", &r), -EINVAL);
	cr_assert_eq(security_rule_parse("deny:bind:1.2.3/8:1", &r), -EINVAL);
	cr_assert_eq(security_rule_parse("deny:bind:*", &r), -EINVAL);
	cr_assert_eq(security_rule_parse("deny:bind:*:1:2", &r), -EINVAL);
}

Test(socket, security_refuses_sendmsg_with_eperm_before_the_protocol)
{
	struct socket *sock;
	struct sockaddr_in to = mkaddr("10.0.2.2", 9);
	char data[4] = "ping";
	struct kvec iov = { data, sizeof(data) };
	struct msghdr msg = { .msg_name = &to, .msg_namelen = sizeof(to) };
	int denials = (int)security_denials;

	cr_assert_eq(sock_create(AF_INET, SOCK_RAW, IPPROTO_ICMP, &sock), 0);
	cr_assert_eq(security_add_rules("deny:sendmsg:10.0.2.0/24:*"), 0);
	iov_iter_kvec(&msg.msg_iter, WRITE, &iov, 1, sizeof(data));
	cr_assert_eq(sock_sendmsg(sock, &msg), -EPERM);
	cr_assert_eq((int)security_denials, denials + 1);
	cr_assert_eq(sock->sk->sk_wmem_alloc, 0, "nothing was sent");
	sock_release(sock);
}
