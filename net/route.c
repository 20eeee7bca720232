/*
 * The IPv4 routing table (net/route.h): a short array per namespace,
 * searched by longest prefix. Local and broadcast destinations are
 * recognised before the table.
 */
#include "net/route.h"
#include "kernel/printk.h"
#include "lib/errno.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/net_namespace.h"

static u32 rt_genid = 1;	/* 0 marks an empty rt_cache */

void rt_genid_bump(void)
{
	if (++rt_genid == 0)
		rt_genid = 1;
}

static struct fib_route *fib_table(void)
{
	return net_current()->ipv4.routes;
}

int fib_add_route(__be32 dst, unsigned int prefix, __be32 gw,
		  struct net_device *dev)
{
	struct fib_route *r = fib_table(), *free = NULL;

	if (prefix > 32)
		return -EINVAL;
	dst &= inet_make_mask(prefix);
	for (int i = 0; i < FIB_MAX_ROUTES; i++) {
		if (!r[i].used) {
			if (!free)
				free = &r[i];
			continue;
		}
		if (r[i].dst == dst && r[i].prefix == prefix && r[i].dev == dev) {
			r[i].gw = gw;
			rt_genid_bump();
			return 0;
		}
	}
	if (!free)
		return -ENOSPC;
	*free = (struct fib_route){ .used = true, .dst = dst, .prefix = prefix,
				    .gw = gw, .dev = dev };
	rt_genid_bump();
	return 0;
}

int fib_del_route(__be32 dst, unsigned int prefix, struct net_device *dev)
{
	struct fib_route *r = fib_table();

	dst &= inet_make_mask(prefix);
	for (int i = 0; i < FIB_MAX_ROUTES; i++) {
		if (r[i].used && r[i].dst == dst && r[i].prefix == prefix &&
		    r[i].dev == dev) {
			r[i].used = false;
			rt_genid_bump();
			return 0;
		}
	}
	return -ESRCH;
}

void fib_flush_dev(struct net_device *dev)
{
	struct fib_route *r = fib_table();

	for (int i = 0; i < FIB_MAX_ROUTES; i++)
		if (r[i].used && r[i].dev == dev)
			r[i].used = false;
	rt_genid_bump();
}

int fib_set_default_gw(__be32 gw, struct net_device *dev)
{
	struct fib_route *r = fib_table();

	for (int i = 0; i < FIB_MAX_ROUTES; i++)
		if (r[i].used && r[i].prefix == 0)
			r[i].used = false;
	rt_genid_bump();
	return fib_add_route(0, 0, gw, dev);
}

static const struct fib_route *fib_lookup(__be32 daddr)
{
	const struct fib_route *r = fib_table(), *best = NULL;

	for (int i = 0; i < FIB_MAX_ROUTES; i++) {
		if (!r[i].used || !(r[i].dev->flags & IFF_UP))
			continue;
		if ((daddr & inet_make_mask(r[i].prefix)) != r[i].dst)
			continue;
		if (!best || r[i].prefix > best->prefix)
			best = &r[i];
	}
	return best;
}

static int route_local(__be32 daddr, struct rtable *rt)
{
	struct net_device *lo = net_current()->loopback_dev;

	if (!lo || !(lo->flags & IFF_UP))
		return -ENETUNREACH;
	*rt = (struct rtable){ .dev = lo, .nexthop = daddr, .saddr = daddr,
			       .type = RTN_LOCAL };
	return 0;
}

/* The limited broadcast leaves by @saddr's device, else the default one. */
static int route_broadcast(__be32 saddr, struct rtable *rt)
{
	struct net_device *dev = saddr ? ip_dev_find(saddr) : NULL;

	if (!dev)
		dev = dev_get_default();
	if (!dev || !(dev->flags & IFF_UP))
		return -ENETUNREACH;
	*rt = (struct rtable){ .dev = dev, .nexthop = INADDR_BROADCAST,
			       .saddr = saddr ? saddr : inet_dev_addr(dev),
			       .type = RTN_BROADCAST };
	return 0;
}

int ip_route_output(__be32 daddr, __be32 saddr, struct rtable *rt)
{
	const struct fib_route *r;

	if (daddr == INADDR_BROADCAST)
		return route_broadcast(saddr, rt);
	if (ip_dev_find(daddr) || ipv4_is_loopback(daddr))
		return route_local(daddr, rt);
	r = fib_lookup(daddr);
	if (!r)
		return -ENETUNREACH;
	rt->dev = r->dev;
	rt->nexthop = r->gw ? r->gw : daddr;
	rt->saddr = saddr ? saddr : inet_dev_addr(r->dev);
	rt->type = inet_is_broadcast(r->dev, daddr) ? RTN_BROADCAST : RTN_UNICAST;
	return 0;
}

int ip_route_output_cached(struct rt_cache *c, __be32 daddr, __be32 saddr,
			   struct rtable *rt)
{
	int err;

	if (c->genid == rt_genid && c->daddr == daddr && c->saddr == saddr) {
		*rt = c->rt;
		return 0;
	}
	err = ip_route_output(daddr, saddr, rt);
	if (err) {
		c->genid = 0;
		return err;
	}
	*c = (struct rt_cache){ .rt = *rt, .daddr = daddr, .saddr = saddr,
				.genid = rt_genid };
	return 0;
}

static void print_addr(__be32 a)
{
	kprintf("%-16pI4", &a);
}

void fib_print(void)
{
	const struct fib_route *r = fib_table();

	kprintf("Destination     Gateway         Genmask         Iface\n");
	for (int i = 0; i < FIB_MAX_ROUTES; i++) {
		__be32 mask;

		if (!r[i].used)
			continue;
		mask = inet_make_mask(r[i].prefix);
		print_addr(r[i].dst);
		print_addr(r[i].gw);
		print_addr(mask);
		kprintf("%s\n", r[i].dev->name);
	}
}
