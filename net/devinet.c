/*
 * IPv4 addresses on devices (net/inetdevice.h). One address per device;
 * the connected route follows it, and the in_device goes away with the
 * device (NETDEV_UNREGISTER).
 */
#include "net/inetdevice.h"
#include "kernel/slab.h"
#include "lib/errno.h"
#include "net/arp.h"
#include "net/dev.h"
#include "net/ip.h"
#include "net/route.h"

static void inet_drop_routes(struct in_device *in)
{
	__be32 net = in->ifa_address & in->ifa_mask;

	fib_del_route(net, in->ifa_prefixlen, in->dev);
}

int inet_set_address(struct net_device *dev, __be32 addr, unsigned int prefix)
{
	struct in_device *in = dev->ip_ptr;
	int err;

	if (prefix > 32 || ipv4_is_multicast(addr) || addr == INADDR_BROADCAST)
		return -EINVAL;
	if (!in) {
		in = kzalloc(sizeof(*in));
		if (!in)
			return -ENOMEM;
		in->dev = dev;
		dev->ip_ptr = in;
	} else if (in->ifa_address) {
		inet_drop_routes(in);
	}
	in->ifa_address = addr;
	rt_genid_bump();		/* our addresses route via loopback */
	in->ifa_prefixlen = prefix;
	in->ifa_mask = inet_make_mask(prefix);
	in->ifa_broadcast = prefix < 31 ? (addr | ~in->ifa_mask) : 0;
	err = fib_add_route(addr & in->ifa_mask, prefix, 0, dev);
	if (err)
		return err;
	arp_announce(dev);
	return 0;
}

void inet_clear_address(struct net_device *dev)
{
	struct in_device *in = dev->ip_ptr;

	if (!in)
		return;
	fib_flush_dev(dev);
	dev->ip_ptr = NULL;
	kfree(in);
}

struct net_device *ip_dev_find(__be32 addr)
{
	struct net_device *dev;

	for_each_netdev(dev)
		if (dev->ip_ptr && dev->ip_ptr->ifa_address == addr)
			return dev;
	return NULL;
}

bool inet_is_broadcast(const struct net_device *dev, __be32 addr)
{
	const struct in_device *in = dev->ip_ptr;

	if (addr == INADDR_BROADCAST)
		return true;
	return in && in->ifa_broadcast && addr == in->ifa_broadcast;
}

static void devinet_event(struct notifier_block *nb, enum netdev_event ev,
			  struct net_device *dev)
{
	(void)nb;
	if (ev == NETDEV_UP || ev == NETDEV_DOWN)
		rt_genid_bump();	/* fib_lookup() passes over devices that are down */
	if (ev == NETDEV_UNREGISTER)
		inet_clear_address(dev);
}

static struct notifier_block devinet_notifier = {
	.notifier_call = devinet_event,
};

void devinet_init(void)
{
	register_netdevice_notifier(&devinet_notifier);
}
