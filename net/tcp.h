/*
 * TCP (RFC 9293): the header, struct tcp_sock, the per-skb control block
 * and the entry points of tcp*.c.
 * Receive: ip_local_deliver -> tcp_v4_rcv -> __inet_lookup_skb ->
 *          tcp_v4_do_rcv -> tcp_rcv_state_process (tcp_input.c).
 * Send:    tcp_sendmsg -> tcp_push -> tcp_write_xmit -> tcp_transmit_skb ->
 *          ip_build_and_send_pkt.
 */
#ifndef NET_TCP_H
#define NET_TCP_H

#include "kernel/timer.h"
#include "lib/byteorder.h"
#include "net/inet_connection_sock.h"
#include "net/inet_timewait_sock.h"
#include "net/ip.h"
#include "net/tcp_states.h"

struct tcphdr {
	__be16 source;
	__be16 dest;
	__be32 seq;
	__be32 ack_seq;
	u8 res1:4, doff:4;	/* x86 bit order: doff is the high nibble */
	u8 flags;		/* TCPHDR_* */
	__be16 window;
	__sum16 check;
	__be16 urg_ptr;
} __packed;
BUILD_BUG_ON(sizeof(struct tcphdr) != 20);

/* RFC 9293 §3.1 control bits, as Linux's TCPHDR_*. */
#define TCPHDR_FIN	0x01
#define TCPHDR_SYN	0x02
#define TCPHDR_RST	0x04
#define TCPHDR_PSH	0x08
#define TCPHDR_ACK	0x10
#define TCPHDR_URG	0x20
#define TCPHDR_ECE	0x40
#define TCPHDR_CWR	0x80

/* Options (RFC 9293 §3.2, RFC 7323, RFC 2018). */
#define TCPOPT_EOL		0
#define TCPOPT_NOP		1
#define TCPOPT_MSS		2
#define TCPOPT_WINDOW		3
#define TCPOPT_SACK_PERM	4
#define TCPOPT_SACK		5
#define TCPOPT_TIMESTAMP	8
#define TCPOLEN_MSS		4
#define TCPOLEN_WINDOW		3
#define TCPOLEN_TIMESTAMP	10
#define TCP_MAX_WSCALE		14	/* RFC 7323 §2.3 */

#define TCP_MSS_DEFAULT		536U	/* RFC 9293 §3.7.1 */
#define TCP_MIN_MSS		88U	/* Linux's floor for PMTU-derived MSS */
#define TCP_MAX_WINDOW		65535U
#define TCP_INIT_CWND		10	/* RFC 6928 */

/* Timing, in jiffies (RFC 6298, Linux's constants). */
#define TCP_RTO_MIN		(HZ / 5)
#define TCP_RTO_MAX		(120 * HZ)
#define TCP_TIMEOUT_INIT	(1 * HZ)	/* RFC 6298 §2.1 */
#define TCP_DELACK_MAX		(HZ / 25)	/* 40 ms */
#define TCP_DELACK_MIN		(HZ / 25)
#define TCP_RETRIES2		15
#define TCP_SYN_RETRIES		6
#define TCP_SYNACK_RETRIES	5
#define TCP_FIN_TIMEOUT		(60 * HZ)
#define TCP_KEEPALIVE_TIME	(7200 * HZ)
#define TCP_KEEPALIVE_INTVL	(75 * HZ)
#define TCP_KEEPALIVE_PROBES	9
#define TCP_TIMEWAIT_LEN	(60 * HZ)	/* 2*MSL, Linux's 60 s */
#define TCP_FASTRETRANS_THRESH	3	/* RFC 5681 §3.2 */
#define TCP_OFO_MAX_BYTES	(256 * 1024)

/* setsockopt(IPPROTO_TCP, ...) (Linux include/uapi/linux/tcp.h) */
#define SOL_TCP			6
#define TCP_NODELAY		1
#define TCP_MAXSEG		2
#define TCP_CORK		3
#define TCP_KEEPIDLE		4
#define TCP_KEEPINTVL		5
#define TCP_KEEPCNT		6
#define TCP_SYNCNT		7
#define TCP_LINGER2		8
#define TCP_INFO		11
#define TCP_CONGESTION		13
#define SO_LINGER		13

/* SO_LINGER's argument. */
struct linger {
	int l_onoff;
	int l_linger;
};

/* TCP_INFO: the leading fields of Linux's struct tcp_info, same layout. */
struct tcp_info {
	u8 tcpi_state;
	u8 tcpi_ca_state;
	u8 tcpi_retransmits;
	u8 tcpi_probes;
	u8 tcpi_backoff;
	u8 tcpi_options;
	u8 tcpi_snd_wscale:4, tcpi_rcv_wscale:4;
	u8 tcpi_delivery_rate_app_limited:1, tcpi_fastopen_client_fail:2;
	u32 tcpi_rto;		/* µs */
	u32 tcpi_ato;
	u32 tcpi_snd_mss;
	u32 tcpi_rcv_mss;
	u32 tcpi_unacked;
	u32 tcpi_sacked;
	u32 tcpi_lost;
	u32 tcpi_retrans;
	u32 tcpi_fackets;
	u32 tcpi_last_data_sent;
	u32 tcpi_last_ack_sent;
	u32 tcpi_last_data_recv;
	u32 tcpi_last_ack_recv;
	u32 tcpi_pmtu;
	u32 tcpi_rcv_ssthresh;
	u32 tcpi_rtt;		/* µs */
	u32 tcpi_rttvar;
	u32 tcpi_snd_ssthresh;
	u32 tcpi_snd_cwnd;
	u32 tcpi_advmss;
	u32 tcpi_reordering;
	u32 tcpi_rcv_rtt;
	u32 tcpi_rcv_space;
	u32 tcpi_total_retrans;
};
BUILD_BUG_ON(sizeof(struct tcp_info) != 104);
#define TCPI_OPT_TIMESTAMPS	1
#define TCPI_OPT_SACK		2
#define TCPI_OPT_WSCALE		4

void tcp_get_info(struct sock *sk, struct tcp_info *info);

/* Wrap-safe sequence comparisons (RFC 9293 §3.4): no plain < on sequences. */
static inline bool before(u32 seq1, u32 seq2)
{
	return (s32)(seq1 - seq2) < 0;
}
#define after(seq2, seq1)	before(seq1, seq2)
/* seq1 <= seq2 <= seq3, modulo 2^32 */
static inline bool between(u32 seq1, u32 seq2, u32 seq3)
{
	return seq3 - seq2 >= seq1 - seq2;
}

/* What TCP keeps in skb->cb for a segment, received or queued to send. */
struct tcp_skb_cb {
	u32 seq;		/* first sequence number */
	u32 end_seq;		/* seq + SYN + FIN + data length */
	u32 ack_seq;		/* received: the ACK field */
	u8 tcp_flags;		/* TCPHDR_* */
	u8 retrans;		/* times sent again (Karn: no RTT sample) */
	u8 sacked;		/* TCPCB_SACKED_ACKED */
	u64 when;		/* jiffies of the last transmission */
};
#define TCPCB_SACKED_ACKED	0x01	/* the peer SACKed it (RFC 2018) */
#define TCP_SKB_CB(skb)	((struct tcp_skb_cb *)&((skb)->cb[0]))
BUILD_BUG_ON(sizeof(struct tcp_skb_cb) > 48);

/* Options parsed from a received segment, and those agreed (RFC 7323). */
struct tcp_options_received {
	u32 ts_recent;		/* TS.Recent (RFC 7323 §4.3) */
	u64 ts_recent_stamp;	/* jiffies when it was stored */
	u32 rcv_tsval;
	u32 rcv_tsecr;
	u16 saw_tstamp:1, tstamp_ok:1, wscale_ok:1, sack_ok:1;
	u8 snd_wscale;		/* the peer's shift for its window */
	u8 rcv_wscale;		/* ours */
	u16 mss_clamp;		/* the peer's MSS option */
};

struct tcp_sock {
	struct inet_connection_sock inet_conn;	/* must be first */
	/* Receive sequence space (RFC 9293 §3.3.1). */
	u32 rcv_nxt;
	u32 copied_seq;		/* next byte the user will read */
	u32 rcv_wup;		/* rcv_nxt at the last window update sent */
	u32 rcv_wnd;		/* the window we last advertised */
	u32 window_clamp;
	/* Send sequence space. */
	u32 snd_una;
	u32 snd_nxt;
	u32 snd_sml;		/* end of the last short segment sent (Nagle) */
	u32 snd_wl1;
	u32 snd_wl2;
	u32 snd_wnd;		/* the peer's window, scaled */
	u32 max_window;
	u32 write_seq;		/* end of the data the user queued */
	u32 pushed_seq;
	u32 snd_up;		/* urgent pointer */
	u32 rcv_up;
	u32 isn;
	u16 mss_cache;		/* effective MSS for sending */
	u16 advmss;		/* what we announced */
	struct tcp_options_received rx_opt;
	u8 nonagle;		/* TCP_NAGLE_OFF | TCP_NAGLE_CORK */
	u8 syn_retries;
	u8 keepalive_probes;
	u8 urg_data;
	/* RTT (RFC 6298), microseconds, srtt and mdev scaled by 8 and 4. */
	u32 srtt_us;
	u32 mdev_us;
	u32 rttvar_us;
	/* Congestion control (RFC 5681/6582). */
	u32 snd_cwnd;
	u32 snd_cwnd_cnt;
	u32 snd_ssthresh;
	u32 prior_ssthresh;
	u32 high_seq;		/* recovery point (RFC 6582 "recover") */
	u32 packets_out;
	u32 retrans_out;
	u32 dupacks;
	u32 sacked_out;		/* skbs SACKed by the peer */
	u32 lost_out;		/* un-SACKed holes below the highest SACK */
	u32 highest_sack;	/* end of the highest SACKed skb */
	/* SACK blocks we report (RFC 2018 §4): the most recent first. */
	struct tcp_sack_block {
		u32 start_seq, end_seq;
	} selective_acks[4];
	u8 num_sacks;
	u32 last_ofo_seq;	/* seq of the latest out-of-order arrival */
	u32 lsndtime;		/* jiffies of the last data sent */
	u32 rcv_tstamp;		/* jiffies of the last segment received */
	u32 linger2;
	u32 keepalive_time;
	u32 keepalive_intvl;
	u32 ofo_bytes;
	struct sk_buff_head out_of_order_queue;	/* sorted by seq */
	struct sk_buff *send_head;	/* first unsent skb on sk_write_queue */
	struct timer_list keepalive_timer;	/* also FIN_WAIT2 */
	/* Statistics (TCP_INFO, ss). */
	u64 bytes_acked;
	u64 bytes_received;
	u32 segs_in;
	u32 segs_out;
	u32 total_retrans;
	u32 challenge_count;	/* RFC 5961 §7 throttle */
	u64 challenge_stamp;
	u32 fin_seq;		/* our FIN's sequence, once queued */
	u8 fin_queued:1, linger_on:1;
	u32 lingertime;		/* SO_LINGER seconds (Linux keeps it in sock) */
};

#define TCP_NAGLE_OFF	1
#define TCP_NAGLE_CORK	2

static inline struct tcp_sock *tcp_sk(const struct sock *sk)
{
	return container_of((struct sock *)sk, struct tcp_sock,
			    inet_conn.icsk_inet.sk);
}

static inline struct tcphdr *tcp_hdr(const struct sk_buff *skb)
{
	return (struct tcphdr *)skb_transport_header(skb);
}

static inline u32 tcp_wnd_end(const struct tcp_sock *tp)
{
	return tp->snd_una + tp->snd_wnd;
}

static inline u32 tcp_jiffies32(void)
{
	return (u32)jiffies;
}

/* Congestion control modules (tcp_cong.c, tcp_cubic.c). */
#define TCP_CA_NAME_MAX	16
#define TCP_CA_PRIV_SIZE	64
struct tcp_congestion_ops {
	struct list_head list;
	char name[TCP_CA_NAME_MAX];
	void (*init)(struct sock *sk);
	u32 (*ssthresh)(struct sock *sk);	/* after a loss */
	void (*cong_avoid)(struct sock *sk, u32 ack, u32 acked);
	void (*pkts_acked)(struct sock *sk, u32 acked, s32 rtt_us);
	void (*cwnd_event)(struct sock *sk, int event);
};
#define CA_EVENT_TX_START	0	/* first send after idle */
#define CA_EVENT_LOSS		1	/* RTO */

extern struct tcp_congestion_ops tcp_reno;
int tcp_register_congestion_control(struct tcp_congestion_ops *ca);
int tcp_set_congestion_control(struct sock *sk, const char *name);
void tcp_init_congestion_control(struct sock *sk);
void tcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 acked);
u32 tcp_reno_ssthresh(struct sock *sk);
u32 tcp_slow_start(struct tcp_sock *tp, u32 acked);
void tcp_cong_avoid_ai(struct tcp_sock *tp, u32 w, u32 acked);
void tcp_cubic_register(void);
extern char tcp_default_ca[TCP_CA_NAME_MAX];

/* tcp.c */
extern struct proto tcp_prot;
extern const struct proto_ops inet_stream_ops;
extern long tcp_timewait_len;	/* jiffies; tests shorten it */
void tcp_init(void);
void tcp_set_state(struct sock *sk, int state);
int tcp_init_sock(struct sock *sk);
void tcp_done(struct sock *sk);
void tcp_close(struct sock *sk, long timeout);
void tcp_shutdown(struct sock *sk, int how);
int tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size);
int tcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int noblock,
		int flags, int *addr_len);
unsigned int tcp_poll(struct file *file, struct socket *sock,
		      struct poll_table_struct *wait);
int tcp_disconnect(struct sock *sk, int flags);
const char *tcp_state_name(int state);
/* The number of live TCP socks, request socks and timewait socks. */
long tcp_live_objects(void);

/* tcp_ack.c */
void tcp_ack(struct sock *sk, const struct sk_buff *skb);

/* tcp_input.c */
int tcp_rcv_state_process(struct sock *sk, struct sk_buff *skb);
void tcp_parse_options(const struct sk_buff *skb,
		       struct tcp_options_received *opt);
void tcp_cleanup_rbuf(struct sock *sk);
void tcp_reset(struct sock *sk);
void tcp_fin(struct sock *sk);

/* tcp_output.c */
int tcp_connect(struct sock *sk);
void tcp_send_ack(struct sock *sk);
void tcp_send_delayed_ack(struct sock *sk);
void tcp_send_fin(struct sock *sk);
void tcp_send_active_reset(struct sock *sk);
int tcp_send_synack(struct sock *sk, struct request_sock *req);
void tcp_v4_send_reset(const struct sk_buff *skb);
void tcp_v4_send_ack(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport,
		     u32 seq, u32 ack, u32 win, u32 tsval, u32 tsecr, bool ts);
void tcp_push(struct sock *sk, int nonagle);
void tcp_write_xmit(struct sock *sk, int nonagle);
int tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb);
void tcp_send_probe0(struct sock *sk);
int tcp_write_wakeup(struct sock *sk);
u32 tcp_select_window(struct sock *sk);
u32 __tcp_select_window(struct sock *sk);
unsigned int tcp_current_mss(struct sock *sk);
unsigned int tcp_sync_mss(struct sock *sk, u32 pmtu);
u16 tcp_mss_for_route(__be32 daddr);
void tcp_select_initial_window(int space, u32 mss, u32 *rcv_wnd,
			       u8 *rcv_wscale);
u32 tcp_time_stamp(void);
void tcp_check_space(struct sock *sk);

/* tcp_timer.c */
void tcp_init_xmit_timers(struct sock *sk);
void tcp_clear_xmit_timers(struct sock *sk);
void tcp_reset_retrans_timer(struct sock *sk, int what, u32 when);
void tcp_rearm_rto(struct sock *sk);
void tcp_reset_keepalive_timer(struct sock *sk, u32 len);
void tcp_delete_keepalive_timer(struct sock *sk);
u32 keepalive_time_when(const struct tcp_sock *tp);
void tcp_set_keepalive(struct sock *sk, int val);

/* tcp_ipv4.c */
int tcp_v4_rcv(struct sk_buff *skb);
void tcp_v4_err(struct sk_buff *skb, int type, int code, u32 info);
int tcp_v4_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len);
int tcp_v4_do_rcv(struct sock *sk, struct sk_buff *skb);
u32 secure_tcp_seq(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport);
void tcp_v4_send_check(struct sk_buff *skb, __be32 saddr, __be32 daddr);
int tcp_v4_conn_request(struct sock *sk, struct sk_buff *skb);
/* The accept queue is full: ListenOverflows, ListenDrops, a rate-limited line. */
void tcp_listen_overflow(struct sock *sk);

/* tcp_diag.c: the monitor's ss; @which: 1 connections, 2 listeners, 3 all. */
void tcp_diag_show(int which, bool info);
void tcp_diag_summary(void);

/* syncookies.c */
u32 cookie_v4_init_sequence(const struct sk_buff *skb, u16 *mss);
struct request_sock *cookie_v4_check(struct sock *sk, struct sk_buff *skb);

/* tcp_sack.c (RFC 2018, RFC 6675) */
void tcp_sack_update_blocks(struct sock *sk);
void tcp_sacktag_write_queue(struct sock *sk, const struct sk_buff *ack);
void tcp_xmit_retransmit_queue(struct sock *sk);
u32 tcp_packets_in_flight(const struct tcp_sock *tp);
void tcp_sack_reset(struct tcp_sock *tp);
void tcp_sack_count_lost(struct sock *sk);

/* tcp_minisocks.c */
struct sock *tcp_check_req(struct sock *sk, struct sk_buff *skb,
			   struct request_sock *req);
struct sock *tcp_create_openreq_child(const struct sock *sk,
				      struct request_sock *req,
				      struct sk_buff *skb);
void tcp_time_wait(struct sock *sk, int state, int timeo);
int tcp_timewait_state_process(struct inet_timewait_sock *tw,
			       struct sk_buff *skb);

#endif
