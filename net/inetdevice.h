/*
 * IPv4 configuration of a device (Linux's in_device with one ifaddr): its
 * address, prefix and broadcast. Setting an address adds the connected
 * route and, on a running device, announces it with gratuitous ARP.
 */
#ifndef NET_INETDEVICE_H
#define NET_INETDEVICE_H

#include "net/netdevice.h"

struct in_device {
	struct net_device *dev;
	__be32 ifa_address;
	__be32 ifa_mask;
	__be32 ifa_broadcast;
	unsigned int ifa_prefixlen;
};

static inline struct in_device *__in_dev_get(const struct net_device *dev)
{
	return dev->ip_ptr;
}

/* The device's address in network order, or 0. */
static inline __be32 inet_dev_addr(const struct net_device *dev)
{
	return dev->ip_ptr ? dev->ip_ptr->ifa_address : 0;
}

/* Give @dev the address @addr/@prefix (replacing any). 0 or -errno. */
int inet_set_address(struct net_device *dev, __be32 addr, unsigned int prefix);
void inet_clear_address(struct net_device *dev);
/* The device of the current namespace that owns @addr, or NULL. */
struct net_device *ip_dev_find(__be32 addr);
/* Limited broadcast, or @dev's subnet broadcast. */
bool inet_is_broadcast(const struct net_device *dev, __be32 addr);

void devinet_init(void);

#endif
