/*
 * Timewait socks (net/inet_timewait_sock.h): made from a full sock by
 * tcp_time_wait(), freed by their timer (tcp_time_wait_kill in seed 004
 * §2.4's table) or when a new connection reuses the 4-tuple.
 */
#include "net/inet_timewait_sock.h"
#include "kernel/slab.h"
#include "net/inet_hashtables.h"
#include "net/inet_sock.h"
#include "net/net_namespace.h"
#include "net/tcp_states.h"

static struct kmem_cache *tw_cache;
static long tw_live;
static long tw_max = TCP_MAX_TW_BUCKETS_DEFAULT;

long inet_twsk_live_count(void)
{
	return tw_live;
}

void inet_twsk_set_max_buckets(long n)
{
	tw_max = n;
}

long inet_twsk_max_buckets(void)
{
	return tw_max;
}

static void tw_timer_handler(struct timer_list *t)
{
	struct inet_timewait_sock *tw = from_timer(tw, t, tw_timer);
	struct net *prev = net_enter(tw->tw_net);

	inet_twsk_deschedule_put(tw);
	net_leave(prev);
}

struct inet_timewait_sock *inet_twsk_alloc(const struct sock *sk, int state)
{
	struct inet_timewait_sock *tw;

	if (tw_live >= tw_max)
		return NULL;
	if (!tw_cache)
		tw_cache = kmem_cache_create("tw_sock", sizeof(*tw), 8);
	tw = tw_cache ? kmem_cache_zalloc(tw_cache) : NULL;
	if (!tw)
		return NULL;
	tw->__tw_common = sk->__sk_common;
	INIT_HLIST_NODE(&tw->__tw_common.skc_node);
	INIT_HLIST_NODE(&tw->__tw_common.skc_bind_node);
	tw->tw_state = TCP_TIME_WAIT;
	tw->tw_substate = (u8)state;
	tw->tw_sport = inet_sk(sk)->inet_sport;
	tw->__tw_common.skc_refcnt = 1;
	timer_setup(&tw->tw_timer, tw_timer_handler, 0);
	tw_live++;
	return tw;
}

/* Take @sk's places: its ehash chain and its port's owners. */
void inet_twsk_hashdance(struct inet_timewait_sock *tw, struct sock *sk,
			 long timeo)
{
	struct inet_bind_bucket *tb = inet_bind_bucket_find(sock_net(sk),
							    sk->sk_num);

	if (tb)
		hlist_add_head(&tw->__tw_common.skc_bind_node, &tb->owners);
	inet_ehash_remove(sk);
	inet_ehash_insert((struct sock *)tw);
	inet_twsk_reschedule(tw, timeo);
}

void inet_twsk_reschedule(struct inet_timewait_sock *tw, long timeo)
{
	mod_timer(&tw->tw_timer, jiffies + (u64)timeo);
}

void inet_twsk_deschedule_put(struct inet_timewait_sock *tw)
{
	struct sock *sk = (struct sock *)tw;

	del_timer(&tw->tw_timer);
	inet_ehash_remove(sk);
	inet_put_port(sk);
	kmem_cache_free(tw_cache, tw);
	tw_live--;
}
