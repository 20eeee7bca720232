/*
 * CUBIC (RFC 9438) as a tcp_congestion_ops: after a loss the window
 * follows W_cubic(t) = C*(t - K)^3 + W_max (§4.2), never below the
 * Reno-friendly estimate (§4.3); beta_cubic = 0.7 (§4.6), fast
 * convergence (§4.7). Slow start is Reno's.
 */
#include "net/tcp.h"

#define CUBIC_BETA_NUM	7	/* beta_cubic = 7/10 */
#define CUBIC_BETA_DEN	10

struct bictcp {
	u32 w_max;		/* window before the last reduction, segments */
	u32 epoch_start;	/* jiffies the current epoch began; 0: none */
	u32 k_ms;		/* K, in ms */
	u32 w_est;		/* Reno-friendly estimate * 1024 */
	u32 cnt;		/* acks to count before cwnd++ */
};

static u32 cubic_root(u64 a)
{
	u32 x = 1;

	while ((u64)x * x * x <= a)
		x <<= 1;
	for (u32 lo = x >> 1, hi = x; lo < hi;) {
		u32 mid = (lo + hi + 1) / 2;

		if ((u64)mid * mid * mid <= a)
			lo = mid;
		else
			hi = mid - 1;
		x = lo;
	}
	return x;
}

static void cubictcp_init(struct sock *sk)
{
	struct bictcp *ca = inet_csk_ca(sk);

	*ca = (struct bictcp){ 0 };
}

/* §4.2: K = cbrt(W_max * (1 - beta) / C), C = 0.4; here in ms. */
static void cubic_new_epoch(struct sock *sk)
{
	struct bictcp *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u64 diff;

	ca->epoch_start = tcp_jiffies32() ? tcp_jiffies32() : 1;
	if (ca->w_max <= tp->snd_cwnd) {
		ca->k_ms = 0;
		ca->w_max = tp->snd_cwnd;
	} else {
		/* (W_max - cwnd) / C seconds^3 -> ms^3: * 1e9 / 0.4 */
		diff = (u64)(ca->w_max - tp->snd_cwnd) * 2500000000ULL;
		ca->k_ms = cubic_root(diff);
	}
	ca->w_est = tp->snd_cwnd << 10;
}

static void cubictcp_cong_avoid(struct sock *sk, u32 ack, u32 acked)
{
	struct bictcp *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	s64 t, target;
	u32 rtt_ms = tp->srtt_us / 1000;

	(void)ack;
	if (tp->snd_cwnd < tp->snd_ssthresh) {
		acked = tcp_slow_start(tp, acked);
		if (!acked)
			return;
	}
	if (!ca->epoch_start)
		cubic_new_epoch(sk);
	t = (s64)(s32)(tcp_jiffies32() - ca->epoch_start) * 1000 / HZ +
	    (s64)rtt_ms - (s64)ca->k_ms;
	t = clamp(t, -(1LL << 20), 1LL << 20);	/* keeps 4 * t^3 in range */
	/* W_cubic(t + RTT) = 0.4 * t^3 + W_max, t in ms -> seconds^3 */
	target = (s64)ca->w_max + (4 * t * t * t) / 10000000000LL;
	/* §4.3: W_est grows by 3(1-beta)/(1+beta) = 0.53 per RTT of acks */
	ca->w_est += (u32)((acked * 543U) / max(tp->snd_cwnd, 1U));
	if (target < (s64)(ca->w_est >> 10))
		target = ca->w_est >> 10;
	if (target > tp->snd_cwnd)
		ca->cnt = tp->snd_cwnd / (u32)(target - tp->snd_cwnd);
	else
		ca->cnt = 100 * tp->snd_cwnd;
	tcp_cong_avoid_ai(tp, max(ca->cnt, 1U), acked);
}

/* §4.6-4.7: multiplicative decrease with fast convergence. */
static u32 cubictcp_recalc_ssthresh(struct sock *sk)
{
	struct bictcp *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	ca->epoch_start = 0;
	if (tp->snd_cwnd < ca->w_max)
		ca->w_max = tp->snd_cwnd * (CUBIC_BETA_DEN + CUBIC_BETA_NUM) /
			    (2 * CUBIC_BETA_DEN);
	else
		ca->w_max = tp->snd_cwnd;
	return max(tp->snd_cwnd * CUBIC_BETA_NUM / CUBIC_BETA_DEN, 2U);
}

static void cubictcp_cwnd_event(struct sock *sk, int event)
{
	struct bictcp *ca = inet_csk_ca(sk);

	if (event == CA_EVENT_TX_START || event == CA_EVENT_LOSS)
		ca->epoch_start = 0;
}

static struct tcp_congestion_ops cubictcp = {
	.name = "cubic",
	.init = cubictcp_init,
	.ssthresh = cubictcp_recalc_ssthresh,
	.cong_avoid = cubictcp_cong_avoid,
	.cwnd_event = cubictcp_cwnd_event,
};

void tcp_cubic_register(void)
{
	tcp_register_congestion_control(&tcp_reno);
	tcp_register_congestion_control(&cubictcp);
}
