/*
 * The monitor's `ss` (Linux's ss -t over inet_diag): TCP socks of the
 * current namespace with state, queues, addresses, and with -i the timer,
 * RTO, RTT, cwnd and ssthresh, MSS and retransmissions; timewait socks
 * from tcp_hashinfo. Read with interrupts off: the softirq changes them.
 *   ss [-l|-a] [-i]   default: connections; -l listeners; -a everything
 *   ss -s             counts only, per state (a table of 20,000 socks is
 *                     too long to read over a serial line)
 */
#include "net/sock_diag.h"
#include "net/tcp.h"
#include "kernel/monitor.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "lib/string.h"
#include "lib/vsprintf.h"
#include "net/inet_hashtables.h"
#include "net/net_namespace.h"
#include "net/socket.h"

#define SS_CONN		1
#define SS_LISTEN	2

static void ss_addr(__be32 addr, __be16 port)
{
	u32 a = ntohl(addr);
	char buf[24];

	if (addr)
		snprintf(buf, sizeof(buf), "%u.%u.%u.%u:%u", a >> 24,
			 (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff, ntohs(port));
	else
		snprintf(buf, sizeof(buf), "*:%u", ntohs(port));
	kprintf(" %-21s", buf);
}

static void ss_timer(const struct sock *sk)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	long left;

	if (icsk->icsk_pending) {
		left = (long)(icsk->icsk_timeout - (u32)jiffies);
		kprintf(" timer:(%s,%ldms,%u)",
			icsk->icsk_pending == ICSK_TIME_PROBE0 ? "persist" : "on",
			left * 1000 / HZ, icsk->icsk_retransmits);
	} else if (timer_pending(&tp->keepalive_timer)) {
		left = (long)(tp->keepalive_timer.expires - jiffies);
		kprintf(" timer:(keepalive,%ldms,%u)", left * 1000 / HZ,
			icsk->icsk_probes_out);
	}
}

static void ss_info(struct sock *sk)
{
	struct tcp_info i;

	tcp_get_info(sk, &i);
	kprintf("\n\t %s", inet_csk(sk)->icsk_ca_ops->name);
	if (i.tcpi_options & TCPI_OPT_WSCALE)
		kprintf(" wscale:%u,%u", i.tcpi_snd_wscale, i.tcpi_rcv_wscale);
	if (i.tcpi_options & TCPI_OPT_TIMESTAMPS)
		kprintf(" ts");
	kprintf(" rto:%u rtt:%u.%03u/%u.%03u mss:%u cwnd:%u", i.tcpi_rto / 1000,
		i.tcpi_rtt / 1000, i.tcpi_rtt % 1000, i.tcpi_rttvar / 1000,
		i.tcpi_rttvar % 1000, i.tcpi_snd_mss, i.tcpi_snd_cwnd);
	if (i.tcpi_snd_ssthresh < 0x7fffffff)
		kprintf(" ssthresh:%u", i.tcpi_snd_ssthresh);
	kprintf(" unacked:%u retrans:%u/%u bytes_acked:%llu bytes_received:%llu",
		i.tcpi_unacked, i.tcpi_retrans, i.tcpi_total_retrans,
		(unsigned long long)tcp_sk(sk)->bytes_acked,
		(unsigned long long)tcp_sk(sk)->bytes_received);
	ss_timer(sk);
}

static void ss_sock(struct sock *sk, bool info)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 rq, sq;

	if (sk->sk_state == TCP_LISTEN) {
		rq = sk->sk_ack_backlog;
		sq = sk->sk_max_ack_backlog;
	} else {
		rq = tp->rcv_nxt - tp->copied_seq;
		sq = tp->write_seq - tp->snd_una;
	}
	kprintf("%-11s %-6u %-6u", tcp_state_name(sk->sk_state), rq, sq);
	ss_addr(sk->sk_rcv_saddr ? sk->sk_rcv_saddr : inet_sk(sk)->inet_saddr,
		inet_sk(sk)->inet_sport);
	ss_addr(sk->sk_daddr, sk->sk_dport);
	if (info && sk->sk_state != TCP_LISTEN)
		ss_info(sk);
	kprintf("\n");
}

static void ss_timewait(const struct inet_timewait_sock *tw)
{
	long left = (long)(tw->tw_timer.expires - jiffies);

	kprintf("%-11s %-6u %-6u", tcp_state_name(TCP_TIME_WAIT), 0, 0);
	ss_addr(tw->tw_rcv_saddr, tw->tw_sport);
	ss_addr(tw->tw_daddr, tw->tw_dport);
	kprintf(" timer:(timewait,%ldms,0)\n", left * 1000 / HZ);
}

static bool ss_wanted(int state, int which)
{
	if (state == TCP_LISTEN)
		return which & SS_LISTEN;
	return which & SS_CONN;
}

/* Print the table; also the host tests' entry point. */
void tcp_diag_show(int which, bool info)
{
	unsigned long flags;
	struct sock *sk;

	local_irq_save(flags);
	kprintf("State       Recv-Q Send-Q Local Address:Port    Peer Address:Port\n");
	list_for_each_entry(sk, &sk_all_list, sk_all) {
		if (sk->sk_prot != &tcp_prot || sock_net(sk) != net_current())
			continue;
		if (sk->sk_state == TCP_CLOSE && !(which & SS_LISTEN))
			continue;
		if (ss_wanted(sk->sk_state, which))
			ss_sock(sk, info);
	}
	for (int i = 0; (which & SS_CONN) && i < INET_EHASH_SIZE; i++) {
		struct sock_common *skc;

		hlist_for_each_entry(skc, &tcp_hashinfo.ehash[i], skc_node)
			if (skc->skc_state == TCP_TIME_WAIT &&
			    skc->skc_net == net_current())
				ss_timewait((const struct inet_timewait_sock *)skc);
	}
	local_irq_restore(flags);
}

static long ss_count_timewait(void)
{
	long n = 0;

	for (int i = 0; i < INET_EHASH_SIZE; i++) {
		struct sock_common *skc;

		hlist_for_each_entry(skc, &tcp_hashinfo.ehash[i], skc_node)
			if (skc->skc_state == TCP_TIME_WAIT &&
			    skc->skc_net == net_current())
				n++;
	}
	return n;
}

/* ss -s (Linux's summary): totals, then TCP socks per state. */
void tcp_diag_summary(void)
{
	long count[TCP_MAX_STATES] = { 0 }, total = 0, orphans = 0, tw;
	unsigned long flags;
	struct sock *sk;

	local_irq_save(flags);
	list_for_each_entry(sk, &sk_all_list, sk_all) {
		if (sk->sk_prot != &tcp_prot || sock_net(sk) != net_current())
			continue;
		count[sk->sk_state]++;
		total++;
		orphans += sock_flag(sk, SOCK_DEAD);	/* closed, not yet gone */
	}
	tw = ss_count_timewait();
	local_irq_restore(flags);
	kprintf("Total: %ld sockets, %ld socks\n", sockets_in_use(), sk_live_count());
	kprintf("TCP: %ld (estab %ld, closed %ld, orphaned %ld, timewait %ld, "
		"requests %ld)\n", total + tw, count[TCP_ESTABLISHED],
		count[TCP_CLOSE], orphans, tw, reqsk_live_count());
	kprintf("TCP states:");
	for (int s = TCP_ESTABLISHED; s < TCP_MAX_STATES; s++)
		if (count[s])
			kprintf(" %s %ld", tcp_state_name(s), count[s]);
	kprintf("\n");
}

static int cmd_ss(int argc, char **argv)
{
	int which = SS_CONN;
	bool info = false;

	unsigned short other = 0;	/* -u, -w: UDP or raw instead of TCP */
	bool summary = false;

	for (int i = 1; i < argc; i++) {
		for (const char *p = argv[i]; *p; p++) {
			if (*p == 'l')
				which = SS_LISTEN;
			else if (*p == 'a')
				which = SS_CONN | SS_LISTEN;
			else if (*p == 'i')
				info = true;
			else if (*p == 'u')
				other = SOCK_DGRAM;
			else if (*p == 'w')
				other = SOCK_RAW;
			else if (*p == 's')
				summary = true;
			else if (*p != '-' && *p != 't' && *p != 'n')
				kprintf("ss: unknown option %c\n", *p);
		}
	}
	if (summary)
		tcp_diag_summary();
	else if (other)
		sock_diag_show_type(other);
	else
		tcp_diag_show(which, info);
	return 0;
}
DEFINE_MONITOR_CMD(ss, cmd_ss,
		   "ss [-t|-u|-w] [-l|-a] [-i] [-s]: socks, states, queues, timers, cwnd, RTT");
