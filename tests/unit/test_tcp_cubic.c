/*
 * CUBIC (net/tcp_cubic.c) against RFC 9438's window function, driven
 * directly through its tcp_congestion_ops on a sock with a 100 ms RTT:
 * beta 0.7 at a loss (§4.6), the concave climb back to W_max reached near
 * K = cbrt(W_max (1 - beta) / C) (§4.2), the convex probe beyond it, and
 * fast convergence lowering W_max when a loss comes below it (§4.7).
 */
#include <criterion/criterion.h>
#include "net/inet_connection_sock.h"
#include "tests/host/platform.h"
#include "tests/host/tcp_script.h"

static void setup(void)
{
	ts_setup(1000);
}

static void teardown(void)
{
	ts_assert_no_leaks();
}

TestSuite(tcp_cubic, .init = setup, .fini = teardown);

#define RTT_MS	100

/* One round trip: a window's worth of ACKs, then RTT_MS of virtual time. */
static void one_rtt(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	inet_csk(sk)->icsk_ca_ops->cong_avoid(sk, 0, tp->snd_cwnd);
	host_clock_advance(RTT_MS * NSEC_PER_MSEC);
}

/* A loss at @cwnd: what ssthresh() says, applied as recovery would. */
static void loss_at(struct sock *sk, u32 cwnd)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->snd_cwnd = cwnd;
	tp->snd_ssthresh = inet_csk(sk)->icsk_ca_ops->ssthresh(sk);
	tp->snd_cwnd = tp->snd_ssthresh;
}

Test(tcp_cubic, follows_the_cubic_curve_after_a_loss)
{
	struct socket *s = ts_socket();
	struct sock *sk = s->sk;
	struct tcp_sock *tp = tcp_sk(sk);
	u32 at_k = 0, after;

	cr_assert_eq(tcp_set_congestion_control(sk, "cubic"), 0);
	tcp_init_congestion_control(sk);
	tp->srtt_us = RTT_MS * 1000;
	loss_at(sk, 100);
	cr_assert_eq(tp->snd_cwnd, 70, "beta_cubic = 0.7");
	/* K = cbrt(100 * 0.3 / 0.4) = 4.22 s: ~42 round trips. */
	for (int r = 1; r <= 60; r++) {
		u32 before = tp->snd_cwnd;

		one_rtt(sk);
		cr_assert_geq(tp->snd_cwnd, before, "never shrinks without a loss");
		if (r == 10)
			cr_assert_geq(tp->snd_cwnd, 85, "concave: fast at first (%u)", tp->snd_cwnd);
		if (r >= 30 && r <= 40)
			cr_assert_leq(tp->snd_cwnd, 101, "plateau below W_max near K (%u)",
				      tp->snd_cwnd);
		if (r == 42)
			at_k = tp->snd_cwnd;
	}
	cr_assert(at_k >= 97 && at_k <= 102, "at t = K the window is W_max (%u)", at_k);
	after = tp->snd_cwnd;
	/* t = K + 1.8 s: 0.4 * (1.8 + RTT)^3 + 100 = 102.7: convex, past W_max. */
	cr_assert(after >= 102 && after <= 106, "convex probing past W_max (%u)", after);
	sock_release(s);
}

Test(tcp_cubic, fast_convergence_lowers_w_max_below_the_last_one)
{
	struct socket *s = ts_socket();
	struct sock *sk = s->sk;
	struct tcp_sock *tp = tcp_sk(sk);

	cr_assert_eq(tcp_set_congestion_control(sk, "cubic"), 0);
	tcp_init_congestion_control(sk);
	tp->srtt_us = RTT_MS * 1000;
	loss_at(sk, 100);		/* W_max 100 */
	for (int r = 0; r < 5; r++)
		one_rtt(sk);
	cr_assert_lt(tp->snd_cwnd, 100);
	loss_at(sk, 90);		/* below W_max: W_max = 90 * 1.7 / 2 = 76 */
	cr_assert_eq(tp->snd_cwnd, 63, "90 * 0.7");
	/*
	 * The new epoch starts at cwnd 63 below W_max 76, so
	 * K = cbrt((76 - 63) / 0.4) = 3.19 s; with the RTT added (the target is
	 * W(t + RTT)) the window levels off at 76 from ~2 s to ~3 s. Without
	 * fast convergence W_max would be 90 and the window would climb on.
	 */
	for (int r = 0; r < 80; r++) {
		one_rtt(sk);
		if (r >= 15 && r <= 25)
			cr_assert(tp->snd_cwnd >= 74 && tp->snd_cwnd <= 78,
				  "plateau at the lowered W_max 76 (round %d: %u)", r,
				  tp->snd_cwnd);
	}
	/* Last round at 7.9 s: W = 0.4 * (7.9 + 0.1 - 3.19)^3 + 76 = 120.5. */
	cr_assert(tp->snd_cwnd >= 116 && tp->snd_cwnd <= 125,
		  "convex growth as W(t) says (%u)", tp->snd_cwnd);
	sock_release(s);
}
