/*
 * Connection-oriented socks (Linux include/net/inet_connection_sock.h and
 * request_sock.h): what a listener keeps (the SYN queue of request socks,
 * the accept queue of full socks) and the retransmit/delayed-ACK timers
 * every connection has. tcp_sock embeds inet_connection_sock.
 */
#ifndef NET_INET_CONNECTION_SOCK_H
#define NET_INET_CONNECTION_SOCK_H

#include "kernel/time.h"
#include "kernel/timer.h"
#include "net/inet_sock.h"

struct tcp_congestion_ops;

/*
 * A connection that has seen a SYN and answered SYN-ACK (SYN-RECEIVED),
 * held by its listener until the final ACK (seed 004 §2.1). It is not in
 * the established hash: the listener finds it on its own SYN queue.
 */
struct request_sock {
	struct list_head list;		/* on the listener's SYN queue */
	struct sock *rsk_listener;
	struct timer_list rsk_timer;	/* SYN-ACK retransmission */
	__be32 ir_loc_addr;
	__be32 ir_rmt_addr;
	__be16 ir_rmt_port;
	u16 ir_num;			/* local port, host order */
	u32 rcv_isn;
	u32 snt_isn;
	u32 rcv_wnd;			/* the window our SYN-ACK offered */
	u32 ts_recent;
	u16 mss;			/* the peer's MSS option */
	u8 num_retrans;
	u8 snd_wscale:4, rcv_wscale:4;
	u8 wscale_ok:1, tstamp_ok:1, sack_ok:1;
};

/* The accept queue: full socks, hashed, waiting for accept() to dequeue. */
struct request_sock_queue {
	struct list_head syn_queue;	/* request socks */
	u32 qlen;			/* on syn_queue */
	struct sk_buff_head unused;
	struct sock *accept_head;	/* established socks, FIFO */
	struct sock *accept_tail;
	u64 last_overflow;		/* jiffies a SYN cookie was last sent */
};

/* icsk_pending: what the retransmit timer is armed for. */
#define ICSK_TIME_RETRANS	1
#define ICSK_TIME_PROBE0	3

struct inet_connection_sock {
	struct inet_sock icsk_inet;		/* must be first */
	struct request_sock_queue icsk_accept_queue;
	struct sock *icsk_accept_next;		/* link on the listener's queue */
	struct sock *icsk_listener;		/* while on an accept queue */
	struct timer_list icsk_retransmit_timer;
	struct timer_list icsk_delack_timer;
	u32 icsk_rto;				/* jiffies */
	u32 icsk_timeout;			/* when the retransmit timer fires */
	u8 icsk_pending;			/* ICSK_TIME_* */
	u8 icsk_retransmits;
	u8 icsk_backoff;
	u8 icsk_probes_out;
	u8 icsk_ca_state;			/* TCP_CA_* */
	u8 icsk_syn_retries;
	u16 icsk_pmtu_cookie;			/* the path MTU we last used */
	const struct tcp_congestion_ops *icsk_ca_ops;
	u64 icsk_ca_priv[8];
	struct {
		u8 pending;			/* ICSK_ACK_* */
		u8 quick;			/* ACKs to send at once */
		u8 pingpong;			/* interactive: delay ACKs */
		u8 rcv_segs;			/* full segments since last ACK */
		u32 ato;
		u32 timeout;
	} icsk_ack;
};

#define ICSK_ACK_SCHED	1
#define ICSK_ACK_TIMER	2
#define ICSK_ACK_PUSHED	4

/* Congestion states (Linux's TCP_CA_*). */
#define TCP_CA_Open	0
#define TCP_CA_Disorder	1
#define TCP_CA_Recovery	3
#define TCP_CA_Loss	4

static inline struct inet_connection_sock *inet_csk(const struct sock *sk)
{
	return container_of((struct sock *)sk, struct inet_connection_sock,
			    icsk_inet.sk);
}

static inline void *inet_csk_ca(const struct sock *sk)
{
	return inet_csk(sk)->icsk_ca_priv;
}

/* inet_connection_sock.c */
int inet_csk_listen_start(struct sock *sk, int backlog);
void inet_csk_listen_stop(struct sock *sk);
struct sock *inet_csk_accept(struct sock *sk, int flags, int *err, bool kern);
void inet_csk_reqsk_queue_add(struct sock *sk, struct sock *child);
void inet_csk_reqsk_queue_hash_add(struct sock *sk, struct request_sock *req,
				   unsigned long timeout);
void inet_csk_reqsk_queue_drop(struct sock *sk, struct request_sock *req);
struct request_sock *inet_reqsk_alloc(struct sock *listener);
void reqsk_free(struct request_sock *req);
struct request_sock *inet_csk_search_req(struct sock *sk, __be16 rport,
					 __be32 raddr, __be32 laddr);
bool inet_csk_reqsk_queue_is_full(const struct sock *sk);
bool sk_acceptq_is_full(const struct sock *sk);
long reqsk_live_count(void);
void inet_csk_clear_xmit_timers(struct sock *sk);

static inline bool inet_csk_ack_scheduled(const struct sock *sk)
{
	return inet_csk(sk)->icsk_ack.pending & ICSK_ACK_SCHED;
}

static inline void inet_csk_schedule_ack(struct sock *sk)
{
	inet_csk(sk)->icsk_ack.pending |= ICSK_ACK_SCHED;
}

#endif
