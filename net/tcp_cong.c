/*
 * Congestion control modules (Linux net/ipv4/tcp_cong.c): the registry
 * of tcp_congestion_ops and NewReno (RFC 5681 §3.1 slow start and
 * congestion avoidance; recovery itself is in tcp_input.c, RFC 6582).
 */
#include "net/tcp.h"
#include "lib/errno.h"
#include "lib/string.h"

static LIST_HEAD(tcp_cong_list);
char tcp_default_ca[TCP_CA_NAME_MAX] = "cubic";

static struct tcp_congestion_ops *tcp_ca_find(const char *name)
{
	struct tcp_congestion_ops *ca;

	list_for_each_entry(ca, &tcp_cong_list, list)
		if (!strcmp(ca->name, name))
			return ca;
	return NULL;
}

int tcp_register_congestion_control(struct tcp_congestion_ops *ca)
{
	if (!ca->ssthresh || !ca->cong_avoid)
		return -EINVAL;
	if (tcp_ca_find(ca->name))
		return -EEXIST;
	list_add_tail(&ca->list, &tcp_cong_list);
	return 0;
}

void tcp_init_congestion_control(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (!icsk->icsk_ca_ops) {
		icsk->icsk_ca_ops = tcp_ca_find(tcp_default_ca);
		if (!icsk->icsk_ca_ops)
			icsk->icsk_ca_ops = &tcp_reno;
	}
	memset(icsk->icsk_ca_priv, 0, sizeof(icsk->icsk_ca_priv));
	if (icsk->icsk_ca_ops->init)
		icsk->icsk_ca_ops->init(sk);
}

/* TCP_CONGESTION: -ENOENT for a name no module has, as Linux. */
int tcp_set_congestion_control(struct sock *sk, const char *name)
{
	struct tcp_congestion_ops *ca = tcp_ca_find(name);

	if (!ca)
		return -ENOENT;
	inet_csk(sk)->icsk_ca_ops = ca;
	tcp_init_congestion_control(sk);
	return 0;
}

/* RFC 5681 §3.1 slow start: cwnd grows by what was acked, up to ssthresh. */
u32 tcp_slow_start(struct tcp_sock *tp, u32 acked)
{
	u32 cwnd = min(tp->snd_cwnd + acked, tp->snd_ssthresh);

	acked -= cwnd - tp->snd_cwnd;
	tp->snd_cwnd = cwnd;
	return acked;
}

/* Congestion avoidance: one segment per window of @w acknowledged segments. */
void tcp_cong_avoid_ai(struct tcp_sock *tp, u32 w, u32 acked)
{
	if (tp->snd_cwnd_cnt >= w) {
		tp->snd_cwnd_cnt = 0;
		tp->snd_cwnd++;
	}
	tp->snd_cwnd_cnt += acked;
	if (tp->snd_cwnd_cnt >= w) {
		tp->snd_cwnd += tp->snd_cwnd_cnt / w;
		tp->snd_cwnd_cnt %= w;
	}
}

void tcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 acked)
{
	struct tcp_sock *tp = tcp_sk(sk);

	(void)ack;
	if (tp->snd_cwnd < tp->snd_ssthresh) {
		acked = tcp_slow_start(tp, acked);
		if (!acked)
			return;
	}
	tcp_cong_avoid_ai(tp, tp->snd_cwnd, acked);
}

/* RFC 5681 eq. 4: half the flight, at least two segments. */
u32 tcp_reno_ssthresh(struct sock *sk)
{
	return max(tcp_sk(sk)->snd_cwnd >> 1U, 2U);
}

struct tcp_congestion_ops tcp_reno = {
	.name = "reno",
	.ssthresh = tcp_reno_ssthresh,
	.cong_avoid = tcp_reno_cong_avoid,
};
