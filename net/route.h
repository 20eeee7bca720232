/*
 * IPv4 routing, the small table a host needs: one connected route per
 * configured device and a default gateway. ip_route_output() picks the
 * device, the next hop and the source address for a destination by
 * longest prefix; our own addresses route through loopback.
 */
#ifndef NET_ROUTE_H
#define NET_ROUTE_H

#include "net/netdevice.h"

enum rtn_type {
	RTN_UNICAST,
	RTN_LOCAL,		/* one of our addresses: deliver via loopback */
	RTN_BROADCAST,
};

struct rtable {
	struct net_device *dev;
	__be32 nexthop;		/* the gateway, or the destination on-link */
	__be32 saddr;		/* preferred source */
	enum rtn_type type;
};

/* 0, or -ENETUNREACH when no route matches. */
int ip_route_output(__be32 daddr, __be32 saddr, struct rtable *rt);

/*
 * A socket's cached route (Linux's sk_dst_cache): the answer for one
 * (daddr, saddr), good while no route, address or device state has changed
 * since, which rt_genid_bump() records (Linux: rt_genid and dst_check()).
 * Linux keeps a generation per namespace; one for all is simpler and only
 * costs a lookup now and then. A zeroed cache is empty.
 */
struct rt_cache {
	struct rtable rt;
	__be32 daddr, saddr;
	u32 genid;		/* 0: empty */
};

int ip_route_output_cached(struct rt_cache *c, __be32 daddr, __be32 saddr,
			   struct rtable *rt);
/* Every cached route is stale: a route, an address or a device changed. */
void rt_genid_bump(void);
/* Add a route for @dst/@prefix via @gw (0: connected) on @dev. */
int fib_add_route(__be32 dst, unsigned int prefix, __be32 gw,
		  struct net_device *dev);
int fib_del_route(__be32 dst, unsigned int prefix, struct net_device *dev);
/* Forget every route through @dev. */
void fib_flush_dev(struct net_device *dev);
/* Replace the default route. */
int fib_set_default_gw(__be32 gw, struct net_device *dev);
/* The route table as `route` prints it. */
void fib_print(void);

#endif
