/*
 * TCP timers (Linux net/ipv4/tcp_timer.c): retransmission (RFC 6298) and
 * persist share icsk_retransmit_timer; the delayed ACK; keepalive (RFC 1122
 * §4.2.3.6), which also ends an orphaned FIN_WAIT2.
 * A timer that finds the sock owned by the user tries again shortly, as
 * Linux defers to release_sock.
 */
#include "net/tcp.h"
#include "lib/errno.h"
#include "net/net_namespace.h"

#define TCP_TIMER_RETRY	(HZ / 20)

void tcp_reset_retrans_timer(struct sock *sk, int what, u32 when)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	icsk->icsk_pending = (u8)what;
	icsk->icsk_timeout = (u32)(jiffies + when);
	mod_timer(&icsk->icsk_retransmit_timer, jiffies + when);
}

/* Restart the RTO from now, or stop it when nothing is outstanding. */
void tcp_rearm_rto(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (!tcp_sk(sk)->packets_out) {
		icsk->icsk_pending = 0;
		del_timer(&icsk->icsk_retransmit_timer);
		return;
	}
	tcp_reset_retrans_timer(sk, ICSK_TIME_RETRANS, icsk->icsk_rto);
}

/* Give up on the connection: the user sees ETIMEDOUT (or the soft error). */
static void tcp_write_err(struct sock *sk)
{
	sk->sk_err = sk->sk_err_soft ? sk->sk_err_soft : ETIMEDOUT;
	sk->sk_error_report(sk);
	TCP_INC_STATS(TCP_MIB_ABORTONTIMEOUT);
	tcp_done(sk);
}

static bool tcp_write_timeout(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 limit = TCP_RETRIES2;

	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
		limit = tp->syn_retries;
	if (icsk->icsk_retransmits < limit)
		return false;
	tcp_write_err(sk);
	return true;
}

/*
 * RTO expiry (RFC 6298 §5.4-5.7, RFC 5681 §3.1): back the timer off,
 * collapse the window to one segment and send again from snd_una
 * (go-back-N: every unacknowledged skb is sent again as the window reopens).
 */
static void tcp_retransmit_timer(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);

	if (!tp->packets_out || !head)
		return;
	if (tcp_write_timeout(sk))
		return;
	TCP_INC_STATS(TCP_MIB_TIMEOUTS);
	if (icsk->icsk_ca_state != TCP_CA_Loss) {
		tp->prior_ssthresh = tp->snd_ssthresh;
		tp->snd_ssthresh = icsk->icsk_ca_ops->ssthresh(sk);
		if (icsk->icsk_ca_ops->cwnd_event)
			icsk->icsk_ca_ops->cwnd_event(sk, CA_EVENT_LOSS);
	}
	icsk->icsk_ca_state = TCP_CA_Loss;
	tp->high_seq = tp->snd_nxt;
	tp->snd_cwnd = 1;
	tp->snd_cwnd_cnt = 0;
	tp->dupacks = 0;
	tp->retrans_out = 0;
	tp->lost_out = 0;
	tp->packets_out = 0;	/* SACKed skbs are counted again, not resent */
	tp->send_head = head;
	icsk->icsk_retransmits++;
	icsk->icsk_backoff++;
	icsk->icsk_rto = min_t(u32, icsk->icsk_rto * 2, TCP_RTO_MAX);
	icsk->icsk_pending = 0;
	if (sk->sk_state == TCP_SYN_RECV || sk->sk_state == TCP_SYN_SENT) {
		tcp_retransmit_skb(sk, head);
		tp->packets_out = 1;
		tp->send_head = head->next == (struct sk_buff *)&sk->sk_write_queue ?
				NULL : head->next;
		tcp_reset_retrans_timer(sk, ICSK_TIME_RETRANS, icsk->icsk_rto);
		return;
	}
	tcp_write_xmit(sk, TCP_NAGLE_OFF);
}

/* Persist (RFC 9293 §3.8.6.1): probe the zero window; Linux gives up after
 * TCP_RETRIES2 probes that get no answer at all. */
static void tcp_probe_timer(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->packets_out || !tp->send_head) {
		icsk->icsk_probes_out = 0;
		return;
	}
	if (icsk->icsk_probes_out >= TCP_RETRIES2) {
		tcp_write_err(sk);
		return;
	}
	tcp_send_probe0(sk);
}

static void tcp_write_timer(struct timer_list *t)
{
	struct inet_connection_sock *icsk =
		from_timer(icsk, t, icsk_retransmit_timer);
	struct sock *sk = &icsk->icsk_inet.sk;
	struct net *prev = net_enter(sock_net(sk));
	int event = icsk->icsk_pending;

	sock_hold(sk);
	if (sock_owned_by_user(sk)) {
		mod_timer(t, jiffies + TCP_TIMER_RETRY);
		goto out;
	}
	if (sk->sk_state == TCP_CLOSE || !event)
		goto out;
	icsk->icsk_pending = 0;
	if (event == ICSK_TIME_RETRANS)
		tcp_retransmit_timer(sk);
	else if (event == ICSK_TIME_PROBE0)
		tcp_probe_timer(sk);
out:
	sock_put(sk);
	net_leave(prev);
}

static void tcp_delack_timer(struct timer_list *t)
{
	struct inet_connection_sock *icsk =
		from_timer(icsk, t, icsk_delack_timer);
	struct sock *sk = &icsk->icsk_inet.sk;
	struct net *prev = net_enter(sock_net(sk));

	sock_hold(sk);
	if (sock_owned_by_user(sk)) {
		mod_timer(t, jiffies + TCP_TIMER_RETRY);
		goto out;
	}
	icsk->icsk_ack.pending &= (u8)~ICSK_ACK_TIMER;
	if (sk->sk_state != TCP_CLOSE && inet_csk_ack_scheduled(sk))
		tcp_send_ack(sk);
out:
	sock_put(sk);
	net_leave(prev);
}

u32 keepalive_time_when(const struct tcp_sock *tp)
{
	return tp->keepalive_time ? tp->keepalive_time : TCP_KEEPALIVE_TIME;
}

static u32 keepalive_intvl_when(const struct tcp_sock *tp)
{
	return tp->keepalive_intvl ? tp->keepalive_intvl : TCP_KEEPALIVE_INTVL;
}

void tcp_reset_keepalive_timer(struct sock *sk, u32 len)
{
	mod_timer(&tcp_sk(sk)->keepalive_timer, jiffies + len);
}

void tcp_delete_keepalive_timer(struct sock *sk)
{
	del_timer(&tcp_sk(sk)->keepalive_timer);
}

void tcp_set_keepalive(struct sock *sk, int val)
{
	if (sk->sk_state == TCP_CLOSE || sk->sk_state == TCP_LISTEN)
		return;
	if (val)
		tcp_reset_keepalive_timer(sk, keepalive_time_when(tcp_sk(sk)));
	else
		tcp_delete_keepalive_timer(sk);
}

/* Keepalive (RFC 1122 §4.2.3.6): idle for keepalive_time, then probes. */
static void tcp_keepalive(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 idle = tcp_jiffies32() - tp->rcv_tstamp;
	u32 when = keepalive_time_when(tp);
	u32 probes = tp->keepalive_probes ? tp->keepalive_probes :
					    TCP_KEEPALIVE_PROBES;

	if (!sock_flag(sk, SOCK_KEEPOPEN) || sk->sk_state != TCP_ESTABLISHED)
		return;
	if (tp->packets_out || tp->send_head) {
		tcp_reset_keepalive_timer(sk, when);
		return;
	}
	if (idle < when) {
		icsk->icsk_probes_out = 0;
		tcp_reset_keepalive_timer(sk, when - idle);
		return;
	}
	if (icsk->icsk_probes_out >= probes) {
		tcp_send_active_reset(sk);
		tcp_write_err(sk);
		return;
	}
	tcp_write_wakeup(sk);
	icsk->icsk_probes_out++;
	tcp_reset_keepalive_timer(sk, keepalive_intvl_when(tp));
}

/* Closing, but tcp_send_fin found no memory for the FIN. */
static bool tcp_fin_unsent(const struct sock *sk)
{
	return (1 << sk->sk_state) & (TCPF_STATE(TCP_FIN_WAIT1) |
				      TCPF_STATE(TCP_CLOSING) |
				      TCPF_STATE(TCP_LAST_ACK)) &&
	       !tcp_sk(sk)->fin_queued;
}

static void tcp_keepalive_timer(struct timer_list *t)
{
	struct tcp_sock *tp = from_timer(tp, t, keepalive_timer);
	struct sock *sk = &tp->inet_conn.icsk_inet.sk;
	struct net *prev = net_enter(sock_net(sk));

	sock_hold(sk);
	if (sock_owned_by_user(sk)) {
		tcp_reset_keepalive_timer(sk, TCP_TIMER_RETRY);
		goto out;
	}
	if (sk->sk_state == TCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD)) {
		tcp_done(sk);	/* orphaned FIN_WAIT2 ran out (tcp_fin_timeout) */
		goto out;
	}
	if (tcp_fin_unsent(sk)) {
		tcp_send_fin(sk);
		goto out;
	}
	tcp_keepalive(sk);
out:
	sock_put(sk);
	net_leave(prev);
}

void tcp_init_xmit_timers(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	timer_setup(&icsk->icsk_retransmit_timer, tcp_write_timer, 0);
	timer_setup(&icsk->icsk_delack_timer, tcp_delack_timer, 0);
	timer_setup(&tcp_sk(sk)->keepalive_timer, tcp_keepalive_timer, 0);
}

void tcp_clear_xmit_timers(struct sock *sk)
{
	inet_csk_clear_xmit_timers(sk);
	tcp_delete_keepalive_timer(sk);
}
