/*
 * Listening and accepting (Linux net/ipv4/inet_connection_sock.c): the
 * listener's SYN queue of request socks and its accept queue of full,
 * hashed socks; accept() only dequeues (seed 004 §2.1).
 *   listen -> inet_csk_listen_start; SYN -> tcp_v4_conn_request ->
 *   inet_csk_reqsk_queue_hash_add; final ACK -> tcp_check_req ->
 *   inet_csk_reqsk_queue_add; accept -> inet_csk_accept.
 */
#include "net/inet_connection_sock.h"
#include "kernel/sched.h"
#include "kernel/slab.h"
#include "lib/errno.h"
#include "net/inet_hashtables.h"
#include "net/net_namespace.h"
#include "net/tcp.h"

static long reqsk_live;

long reqsk_live_count(void)
{
	return reqsk_live;
}

/* The SYN-ACK retransmission timer of one request sock (Linux reqsk_timer). */
static void reqsk_timer_handler(struct timer_list *t)
{
	struct request_sock *req = from_timer(req, t, rsk_timer);
	struct sock *sk = req->rsk_listener;
	struct net *prev = net_enter(sock_net(sk));

	if (sk->sk_state != TCP_LISTEN || req->num_retrans >= TCP_SYNACK_RETRIES) {
		inet_csk_reqsk_queue_drop(sk, req);
		goto out;
	}
	req->num_retrans++;
	tcp_send_synack(sk, req);
	mod_timer(&req->rsk_timer,
		  jiffies + min_t(u64, (u64)TCP_TIMEOUT_INIT << req->num_retrans,
				  TCP_RTO_MAX));
out:
	net_leave(prev);
}

struct request_sock *inet_reqsk_alloc(struct sock *listener)
{
	struct request_sock *req = kzalloc(sizeof(*req));

	if (!req)
		return NULL;
	req->rsk_listener = listener;
	INIT_LIST_HEAD(&req->list);
	timer_setup(&req->rsk_timer, reqsk_timer_handler, 0);
	reqsk_live++;
	return req;
}

void reqsk_free(struct request_sock *req)
{
	del_timer(&req->rsk_timer);
	kfree(req);
	reqsk_live--;
}

void inet_csk_reqsk_queue_hash_add(struct sock *sk, struct request_sock *req,
				   unsigned long timeout)
{
	struct request_sock_queue *q = &inet_csk(sk)->icsk_accept_queue;

	list_add_tail(&req->list, &q->syn_queue);
	q->qlen++;
	mod_timer(&req->rsk_timer, jiffies + timeout);
}

void inet_csk_reqsk_queue_drop(struct sock *sk, struct request_sock *req)
{
	list_del(&req->list);
	inet_csk(sk)->icsk_accept_queue.qlen--;
	reqsk_free(req);
}

struct request_sock *inet_csk_search_req(struct sock *sk, __be16 rport,
					 __be32 raddr, __be32 laddr)
{
	struct request_sock *req;

	list_for_each_entry(req, &inet_csk(sk)->icsk_accept_queue.syn_queue, list)
		if (req->ir_rmt_port == rport && req->ir_rmt_addr == raddr &&
		    req->ir_loc_addr == laddr)
			return req;
	return NULL;
}

/* The listen backlog bounds both queues (Linux: SYN queue by max_ack_backlog). */
bool inet_csk_reqsk_queue_is_full(const struct sock *sk)
{
	return inet_csk(sk)->icsk_accept_queue.qlen >= sk->sk_max_ack_backlog;
}

bool sk_acceptq_is_full(const struct sock *sk)
{
	return sk->sk_ack_backlog > sk->sk_max_ack_backlog;
}

/* A child completed its handshake: to the tail of the accept queue. */
void inet_csk_reqsk_queue_add(struct sock *sk, struct sock *child)
{
	struct request_sock_queue *q = &inet_csk(sk)->icsk_accept_queue;

	inet_csk(child)->icsk_accept_next = NULL;
	inet_csk(child)->icsk_listener = sk;
	if (q->accept_tail)
		inet_csk(q->accept_tail)->icsk_accept_next = child;
	else
		q->accept_head = child;
	q->accept_tail = child;
	sk->sk_ack_backlog++;
}

static struct sock *reqsk_queue_remove(struct sock *sk)
{
	struct request_sock_queue *q = &inet_csk(sk)->icsk_accept_queue;
	struct sock *child = q->accept_head;

	if (!child)
		return NULL;
	q->accept_head = inet_csk(child)->icsk_accept_next;
	if (!q->accept_head)
		q->accept_tail = NULL;
	inet_csk(child)->icsk_accept_next = NULL;
	inet_csk(child)->icsk_listener = NULL;
	sk->sk_ack_backlog--;
	return child;
}

int inet_csk_listen_start(struct sock *sk, int backlog)
{
	struct request_sock_queue *q = &inet_csk(sk)->icsk_accept_queue;
	int err;

	INIT_LIST_HEAD(&q->syn_queue);
	q->qlen = 0;
	q->accept_head = q->accept_tail = NULL;
	sk->sk_max_ack_backlog = (u32)backlog;
	sk->sk_ack_backlog = 0;
	tcp_set_state(sk, TCP_LISTEN);
	err = sk->sk_prot->get_port(sk, sk->sk_num);
	if (err) {
		sk->sk_state = TCP_CLOSE;
		return err;
	}
	inet_sk(sk)->inet_sport = htons(sk->sk_num);
	return inet_hash(sk);
}

/*
 * The listener closes: drop pending request socks and abort the children
 * nobody accepted (they are reset, as Linux does).
 */
void inet_csk_listen_stop(struct sock *sk)
{
	struct request_sock_queue *q = &inet_csk(sk)->icsk_accept_queue;
	struct request_sock *req, *tmp;
	struct sock *child;

	list_for_each_entry_safe(req, tmp, &q->syn_queue, list)
		inet_csk_reqsk_queue_drop(sk, req);
	while ((child = reqsk_queue_remove(sk)) != NULL) {
		sock_orphan(child);
		tcp_send_active_reset(child);
		tcp_done(child);	/* dead: its last reference goes */
	}
}

static int inet_csk_wait_for_connect(struct sock *sk, long timeo)
{
	DEFINE_WAIT(wait);
	int err;

	for (;;) {
		prepare_to_wait_exclusive(sk_sleep(sk), &wait,
					  TASK_INTERRUPTIBLE);
		release_sock(sk);
		if (!inet_csk(sk)->icsk_accept_queue.accept_head)
			timeo = schedule_timeout(timeo);
		lock_sock(sk);
		err = 0;
		if (inet_csk(sk)->icsk_accept_queue.accept_head)
			break;
		err = -EINVAL;
		if (sk->sk_state != TCP_LISTEN)
			break;
		err = -EAGAIN;
		if (!timeo)
			break;
	}
	finish_wait(sk_sleep(sk), &wait);
	return err;
}

/**
 * inet_csk_accept - dequeue an established child; wait (exclusively) for
 * one unless non-blocking (-EAGAIN). The hash tables are not touched.
 */
struct sock *inet_csk_accept(struct sock *sk, int flags, int *err, bool kern)
{
	struct sock *newsk = NULL;
	int error;

	(void)kern;
	lock_sock(sk);
	error = -EINVAL;
	if (sk->sk_state != TCP_LISTEN)
		goto out;
	if (!inet_csk(sk)->icsk_accept_queue.accept_head) {
		long timeo = sock_rcvtimeo(sk, flags & O_NONBLOCK);

		error = -EAGAIN;
		if (!timeo)
			goto out;
		error = inet_csk_wait_for_connect(sk, timeo);
		if (error)
			goto out;
	}
	newsk = reqsk_queue_remove(sk);
	error = 0;
out:
	release_sock(sk);
	*err = error;
	return newsk;
}

void inet_csk_clear_xmit_timers(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	icsk->icsk_pending = 0;
	icsk->icsk_ack.pending = 0;
	del_timer(&icsk->icsk_retransmit_timer);
	del_timer(&icsk->icsk_delack_timer);
}
