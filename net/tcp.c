/*
 * TCP's socket side (Linux net/ipv4/tcp.c and af_inet.c's stream ops):
 *   sock->ops (inet_stream_ops) -> sk->sk_prot (tcp_prot): tcp_sendmsg,
 *   tcp_recvmsg (seed 004 §3.2.4), tcp_close, tcp_shutdown, options, poll;
 *   tcp_set_state, through which every state change goes.
 */
#include "net/trace.h"
#include "net/tcp.h"
#include "kernel/poll.h"
#include "kernel/sched.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "net/inet_hashtables.h"
#include "net/inet_timewait_sock.h"
#include "net/net_namespace.h"

long tcp_timewait_len = TCP_TIMEWAIT_LEN;
static long tcp_socks;

static const char *const tcp_state_names[TCP_MAX_STATES] = {
	[TCP_ESTABLISHED] = "ESTAB", [TCP_SYN_SENT] = "SYN-SENT",
	[TCP_SYN_RECV] = "SYN-RECV", [TCP_FIN_WAIT1] = "FIN-WAIT-1",
	[TCP_FIN_WAIT2] = "FIN-WAIT-2", [TCP_TIME_WAIT] = "TIME-WAIT",
	[TCP_CLOSE] = "UNCONN", [TCP_CLOSE_WAIT] = "CLOSE-WAIT",
	[TCP_LAST_ACK] = "LAST-ACK", [TCP_LISTEN] = "LISTEN",
	[TCP_CLOSING] = "CLOSING", [TCP_NEW_SYN_RECV] = "NEW-SYN-RECV",
};

const char *tcp_state_name(int state)
{
	if (state <= 0 || state >= TCP_MAX_STATES)
		return "?";
	return tcp_state_names[state];
}

long tcp_live_objects(void)
{
	return tcp_socks + reqsk_live_count() + inet_twsk_live_count();
}

/**
 * tcp_set_state - every state change. Entering TCP_CLOSE takes the sock
 * out of the lookup tables (seed 004 §2.3) and gives up an implicit port.
 */
void tcp_set_state(struct sock *sk, int state)
{
	int old = sk->sk_state;

	if (state == TCP_CLOSE) {
		if (old == TCP_ESTABLISHED || old == TCP_CLOSE_WAIT)
			TCP_INC_STATS(TCP_MIB_ESTABRESETS);
		inet_unhash(sk);
		if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
			inet_put_port(sk);
	}
	sk->sk_state = (unsigned char)state;
}

static void tcp_write_queue_purge(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	skb_queue_purge(&sk->sk_write_queue);
	sk->sk_wmem_queued = 0;
	tp->send_head = NULL;
	tp->packets_out = 0;
	tp->retrans_out = 0;
	tcp_sack_reset(tp);
}

/* The connection's own reference goes: closed and orphaned. */
static void inet_csk_destroy_sock(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tcp_clear_xmit_timers(sk);
	tcp_write_queue_purge(sk);
	skb_queue_purge(&tp->out_of_order_queue);
	tp->ofo_bytes = 0;
	inet_unhash(sk);
	inet_put_port(sk);
	tcp_socks--;
	sock_put(sk);
}

/* The connection is over (reset, timeout, last ACK): CLOSE, wake the user. */
void tcp_done(struct sock *sk)
{
	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
		TCP_INC_STATS(TCP_MIB_ATTEMPTFAILS);
	tcp_set_state(sk, TCP_CLOSE);
	tcp_clear_xmit_timers(sk);
	sk->sk_shutdown = SHUTDOWN_MASK;
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
	else
		inet_csk_destroy_sock(sk);
}

/* TCP's write space: writers wake when a third of sndbuf is free. */
static void sk_stream_write_space(struct sock *sk)
{
	struct socket_wq *wq = sk->sk_wq;

	if (sk->sk_sndbuf - sk->sk_wmem_queued < sk->sk_wmem_queued / 2)
		return;
	if (sk->sk_socket)
		sk->sk_socket->flags &= ~(1UL << SOCK_NOSPACE);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM |
					   EPOLLWRBAND);
}

int tcp_init_sock(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	skb_queue_head_init(&tp->out_of_order_queue);
	tcp_init_xmit_timers(sk);
	icsk->icsk_rto = TCP_TIMEOUT_INIT;
	tp->snd_cwnd = TCP_INIT_CWND;
	tp->snd_ssthresh = 0x7fffffff;	/* RFC 5681 §3.1: arbitrarily high */
	tp->mss_cache = TCP_MSS_DEFAULT;
	tp->advmss = TCP_MSS_DEFAULT;
	tp->syn_retries = TCP_SYN_RETRIES;
	tp->linger2 = TCP_FIN_TIMEOUT;
	icsk->icsk_ack.quick = 16;
	sk->sk_write_space = sk_stream_write_space;
	sk->sk_backlog_rcv = tcp_v4_do_rcv;
	tcp_init_congestion_control(sk);
	tcp_socks++;
	return 0;
}

/* RFC 9293 §3.10.4: where CLOSE takes each state; true if a FIN is due. */
static bool tcp_close_state(struct sock *sk)
{
	static const u8 next[TCP_MAX_STATES] = {
		[TCP_ESTABLISHED] = TCP_FIN_WAIT1, [TCP_SYN_SENT] = TCP_CLOSE,
		[TCP_SYN_RECV] = TCP_FIN_WAIT1, [TCP_FIN_WAIT1] = TCP_FIN_WAIT1,
		[TCP_FIN_WAIT2] = TCP_FIN_WAIT2, [TCP_CLOSE] = TCP_CLOSE,
		[TCP_CLOSE_WAIT] = TCP_LAST_ACK, [TCP_LAST_ACK] = TCP_LAST_ACK,
		[TCP_LISTEN] = TCP_CLOSE, [TCP_CLOSING] = TCP_CLOSING,
	};
	int old = sk->sk_state, ns = next[old];

	if (ns == TCP_CLOSE)
		tcp_done(sk);
	else
		tcp_set_state(sk, ns);
	return ns != old && ns != TCP_CLOSE;
}

void tcp_shutdown(struct sock *sk, int how)
{
	if (!(how & SEND_SHUTDOWN))
		return;
	if ((1 << sk->sk_state) & (TCPF_STATE(TCP_ESTABLISHED) |
				   TCPF_STATE(TCP_SYN_SENT) |
				   TCPF_STATE(TCP_SYN_RECV) |
				   TCPF_STATE(TCP_CLOSE_WAIT))) {
		if (tcp_close_state(sk))
			tcp_send_fin(sk);
	}
}

/* Bytes the user has not read, dropped at close (RFC 2525 §2.17: RST). */
static u32 tcp_purge_unread(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 unread = tp->rcv_nxt - tp->copied_seq;

	if (sk->sk_shutdown & RCV_SHUTDOWN && unread)
		unread--;	/* the FIN */
	skb_queue_purge(&sk->sk_receive_queue);
	return unread;
}

static bool tcp_closing(const struct sock *sk)
{
	return (1 << sk->sk_state) & (TCPF_STATE(TCP_FIN_WAIT1) |
				      TCPF_STATE(TCP_CLOSING) |
				      TCPF_STATE(TCP_LAST_ACK));
}

/* SO_LINGER with a time: close waits for our FIN's ACK (Linux sk_stream_wait_close). */
static void sk_stream_wait_close(struct sock *sk, long timeout)
{
	DEFINE_WAIT(wait);

	while (timeout && tcp_closing(sk)) {
		prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
		sk_wait_event(sk, &timeout, !tcp_closing(sk), &wait);
	}
	finish_wait(sk_sleep(sk), &wait);
}

/**
 * tcp_close - the user closed the socket: FIN (or RST if data was left
 * unread or SO_LINGER is 0), then the orphaned sock lives on until the
 * state machine reaches CLOSE.
 */
void tcp_close(struct sock *sk, long timeout)
{
	(void)timeout;
	sock_hold(sk);
	lock_sock(sk);
	sk->sk_shutdown = SHUTDOWN_MASK;
	if (sk->sk_state == TCP_LISTEN) {
		tcp_set_state(sk, TCP_CLOSE);
		inet_csk_listen_stop(sk);
	} else if (tcp_purge_unread(sk) && sk->sk_state != TCP_CLOSE) {
		tcp_send_active_reset(sk);	/* RFC 2525 §2.17 */
		tcp_set_state(sk, TCP_CLOSE);
	} else if (tcp_sk(sk)->linger_on && !tcp_sk(sk)->lingertime) {
		tcp_disconnect(sk, 0);		/* SO_LINGER 0: abort with RST */
	} else if (sk->sk_state != TCP_CLOSE && tcp_close_state(sk)) {
		tcp_send_fin(sk);
	}
	if (tcp_sk(sk)->linger_on && sk->sk_wq)
		sk_stream_wait_close(sk, (long)tcp_sk(sk)->lingertime * HZ);
	sock_orphan(sk);
	if (sk->sk_state == TCP_FIN_WAIT2)
		tcp_reset_keepalive_timer(sk, tcp_sk(sk)->linger2);
	if (sk->sk_state == TCP_CLOSE)
		inet_csk_destroy_sock(sk);
	release_sock(sk);
	sock_put(sk);
}

/* connect(AF_UNSPEC): abort and return to CLOSE, ready for reuse. */
int tcp_disconnect(struct sock *sk, int flags)
{
	struct inet_sock *inet = inet_sk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	int old = sk->sk_state;

	(void)flags;
	if (old != TCP_CLOSE)
		tcp_set_state(sk, TCP_CLOSE);
	if (old == TCP_LISTEN)
		inet_csk_listen_stop(sk);
	else if (old != TCP_CLOSE && old != TCP_SYN_SENT)
		tcp_send_active_reset(sk);
	else if (old == TCP_SYN_SENT)
		sk->sk_err = ECONNRESET;
	tcp_clear_xmit_timers(sk);
	skb_queue_purge(&sk->sk_receive_queue);
	tcp_write_queue_purge(sk);
	skb_queue_purge(&tp->out_of_order_queue);
	tp->ofo_bytes = 0;
	inet->inet_dport = 0;
	inet->inet_daddr = 0;
	sk->sk_shutdown = 0;
	sock_reset_flag(sk, SOCK_DONE);
	tp->srtt_us = 0;
	tp->snd_cwnd = TCP_INIT_CWND;
	inet_csk(sk)->icsk_rto = TCP_TIMEOUT_INIT;
	inet_csk(sk)->icsk_backoff = 0;
	sk->sk_error_report(sk);
	return 0;
}

/* Wait for a connection in progress to open (Linux sk_stream_wait_connect). */
static int sk_stream_wait_connect(struct sock *sk, long *timeo)
{
	DEFINE_WAIT(wait);

	for (;;) {
		if (sk->sk_err)
			return sock_error(sk);
		if (!((1 << sk->sk_state) & (TCPF_STATE(TCP_SYN_SENT) |
					     TCPF_STATE(TCP_SYN_RECV))))
			return -EPIPE;
		if (!*timeo)
			return -EAGAIN;
		prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
		sk_wait_event(sk, timeo, sk->sk_err ||
			      !((1 << sk->sk_state) & (TCPF_STATE(TCP_SYN_SENT) |
						       TCPF_STATE(TCP_SYN_RECV))),
			      &wait);
		finish_wait(sk_sleep(sk), &wait);
		if (sk->sk_state == TCP_ESTABLISHED ||
		    sk->sk_state == TCP_CLOSE_WAIT)
			return 0;
	}
}

static bool sk_stream_memory_free(const struct sock *sk)
{
	return sk->sk_wmem_queued < sk->sk_sndbuf;
}

/*
 * Wait for send-buffer room; sk_write_space wakes us (Linux
 * sk_stream_wait_memory). When the buffer has room but no skb could be had
 * (the skb memory cap, or the allocator), no event will come for this
 * socket: as Linux, sleep a short while (vm_wait, at most HZ / 5) and let
 * the caller try again, charging the sleep to the caller's timeout.
 */
static int sk_stream_wait_memory(struct sock *sk, long *timeo)
{
	long vm_wait = 0, current_timeo = *timeo;
	DEFINE_WAIT(wait);

	if (!*timeo)
		return -EAGAIN;
	if (sk_stream_memory_free(sk))
		current_timeo = vm_wait = HZ / 5;
	sk->sk_socket->flags |= 1UL << SOCK_NOSPACE;
	prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
	sk_wait_event(sk, &current_timeo, sk->sk_err ||
		      (sk->sk_shutdown & SEND_SHUTDOWN) ||
		      (!vm_wait && sk_stream_memory_free(sk)), &wait);
	finish_wait(sk_sleep(sk), &wait);
	if (vm_wait) {
		vm_wait -= current_timeo;	/* slept */
		current_timeo = *timeo;
		if (current_timeo != MAX_SCHEDULE_TIMEOUT) {
			current_timeo -= vm_wait;
			if (current_timeo <= 0)
				current_timeo = 0;
		}
	}
	*timeo = current_timeo;
	if (sk->sk_err)
		return sock_error(sk);
	if (sk->sk_shutdown & SEND_SHUTDOWN)
		return -EPIPE;
	return 0;
}

/* RFC 5681 §4.1 / RFC 7661: after an idle RTO, restart from the initial window. */
static void tcp_slow_start_after_idle_check(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->packets_out || tcp_jiffies32() - tp->lsndtime <= icsk->icsk_rto)
		return;
	if (icsk->icsk_ca_ops->cwnd_event)
		icsk->icsk_ca_ops->cwnd_event(sk, CA_EVENT_TX_START);
	tp->snd_ssthresh = max(tp->snd_ssthresh, tp->snd_cwnd * 3 / 4);
	tp->snd_cwnd = min_t(u32, tp->snd_cwnd, TCP_INIT_CWND);
}

/* The write queue's tail, if it is unsent and has room for more. */
static struct sk_buff *tcp_write_tail_room(struct sock *sk, unsigned int mss)
{
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);

	if (!skb || !tcp_sk(sk)->send_head ||
	    (TCP_SKB_CB(skb)->tcp_flags & (TCPHDR_FIN | TCPHDR_SYN)) ||
	    skb->len >= mss || !skb_tailroom(skb))
		return NULL;
	return skb;
}

static struct sk_buff *tcp_new_write_skb(struct sock *sk, unsigned int mss)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = alloc_skb(MAX_HEADER + 60 + mss);

	if (!skb)
		return NULL;
	skb_reserve(skb, MAX_HEADER + 60);
	TCP_SKB_CB(skb)->seq = TCP_SKB_CB(skb)->end_seq = tp->write_seq;
	TCP_SKB_CB(skb)->tcp_flags = 0;
	TCP_SKB_CB(skb)->retrans = 0;
	skb_queue_tail(&sk->sk_write_queue, skb);
	sk->sk_wmem_queued += (int)skb->truesize;
	if (!tp->send_head)
		tp->send_head = skb;
	return skb;
}

/* Copy up to @left bytes of @msg into the write queue; bytes copied or -errno. */
static int tcp_copy_to_queue(struct sock *sk, struct msghdr *msg, size_t left,
			     unsigned int mss)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = tcp_write_tail_room(sk, mss);
	unsigned int copy;

	if (!skb) {
		if (!sk_stream_memory_free(sk))
			return 0;
		skb = tcp_new_write_skb(sk, mss);
		if (!skb)
			return -ENOBUFS;
	}
	copy = min_t(unsigned int, (unsigned int)left,
		     min(mss - skb->len, skb_tailroom(skb)));
	if (memcpy_from_msg(skb_put(skb, copy), msg, (int)copy)) {
		skb_trim(skb, skb->len - copy);
		return -EFAULT;
	}
	TCP_SKB_CB(skb)->end_seq += copy;
	tp->write_seq += copy;
	return (int)copy;
}

/**
 * tcp_sendmsg - copy the user's data into MSS-sized skbs on the write
 * queue and push; block for send-buffer room (sk_write_space wakes).
 */
int tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)
{
	struct tcp_sock *tp = tcp_sk(sk);
	long timeo = sock_sndtimeo(sk, msg->msg_flags & MSG_DONTWAIT);
	size_t copied = 0;
	int err = 0, n;

	net_trace_sk(sk, "copying from the user into MSS-sized skbs");
	lock_sock(sk);
	if (!((1 << sk->sk_state) & (TCPF_STATE(TCP_ESTABLISHED) |
				     TCPF_STATE(TCP_CLOSE_WAIT)))) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto out_err;
	}
	tcp_slow_start_after_idle_check(sk);
	while (copied < size) {
		err = -EPIPE;
		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
			goto out_err;
		n = tcp_copy_to_queue(sk, msg, size - copied, tcp_current_mss(sk));
		/*
		 * Out of skb memory, a non-blocking sender hears it at once
		 * (Linux says -EAGAIN, but it guarantees each socket a minimum
		 * so that poll and send agree; we have none, and -EAGAIN with
		 * EPOLLOUT still set would have a poller spin). A blocking one
		 * waits for memory, as on Linux.
		 */
		if (n < 0 && (n != -ENOBUFS || !timeo)) {
			err = n;
			goto out_err;
		}
		if (n > 0) {
			copied += (size_t)n;
			continue;
		}
		/* No room in the send buffer, or no skb memory: wait for either. */
		tcp_push(sk, tp->nonagle);
		err = sk_stream_wait_memory(sk, &timeo);
		if (err)
			goto out_err;
	}
	tcp_push(sk, tp->nonagle);
	release_sock(sk);
	return (int)copied;
out_err:
	if (copied) {
		tcp_push(sk, tp->nonagle);
		release_sock(sk);
		return (int)copied;
	}
	if (sk->sk_err)
		err = sock_error(sk);
	release_sock(sk);
	return err;
}

/* Where the reader stops waiting, as Linux's tcp_recvmsg loop (seed 004 §3.2.4). */
static int tcp_recv_stop(struct sock *sk, int copied, long timeo)
{
	if (copied) {
		if (sk->sk_err || sk->sk_state == TCP_CLOSE ||
		    (sk->sk_shutdown & RCV_SHUTDOWN) || !timeo)
			return 1;
		return 0;
	}
	if (sock_flag(sk, SOCK_DONE))
		return 1;
	if (sk->sk_err)
		return sock_error(sk);
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		return 1;
	if (sk->sk_state == TCP_CLOSE)
		return -ENOTCONN;
	if (!timeo)
		return -EAGAIN;
	return 0;
}

/**
 * tcp_recvmsg - walk sk_receive_queue copying from copied_seq; short of
 * the target (SO_RCVLOWAT, MSG_WAITALL), sleep in sk_wait_data.
 */
int tcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int noblock,
		int flags, int *addr_len)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 peek_seq, *seq;
	struct sk_buff *skb, *tmp;
	int copied = 0, target, stop;
	long timeo;

	(void)addr_len;
	if (flags & MSG_ERRQUEUE)
		return -EAGAIN;	/* Linux: inet_recv_error(); a TCP sock queues none here */
	net_trace_sk(sk, "walking sk_receive_queue");
	lock_sock(sk);
	if (sk->sk_state == TCP_LISTEN) {
		copied = -ENOTCONN;
		goto out;
	}
	if (flags & MSG_OOB) {
		copied = -EINVAL;	/* urgent data is delivered inline */
		goto out;
	}
	timeo = sock_rcvtimeo(sk, noblock);
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, (int)len);
	peek_seq = tp->copied_seq;
	seq = (flags & MSG_PEEK) ? &peek_seq : &tp->copied_seq;
	do {
		u32 offset;

		skb_queue_walk_safe(&sk->sk_receive_queue, skb, tmp) {
			offset = *seq - TCP_SKB_CB(skb)->seq;
			if (offset < skb->len)
				goto found_ok_skb;
			if (!(flags & MSG_PEEK)) {
				skb_unlink(skb, &sk->sk_receive_queue);
				consume_skb(skb);	/* read to its end */
			}
		}
		if (copied >= target)
			break;
		stop = tcp_recv_stop(sk, copied, timeo);
		if (stop) {
			if (stop < 0)
				copied = stop;
			break;
		}
		tcp_cleanup_rbuf(sk);
		sk_wait_data(sk, &timeo, skb_peek_tail(&sk->sk_receive_queue));
		continue;
found_ok_skb: {
		u32 used = min_t(u32, skb->len - offset, (u32)len);

		if (skb_copy_datagram_msg(skb, (int)offset, msg, (int)used)) {
			if (!copied)
				copied = -EFAULT;
			break;
		}
		*seq += used;
		copied += (int)used;
		len -= used;
		if (!(flags & MSG_PEEK) && offset + used == skb->len) {
			skb_unlink(skb, &sk->sk_receive_queue);
			consume_skb(skb);	/* delivered to the reader */
		}
	}
	} while (len > 0);
	tcp_cleanup_rbuf(sk);
out:
	release_sock(sk);
	return copied;
}

static bool tcp_stream_is_readable(const struct sock *sk, int target)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return (int)(tp->rcv_nxt - tp->copied_seq) >= target;
}

/* Linux tcp_poll: readiness for poll/epoll and non-blocking connect. */
unsigned int tcp_poll(struct file *file, struct socket *sock,
		      struct poll_table_struct *wait)
{
	struct sock *sk = sock->sk;
	int state = sk->sk_state;
	unsigned int mask = 0;

	poll_wait(file, &sock->wq.wait, wait);
	if (state == TCP_LISTEN)
		return inet_csk(sk)->icsk_accept_queue.accept_head ?
		       EPOLLIN | EPOLLRDNORM : 0;
	if (sk->sk_shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= EPOLLHUP;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (state != TCP_SYN_SENT && state != TCP_SYN_RECV) {
		if (tcp_stream_is_readable(sk, sock_rcvlowat(sk, 0, 0x7fffffff)))
			mask |= EPOLLIN | EPOLLRDNORM;
		if (sk->sk_shutdown & SEND_SHUTDOWN)
			mask |= EPOLLOUT | EPOLLWRNORM;
		else if (sk->sk_sndbuf - sk->sk_wmem_queued >=
			 sk->sk_wmem_queued / 2)
			mask |= EPOLLOUT | EPOLLWRNORM;
		else
			sock->flags |= 1UL << SOCK_NOSPACE;
	}
	if (sk->sk_err)
		mask |= EPOLLERR;
	return mask;
}
