/*
 * TIME_WAIT (RFC 9293 §3.6.1, seed 004 §2.3): when a connection's full sock
 * goes, a small tcp_timewait_sock takes its place in the established hash
 * and its port's bind bucket for 2*MSL, absorbs late segments, and lets a
 * new SYN reuse the 4-tuple on the rules of RFC 6191.
 */
#ifndef NET_INET_TIMEWAIT_SOCK_H
#define NET_INET_TIMEWAIT_SOCK_H

#include "kernel/timer.h"
#include "net/sock.h"

struct inet_timewait_sock {
	/* Must be first: the hash tables see a struct sock_common. */
	struct sock_common __tw_common;
#define tw_daddr	__tw_common.skc_daddr
#define tw_rcv_saddr	__tw_common.skc_rcv_saddr
#define tw_dport	__tw_common.skc_dport
#define tw_num		__tw_common.skc_num
#define tw_state	__tw_common.skc_state
#define tw_reuse	__tw_common.skc_reuse
#define tw_net		__tw_common.skc_net
	u8 tw_substate;		/* TCP_TIME_WAIT or TCP_FIN_WAIT2 */
	__be16 tw_sport;
	struct timer_list tw_timer;
	/* tcp_timewait_sock */
	u32 tw_rcv_nxt;
	u32 tw_snd_nxt;
	u32 tw_rcv_wnd;
	u32 tw_ts_recent;
	u64 tw_ts_recent_stamp;
	u8 tw_rcv_wscale;
	u8 tw_tstamp_ok:1;
};
#define tcp_timewait_sock inet_timewait_sock

static inline struct inet_timewait_sock *inet_twsk(const struct sock *sk)
{
	return (struct inet_timewait_sock *)sk;
}

/*
 * The TIME_WAIT cap (Linux's net.ipv4.tcp_max_tw_buckets): past it
 * inet_twsk_alloc() refuses and the connection closes without TIME_WAIT
 * (tcp_time_wait counts TCPTimeWaitOverflow). The kernel scales it with RAM
 * or takes tcp_max_tw_buckets= (kernel/net_sizing.c).
 */
#define TCP_MAX_TW_BUCKETS_DEFAULT	2048
void inet_twsk_set_max_buckets(long n);
long inet_twsk_max_buckets(void);

/* NULL when the cap is reached or memory is short. */
struct inet_timewait_sock *inet_twsk_alloc(const struct sock *sk, int state);
/* Put @tw where @sk was (ehash, bind bucket) and arm its timer for @timeo. */
void inet_twsk_hashdance(struct inet_timewait_sock *tw, struct sock *sk,
			 long timeo);
void inet_twsk_reschedule(struct inet_timewait_sock *tw, long timeo);
/* Unhash and free now (timer fired, or the 4-tuple is reused). */
void inet_twsk_deschedule_put(struct inet_timewait_sock *tw);
long inet_twsk_live_count(void);

#endif
