/*
 * tcp_hashinfo (net/inet_hashtables.h): lookup of arriving segments,
 * insertion on connect and on the handshake's last ACK, port ownership for
 * bind() and ephemeral ports for connect() (Linux inet_hashtables.c and
 * inet_connection_sock.c's inet_csk_get_port).
 */
#include "net/inet_hashtables.h"
#include "kernel/random.h"
#include "kernel/slab.h"
#include "lib/byteorder.h"
#include "lib/errno.h"
#include "net/inet_sock.h"
#include "net/inet_timewait_sock.h"
#include "net/net_namespace.h"
#include "net/tcp_states.h"

struct inet_hashinfo tcp_hashinfo;
static long bind_buckets;

void inet_hashinfo_init(struct inet_hashinfo *h)
{
	if (h->ready)
		return;
	h->ready = true;
	get_random_bytes(&h->ehash_secret, sizeof(h->ehash_secret));
}

u32 inet_ehashfn(__be32 laddr, u16 lport, __be32 faddr, __be16 fport)
{
	struct {
		__be32 laddr, faddr;
		u16 lport;
		__be16 fport;
	} __packed tuple = { laddr, faddr, lport, fport };

	return hsiphash(&tuple, sizeof(tuple), &tcp_hashinfo.ehash_secret);
}

static struct hlist_head *ehash_bucket(__be32 laddr, u16 lport, __be32 faddr,
				       __be16 fport)
{
	u32 h = inet_ehashfn(laddr, lport, faddr, fport);

	return &tcp_hashinfo.ehash[h & (INET_EHASH_SIZE - 1)];
}

static bool inet_match(const struct sock_common *sk, __be32 saddr,
		       __be16 sport, __be32 daddr, u16 hnum)
{
	return sk->skc_net == net_current() && sk->skc_num == hnum &&
	       sk->skc_dport == sport && sk->skc_daddr == saddr &&
	       sk->skc_rcv_saddr == daddr;
}

/* @saddr/@sport are the segment's source (the peer), @daddr/@hnum ours. */
struct sock *__inet_lookup_established(__be32 saddr, __be16 sport,
				       __be32 daddr, u16 hnum)
{
	struct hlist_head *head = ehash_bucket(daddr, hnum, saddr, sport);
	struct sock_common *skc;

	hlist_for_each_entry(skc, head, skc_node)
		if (inet_match(skc, saddr, sport, daddr, hnum))
			return (struct sock *)skc;
	return NULL;
}

/* The best listener: an exact local address beats the wildcard. */
struct sock *__inet_lookup_listener(__be32 saddr, __be16 sport, __be32 daddr,
				    u16 hnum)
{
	struct hlist_head *head = &tcp_hashinfo.lhash[hnum % INET_LHASH_SIZE];
	struct sock *sk, *wild = NULL;

	(void)saddr;
	(void)sport;
	hlist_for_each_entry(sk, head, sk_node) {
		if (sock_net(sk) != net_current() || sk->sk_num != hnum)
			continue;
		if (sk->sk_rcv_saddr == daddr)
			return sk;
		if (!sk->sk_rcv_saddr)
			wild = sk;
	}
	return wild;
}

struct sock *__inet_lookup(__be32 saddr, __be16 sport, __be32 daddr, u16 hnum)
{
	struct sock *sk = __inet_lookup_established(saddr, sport, daddr, hnum);

	return sk ? sk : __inet_lookup_listener(saddr, sport, daddr, hnum);
}

/* Insert @sk by its 4-tuple; false if the tuple is taken (seed 004 §2.2). */
bool inet_ehash_insert(struct sock *sk)
{
	struct hlist_head *head = ehash_bucket(sk->sk_rcv_saddr, sk->sk_num,
					       sk->sk_daddr, sk->sk_dport);

	if (__inet_lookup_established(sk->sk_daddr, sk->sk_dport,
				      sk->sk_rcv_saddr, sk->sk_num))
		return false;
	hlist_add_head(&sk->sk_node, head);
	return true;
}

void inet_ehash_remove(struct sock *sk)
{
	hlist_del_init(&sk->sk_node);
}

/* listen(): into the listening hash. */
int inet_hash(struct sock *sk)
{
	if (sk->sk_state != TCP_LISTEN)
		return inet_ehash_insert(sk) ? 0 : -EADDRINUSE;
	hlist_add_head(&sk->sk_node,
		       &tcp_hashinfo.lhash[sk->sk_num % INET_LHASH_SIZE]);
	return 0;
}

/* Out of the lookup tables (seed 004 §2.3: on TCP_CLOSE). */
void inet_unhash(struct sock *sk)
{
	hlist_del_init(&sk->sk_node);
}

static struct hlist_head *bhash_head(u16 port)
{
	return &tcp_hashinfo.bhash[port % INET_BHASH_SIZE];
}

struct inet_bind_bucket *inet_bind_bucket_find(struct net *net, u16 port)
{
	struct inet_bind_bucket *tb;

	hlist_for_each_entry(tb, bhash_head(port), node)
		if (tb->net == net && tb->port == port)
			return tb;
	return NULL;
}

static struct inet_bind_bucket *inet_bind_bucket_create(struct net *net,
							u16 port)
{
	struct inet_bind_bucket *tb = kzalloc(sizeof(*tb));

	if (!tb)
		return NULL;
	tb->net = net;
	tb->port = port;
	INIT_HLIST_HEAD(&tb->owners);
	hlist_add_head(&tb->node, bhash_head(port));
	bind_buckets++;
	return tb;
}

static void inet_bind_bucket_destroy(struct inet_bind_bucket *tb)
{
	if (!hlist_empty(&tb->owners))
		return;
	hlist_del_init(&tb->node);
	kfree(tb);
	bind_buckets--;
}

long inet_bind_bucket_count(void)
{
	return bind_buckets;
}

void inet_bind_hash(struct sock *sk, struct inet_bind_bucket *tb, u16 port)
{
	sk->sk_num = port;
	hlist_add_head(&sk->sk_bind_node, &tb->owners);
}

/* Give up the local port: the bucket goes with its last owner. */
void inet_put_port(struct sock *sk)
{
	struct inet_bind_bucket *tb;

	if (hlist_unhashed(&sk->sk_bind_node))
		return;
	tb = inet_bind_bucket_find(sock_net(sk), sk->sk_num);
	hlist_del_init(&sk->sk_bind_node);
	if (tb)
		inet_bind_bucket_destroy(tb);
}

/* An accepted child shares its listener's port. */
int __inet_inherit_port(const struct sock *sk, struct sock *child)
{
	struct inet_bind_bucket *tb = inet_bind_bucket_find(sock_net(sk),
							    sk->sk_num);

	if (!tb)
		return -ENOENT;
	inet_bind_hash(child, tb, sk->sk_num);
	return 0;
}

static bool inet_rcv_saddr_equal(__be32 a, __be32 b)
{
	return !a || !b || a == b;
}

/*
 * Linux's inet_bind_conflict: another owner of the port conflicts unless
 * both set SO_REUSEADDR and the other is not listening, or their local
 * addresses differ, or they are bound to different devices.
 */
static bool inet_bind_conflict(const struct sock *sk,
			       const struct inet_bind_bucket *tb)
{
	struct sock_common *sk2;

	hlist_for_each_entry(sk2, &tb->owners, skc_bind_node) {
		if (sk2 == &sk->__sk_common)
			continue;
		if (sk->sk_bound_dev_if && sk2->skc_bound_dev_if &&
		    sk->sk_bound_dev_if != sk2->skc_bound_dev_if)
			continue;
		if (sk->sk_reuse && sk2->skc_reuse &&
		    sk2->skc_state != TCP_LISTEN)
			continue;
		if (inet_rcv_saddr_equal(sk->sk_rcv_saddr, sk2->skc_rcv_saddr))
			return true;
	}
	return false;
}

/* A random start in the ephemeral range, then every port in turn. */
static u16 inet_pick_port(u32 i, u32 offset)
{
	u32 range = INET_PORT_HIGH - INET_PORT_LOW + 1;

	return (u16)(INET_PORT_LOW + (offset + i) % range);
}

static int inet_csk_find_open_port(struct sock *sk, u16 *port)
{
	u32 range = INET_PORT_HIGH - INET_PORT_LOW + 1;
	u32 offset = get_random_u32();

	for (u32 i = 0; i < range; i++) {
		u16 p = inet_pick_port(i, offset);

		if (!inet_bind_bucket_find(sock_net(sk), p)) {
			*port = p;
			return 0;
		}
	}
	return -EADDRINUSE;
}

/**
 * inet_csk_get_port - bind(): claim @snum (0: any free ephemeral port).
 * -EADDRINUSE when another owner conflicts, as Linux.
 */
int inet_csk_get_port(struct sock *sk, unsigned short snum)
{
	struct inet_bind_bucket *tb;
	u16 port = snum;
	int err;

	if (!port) {
		err = inet_csk_find_open_port(sk, &port);
		if (err)
			return err;
	}
	tb = inet_bind_bucket_find(sock_net(sk), port);
	if (tb && inet_bind_conflict(sk, tb))
		return -EADDRINUSE;
	if (!tb) {
		tb = inet_bind_bucket_create(sock_net(sk), port);
		if (!tb)
			return -ENOMEM;
	}
	if (hlist_unhashed(&sk->sk_bind_node))
		inet_bind_hash(sk, tb, port);
	return 0;
}

/*
 * A port connect() may take for this 4-tuple: free, or already used by
 * other connect()s (never by a bind()) with no live sock or timewait sock
 * on the same 4-tuple.
 */
static bool inet_port_ok_for_connect(struct sock *sk, u16 port,
				     struct inet_bind_bucket **tbp)
{
	struct inet_bind_bucket *tb = inet_bind_bucket_find(sock_net(sk), port);

	*tbp = tb;
	if (!tb)
		return true;
	if (tb->fastreuse >= 0)
		return false;
	return !__inet_lookup_established(sk->sk_daddr, sk->sk_dport,
					  sk->sk_rcv_saddr, port);
}

/**
 * inet_hash_connect - connect(): choose a local port if the sock has none
 * and insert it in the established hash, before the SYN leaves (seed 004
 * §2.1). -EADDRNOTAVAIL when every ephemeral port is taken, as Linux.
 */
int inet_hash_connect(struct sock *sk)
{
	u32 range = INET_PORT_HIGH - INET_PORT_LOW + 1;
	u32 offset = get_random_u32();
	struct inet_bind_bucket *tb;

	if (sk->sk_num)
		return inet_ehash_insert(sk) ? 0 : -EADDRNOTAVAIL;
	for (u32 i = 0; i < range; i++) {
		u16 port = inet_pick_port(i, offset);

		if (!inet_port_ok_for_connect(sk, port, &tb))
			continue;
		if (!tb) {
			tb = inet_bind_bucket_create(sock_net(sk), port);
			if (!tb)
				return -ENOMEM;
			tb->fastreuse = -1;
		}
		inet_bind_hash(sk, tb, port);
		inet_sk(sk)->inet_sport = htons(port);
		inet_ehash_insert(sk);	/* the tuple was checked free above */
		return 0;
	}
	return -EADDRNOTAVAIL;
}
