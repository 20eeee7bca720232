/*
 * IPPROTO_IP socket options for UDP and raw socks (Linux
 * net/ipv4/ip_sockglue.c): the TTL and TOS put on sent datagrams, and
 * IP_RECVERR, which lets an unconnected sock hear ICMP errors too.
 * Other options answer -ENOPROTOOPT, as Linux does for unknown ones.
 */
#include "net/inet_sock.h"
#include "lib/string.h"

#define IP_TOS		1
#define IP_TTL		2
#define IP_RECVERR	11

/* Linux reads a one-byte value for these when optlen is short. */
static int ip_optval(const void *optval, unsigned int optlen, int *val)
{
	if (optlen >= sizeof(int)) {
		memcpy(val, optval, sizeof(int));
		return 0;
	}
	if (optlen >= 1) {
		*val = *(const unsigned char *)optval;
		return 0;
	}
	return -EINVAL;
}

int ip_setsockopt(struct sock *sk, int level, int optname, const void *optval,
		  unsigned int optlen)
{
	struct inet_sock *inet = inet_sk(sk);
	int val, err;

	if (level != IPPROTO_IP)
		return -ENOPROTOOPT;
	err = ip_optval(optval, optlen, &val);
	if (err)
		return err;
	switch (optname) {
	case IP_TOS:
		inet->tos = (u8)val;
		return 0;
	case IP_TTL:
		if (val != -1 && (val < 1 || val > 255))
			return -EINVAL;
		inet->uc_ttl = (s16)val;
		return 0;
	case IP_RECVERR:
		inet->recverr = !!val;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

int ip_getsockopt(struct sock *sk, int level, int optname, void *optval,
		  int *optlen)
{
	const struct inet_sock *inet = inet_sk(sk);
	int val;

	if (level == IPPROTO_UDP && sk->sk_protocol == IPPROTO_UDP)
		return -ENOPROTOOPT;	/* no UDP-level options (UDP_CORK, ...) */
	if (level != IPPROTO_IP)
		return -EOPNOTSUPP;
	if (*optlen < 0)
		return -EINVAL;
	switch (optname) {
	case IP_TOS:
		val = inet->tos;
		break;
	case IP_TTL:
		val = inet->uc_ttl == -1 ? 64 : inet->uc_ttl;	/* IPDEFTTL */
		break;
	case IP_RECVERR:
		val = inet->recverr;
		break;
	default:
		return -ENOPROTOOPT;
	}
	*optlen = min_t(int, *optlen, (int)sizeof(int));
	memcpy(optval, &val, (size_t)*optlen);
	return 0;
}
