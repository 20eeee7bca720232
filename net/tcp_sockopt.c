/*
 * TCP's options, ioctls and registration (Linux tcp.c do_tcp_setsockopt,
 * tcp_get_info, tcp_ioctl; tcp_ipv4.c tcp_prot): IPPROTO_TCP options,
 * SO_LINGER, TCP_INFO, and tcp_init, which af_inet's inet_init calls.
 */
#include "net/tcp.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "net/inet_hashtables.h"
#include "net/net_namespace.h"

#define MAX_TCP_KEEPIDLE	32767
#define MAX_TCP_KEEPINTVL	32767
#define MAX_TCP_KEEPCNT		127
#define MAX_TCP_SYNCNT		127

static int tcp_set_int(struct sock *sk, int optname, int val)
{
	struct tcp_sock *tp = tcp_sk(sk);

	switch (optname) {
	case TCP_NODELAY:
		if (val)
			tp->nonagle |= TCP_NAGLE_OFF;
		else
			tp->nonagle &= (u8)~TCP_NAGLE_OFF;
		if (val)
			tcp_push(sk, tp->nonagle);
		return 0;
	case TCP_CORK:
		if (val) {
			tp->nonagle |= TCP_NAGLE_CORK;
			return 0;
		}
		tp->nonagle &= (u8)~TCP_NAGLE_CORK;
		tcp_push(sk, tp->nonagle | TCP_NAGLE_OFF);
		return 0;
	case TCP_MAXSEG:
		if (val && (val < (int)TCP_MIN_MSS || val > 65535 - 40))
			return -EINVAL;
		if (val)
			tp->rx_opt.mss_clamp = (u16)val;
		return 0;
	case TCP_KEEPIDLE:
		if (val < 1 || val > MAX_TCP_KEEPIDLE)
			return -EINVAL;
		tp->keepalive_time = (u32)val * HZ;
		if (sock_flag(sk, SOCK_KEEPOPEN))
			tcp_set_keepalive(sk, 1);
		return 0;
	case TCP_KEEPINTVL:
		if (val < 1 || val > MAX_TCP_KEEPINTVL)
			return -EINVAL;
		tp->keepalive_intvl = (u32)val * HZ;
		return 0;
	case TCP_KEEPCNT:
		if (val < 1 || val > MAX_TCP_KEEPCNT)
			return -EINVAL;
		tp->keepalive_probes = (u8)val;
		return 0;
	case TCP_SYNCNT:
		if (val < 1 || val > MAX_TCP_SYNCNT)
			return -EINVAL;
		tp->syn_retries = (u8)val;
		return 0;
	case TCP_LINGER2:
		tp->linger2 = val < 0 ? 0 : (u32)min(val, 120) * HZ;
		if (!tp->linger2)
			tp->linger2 = TCP_FIN_TIMEOUT;
		return 0;
	}
	return -ENOPROTOOPT;
}

int tcp_setsockopt(struct sock *sk, int level, int optname, const void *optval,
		   unsigned int optlen)
{
	char name[TCP_CA_NAME_MAX];
	int val, err;

	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	if (optname == TCP_CONGESTION) {
		size_t n = min_t(size_t, optlen, sizeof(name) - 1);

		memcpy(name, optval, n);
		name[n] = 0;
		lock_sock(sk);
		err = tcp_set_congestion_control(sk, name);
		release_sock(sk);
		return err;
	}
	if (optlen < sizeof(int))
		return -EINVAL;
	memcpy(&val, optval, sizeof(val));
	lock_sock(sk);
	err = tcp_set_int(sk, optname, val);
	release_sock(sk);
	return err;
}

/* Linux's tcp_get_info: the numbers `ss -i` prints. */
void tcp_get_info(struct sock *sk, struct tcp_info *info)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);

	memset(info, 0, sizeof(*info));
	info->tcpi_state = sk->sk_state;
	info->tcpi_ca_state = icsk->icsk_ca_state;
	info->tcpi_retransmits = icsk->icsk_retransmits;
	info->tcpi_probes = icsk->icsk_probes_out;
	info->tcpi_backoff = icsk->icsk_backoff;
	if (tp->rx_opt.tstamp_ok)
		info->tcpi_options |= TCPI_OPT_TIMESTAMPS;
	if (tp->rx_opt.sack_ok)
		info->tcpi_options |= TCPI_OPT_SACK;
	info->tcpi_sacked = tp->sacked_out;
	info->tcpi_lost = tp->lost_out;
	if (tp->rx_opt.wscale_ok) {
		info->tcpi_options |= TCPI_OPT_WSCALE;
		info->tcpi_snd_wscale = tp->rx_opt.snd_wscale & 0xf;
		info->tcpi_rcv_wscale = tp->rx_opt.rcv_wscale & 0xf;
	}
	info->tcpi_rto = icsk->icsk_rto * (1000000 / HZ);
	info->tcpi_ato = TCP_DELACK_MAX * (1000000 / HZ);
	info->tcpi_snd_mss = tp->mss_cache;
	info->tcpi_rcv_mss = tp->advmss;
	info->tcpi_unacked = tp->packets_out;
	info->tcpi_retrans = tp->retrans_out;
	info->tcpi_pmtu = icsk->icsk_pmtu_cookie;
	info->tcpi_rtt = tp->srtt_us;
	info->tcpi_rttvar = tp->rttvar_us;
	info->tcpi_snd_ssthresh = tp->snd_ssthresh;
	info->tcpi_snd_cwnd = tp->snd_cwnd;
	info->tcpi_advmss = tp->advmss;
	info->tcpi_reordering = TCP_FASTRETRANS_THRESH;
	info->tcpi_rcv_space = tp->rcv_wnd;
	info->tcpi_total_retrans = tp->total_retrans;
}

static int tcp_get_int(struct sock *sk, int optname, int *val)
{
	struct tcp_sock *tp = tcp_sk(sk);

	switch (optname) {
	case TCP_NODELAY:
		*val = !!(tp->nonagle & TCP_NAGLE_OFF);
		return 0;
	case TCP_CORK:
		*val = !!(tp->nonagle & TCP_NAGLE_CORK);
		return 0;
	case TCP_MAXSEG:
		*val = tp->mss_cache;
		return 0;
	case TCP_KEEPIDLE:
		*val = (int)(keepalive_time_when(tp) / HZ);
		return 0;
	case TCP_KEEPINTVL:
		*val = (int)((tp->keepalive_intvl ? tp->keepalive_intvl :
			      TCP_KEEPALIVE_INTVL) / HZ);
		return 0;
	case TCP_KEEPCNT:
		*val = tp->keepalive_probes ? tp->keepalive_probes :
					      TCP_KEEPALIVE_PROBES;
		return 0;
	case TCP_SYNCNT:
		*val = tp->syn_retries;
		return 0;
	case TCP_LINGER2:
		*val = (int)(tp->linger2 / HZ);
		return 0;
	}
	return -ENOPROTOOPT;
}

int tcp_getsockopt(struct sock *sk, int level, int optname, void *optval,
		   int *optlen)
{
	int val, err;

	if (level != SOL_TCP)	/* Linux: icsk_af_ops->getsockopt, ip_getsockopt */
		return ip_getsockopt(sk, level, optname, optval, optlen);
	if (*optlen < 0)
		return -EINVAL;
	if (optname == TCP_INFO) {
		struct tcp_info info;

		tcp_get_info(sk, &info);
		*optlen = min_t(int, *optlen, (int)sizeof(info));
		memcpy(optval, &info, (size_t)*optlen);
		return 0;
	}
	if (optname == TCP_CONGESTION) {
		const char *name = inet_csk(sk)->icsk_ca_ops->name;

		*optlen = min_t(int, *optlen, TCP_CA_NAME_MAX);
		memcpy(optval, name, (size_t)*optlen);
		return 0;
	}
	err = tcp_get_int(sk, optname, &val);
	if (err)
		return err;
	*optlen = min_t(int, *optlen, (int)sizeof(int));
	memcpy(optval, &val, (size_t)*optlen);
	return 0;
}

/* SIOCINQ / SIOCOUTQ as Linux's tcp_ioctl. */
static int tcp_ioctl(struct sock *sk, int cmd, int *karg)
{
	struct tcp_sock *tp = tcp_sk(sk);

	switch (cmd) {
	case SIOCINQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		*karg = (int)(tp->rcv_nxt - tp->copied_seq);
		if (sock_flag(sk, SOCK_DONE) && *karg)
			(*karg)--;
		return 0;
	case SIOCOUTQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		*karg = (int)(tp->write_seq - tp->snd_una);
		return 0;
	}
	return -ENOTTY;	/* Linux: -ENOIOCTLCMD, which the user sees as ENOTTY */
}

static struct sock *tcp_accept(struct sock *sk, int flags, int *err, bool kern)
{
	return inet_csk_accept(sk, flags, err, kern);
}

static void tcp_unhash(struct sock *sk)
{
	inet_unhash(sk);
	inet_put_port(sk);
}

struct proto tcp_prot = {
	.name = "TCP",
	.close = tcp_close,
	.connect = tcp_v4_connect,
	.disconnect = tcp_disconnect,
	.accept = tcp_accept,
	.ioctl = tcp_ioctl,
	.init = tcp_init_sock,
	.shutdown = tcp_shutdown,
	.setsockopt = tcp_setsockopt,
	.getsockopt = tcp_getsockopt,
	.sendmsg = tcp_sendmsg,
	.recvmsg = tcp_recvmsg,
	.backlog_rcv = tcp_v4_do_rcv,
	.hash = inet_hash,
	.unhash = tcp_unhash,
	.get_port = inet_csk_get_port,
	.obj_size = sizeof(struct tcp_sock),
};

static const struct net_protocol tcp_protocol = {
	.handler = tcp_v4_rcv,
	.err_handler = tcp_v4_err,
};

/* Called once from inet_init: hash tables, congestion modules, IP handler. */
void tcp_init(void)
{
	inet_hashinfo_init(&tcp_hashinfo);
	tcp_cubic_register();
	inet_add_protocol(&tcp_protocol, IPPROTO_TCP);
}
