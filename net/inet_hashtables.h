/*
 * tcp_hashinfo (seed 004 §2, Linux include/net/inet_hashtables.h): the
 * established hash keyed by the 4-tuple under a secret drawn at boot, the
 * listening hash keyed by port, and the bind hash that records which socks
 * own each local port. One table for every namespace, as Linux: entries
 * match only socks of the current namespace (sock_net).
 *   tcp_v4_rcv -> __inet_lookup_skb -> __inet_lookup_established
 *                                   -> __inet_lookup_listener
 */
#ifndef NET_INET_HASHTABLES_H
#define NET_INET_HASHTABLES_H

#include "lib/siphash.h"
#include "lib/list.h"
#include "net/sock.h"

#define INET_EHASH_SIZE		1024
#define INET_LHASH_SIZE		32
#define INET_BHASH_SIZE		256

/* Linux's ip_local_port_range default. */
#define INET_PORT_LOW		32768
#define INET_PORT_HIGH		60999

/* The owners of one local port in one namespace. */
struct inet_bind_bucket {
	struct net *net;
	u16 port;
	s8 fastreuse;		/* -1: made by connect(), not bind() */
	struct hlist_node node;
	struct hlist_head owners;	/* socks and timewait socks, by skc_bind_node */
};

struct inet_hashinfo {
	struct hlist_head ehash[INET_EHASH_SIZE];
	struct hlist_head lhash[INET_LHASH_SIZE];
	struct hlist_head bhash[INET_BHASH_SIZE];
	siphash_key_t ehash_secret;	/* drawn at boot: buckets cannot be aimed at */
	bool ready;
};

extern struct inet_hashinfo tcp_hashinfo;

void inet_hashinfo_init(struct inet_hashinfo *h);
u32 inet_ehashfn(__be32 laddr, u16 lport, __be32 faddr, __be16 fport);
struct sock *__inet_lookup_established(__be32 saddr, __be16 sport,
				       __be32 daddr, u16 hnum);
struct sock *__inet_lookup_listener(__be32 saddr, __be16 sport, __be32 daddr,
				    u16 hnum);
struct sock *__inet_lookup(__be32 saddr, __be16 sport, __be32 daddr, u16 hnum);
bool inet_ehash_insert(struct sock *sk);
void inet_ehash_remove(struct sock *sk);
int inet_hash(struct sock *sk);
void inet_unhash(struct sock *sk);
int inet_csk_get_port(struct sock *sk, unsigned short snum);
int inet_hash_connect(struct sock *sk);
void inet_put_port(struct sock *sk);
int __inet_inherit_port(const struct sock *sk, struct sock *child);
void inet_bind_hash(struct sock *sk, struct inet_bind_bucket *tb, u16 port);
struct inet_bind_bucket *inet_bind_bucket_find(struct net *net, u16 port);
long inet_bind_bucket_count(void);

#endif
