/*
 * Fake network devices and the test fixtures around them
 * (tests/host/netsim.h). A fake device receives through real NAPI: an
 * injected frame waits on rxq, napi_schedule() raises NET_RX, and the
 * poll hands it to netif_receive_skb as a driver would.
 */
#include <stdio.h>
#include <string.h>

#include "tests/host/netsim.h"
#include "kernel/softirq.h"
#include "net/dev.h"
#include "net/stack.h"
#include "tests/host/platform.h"

void netsim_reset(void)
{
	struct net *net, *tmp;

	host_platform_reset();
	net_core_init_once();
	list_for_each_entry_safe(net, tmp, &net_namespace_list, list)
		if (net != &init_net)
			net_destroy(net);
	net_reset_init_net();
	memset(skb_drop_counts, 0, sizeof(u64) * SKB_DROP_REASON_MAX);
}

void netsim_teardown(void)
{
	struct net *net, *tmp;

	do_softirq();
	sim_links_destroy_all();
	list_for_each_entry_safe(net, tmp, &net_namespace_list, list)
		if (net != &init_net)
			net_destroy(net);
	net_destroy(&init_net);
}

static int fake_poll(struct napi_struct *napi, int budget)
{
	struct fake_dev *fd = netdev_priv(napi->dev);
	struct sk_buff *skb;
	int work = 0;

	while (work < budget && (skb = skb_dequeue(&fd->rxq))) {
		netif_receive_skb(skb);
		work++;
	}
	if (work < budget)
		napi_complete_done(napi, work);
	return work;
}

void sim_link_xmit(struct sim_link *link, int end, struct sk_buff *skb);

static netdev_tx_t fake_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct fake_dev *fd = netdev_priv(dev);

	if (fd->tx_ring) {
		if (fd->tx_in_ring >= fd->tx_ring) {
			netif_stop_queue(dev);
			return NETDEV_TX_BUSY;
		}
		if (++fd->tx_in_ring == fd->tx_ring)
			netif_stop_queue(dev);
	}
	if (fd->link)
		sim_link_xmit(fd->link, fd->link_end, skb);
	else
		skb_queue_tail(&fd->txq, skb);
	return NETDEV_TX_OK;
}

static int fake_stop(struct net_device *dev)
{
	struct fake_dev *fd = netdev_priv(dev);

	skb_queue_purge(&fd->rxq);
	skb_queue_purge(&fd->txq);
	return 0;
}

static int fake_ring_info(struct net_device *dev, char *buf, size_t len)
{
	struct fake_dev *fd = netdev_priv(dev);

	return snprintf(buf, len, "fake tx ring %u/%u", fd->tx_in_ring, fd->tx_ring);
}

static const struct net_device_ops fake_ops = {
	.ndo_stop = fake_stop,
	.ndo_start_xmit = fake_xmit,
	.ndo_ring_info = fake_ring_info,
};

struct net_device *fakedev_create(const u8 mac[ETH_ALEN])
{
	struct net_device *dev = alloc_etherdev(sizeof(struct fake_dev));
	struct fake_dev *fd;

	if (!dev)
		return NULL;
	fd = netdev_priv(dev);
	fd->dev = dev;
	fd->net = net_current();
	skb_queue_head_init(&fd->rxq);
	skb_queue_head_init(&fd->txq);
	memcpy(dev->dev_addr, mac, ETH_ALEN);
	dev->netdev_ops = &fake_ops;
	netif_napi_add(dev, &fd->napi, fake_poll, NAPI_POLL_WEIGHT);
	if (register_netdev(dev)) {
		free_netdev(dev);
		return NULL;
	}
	dev_open(dev);
	netif_carrier_on(dev);
	return dev;
}

void fakedev_inject(struct net_device *dev, const void *frame, unsigned int len)
{
	struct fake_dev *fd = netdev_priv(dev);
	struct net *prev = net_enter(fd->net);
	struct sk_buff *skb = netdev_alloc_skb(dev, len);

	if (skb) {
		skb_put_data(skb, frame, len);
		skb_queue_tail(&fd->rxq, skb);
		napi_schedule(&fd->napi);
	}
	net_leave(prev);
	do_softirq();
}

struct sk_buff *fakedev_pop_tx(struct net_device *dev)
{
	struct fake_dev *fd = netdev_priv(dev);

	return skb_dequeue(&fd->txq);
}

unsigned int fakedev_tx_len(struct net_device *dev)
{
	struct fake_dev *fd = netdev_priv(dev);

	return skb_queue_len(&fd->txq);
}

void fakedev_flush_tx(struct net_device *dev)
{
	struct fake_dev *fd = netdev_priv(dev);
	struct sk_buff *skb;

	while ((skb = skb_dequeue(&fd->txq)))
		consume_skb(skb);
}

void fakedev_set_tx_ring(struct net_device *dev, unsigned int n)
{
	struct fake_dev *fd = netdev_priv(dev);

	fd->tx_ring = n;
	fd->tx_in_ring = 0;
}

void fakedev_complete_tx(struct net_device *dev, unsigned int n)
{
	struct fake_dev *fd = netdev_priv(dev);

	fd->tx_in_ring -= n < fd->tx_in_ring ? n : fd->tx_in_ring;
	netif_wake_queue(dev);
	do_softirq();
}

void netsim_run_ms(u64 ms)
{
	host_clock_advance(ms * 1000000ull);
}
