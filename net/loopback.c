/*
 * The loopback device "lo" (127.0.0.1/8): what is sent on it is received
 * on it, through netif_rx() so the receive path runs from the softirq, not
 * inside the sender's call.
 */
#include "net/loopback.h"
#include "kernel/time.h"
#include "lib/errno.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/net_namespace.h"

#define LOOPBACK_MTU	65536

static netdev_tx_t loopback_xmit(struct sk_buff *skb, struct net_device *dev)
{
	skb->tstamp = ktime_get();
	skb->dev = dev;
	skb->sk = NULL;
	skb->destructor = NULL;
	netif_rx(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops loopback_ops = {
	.ndo_start_xmit = loopback_xmit,
};

int loopback_net_init(struct net *net)
{
	struct net_device *dev = alloc_netdev(0, "lo");
	int err;

	if (!dev)
		return -ENOMEM;
	dev->flags = IFF_LOOPBACK;
	dev->mtu = LOOPBACK_MTU;
	dev->hard_header_len = ETH_HLEN;
	dev->netdev_ops = &loopback_ops;
	err = register_netdev(dev);
	if (err) {
		free_netdev(dev);
		return err;
	}
	net->loopback_dev = dev;
	netif_carrier_on(dev);
	dev_open(dev);
	return inet_set_address(dev, ip4(127, 0, 0, 1), 8);
}
