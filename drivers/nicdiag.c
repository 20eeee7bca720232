/*
 * NIC diagnostics for the monitor, in a stable text form tests parse:
 * `nicstat` dumps every device's counters and rings and the live skb
 * count; `failskb N` makes the next N skb allocations fail, so a test can
 * drain a receive ring and watch the driver recover.
 */
#include "kernel/monitor.h"
#include "kernel/printk.h"
#include "lib/cmdline.h"
#include "net/netdevice.h"
#include "net/skbuff.h"

static void nicstat_dev(struct net_device *dev)
{
	const struct net_device_stats *s = &dev->stats;
	char ring[160] = "";

	kprintf("%s: carrier %d rx_packets %lu rx_bytes %lu rx_dropped %lu rx_errors %lu"
		" rx_nobuf %lu rx_missed %lu\n", dev->name, netif_carrier_ok(dev) ? 1 : 0,
		(unsigned long)s->rx_packets, (unsigned long)s->rx_bytes,
		(unsigned long)s->rx_dropped, (unsigned long)s->rx_errors,
		(unsigned long)s->rx_nobuf, (unsigned long)s->rx_missed_errors);
	kprintf("%s: tx_packets %lu tx_bytes %lu tx_dropped %lu tx_busy %lu"
		" interrupts %lu polls %lu\n", dev->name,
		(unsigned long)s->tx_packets, (unsigned long)s->tx_bytes,
		(unsigned long)s->tx_dropped, (unsigned long)s->tx_busy,
		(unsigned long)s->interrupts, (unsigned long)s->polls);
	if (dev->netdev_ops && dev->netdev_ops->ndo_ring_info)
		dev->netdev_ops->ndo_ring_info(dev, ring, sizeof(ring));
	kprintf("%s: %s features%s%s%s%s\n", dev->name, ring,
		dev->features & NETIF_F_IP_CSUM ? " tx-csum" : "",
		dev->features & NETIF_F_RXCSUM ? " rx-csum" : "",
		dev->features & NETIF_F_TSO ? " tso" : "",
		dev->features & NETIF_F_LRO ? " lro" : "");
}

static int cmd_nicstat(int argc, char **argv)
{
	struct net_device *dev;

	(void)argc;
	(void)argv;
	for_each_netdev(dev)
		if (!(dev->flags & IFF_LOOPBACK))
			nicstat_dev(dev);
	kprintf("skb live %lu bytes %lu\n", (unsigned long)skb_live_count(),
		(unsigned long)skb_live_bytes());
	return 0;
}
DEFINE_MONITOR_CMD(nicstat, cmd_nicstat, "NIC counters, rings and live skbs (stable form)");

static int cmd_failskb(int argc, char **argv)
{
	unsigned long n;

	if (argc != 2 || kstrtoul(argv[1], 10, &n)) {
		kprintf("usage: failskb N   (fail the next N skb allocations)\n");
		return -1;
	}
	skb_fail_next((unsigned int)n);
	kprintf("failskb: the next %lu skb allocations fail\n", n);
	return 0;
}
DEFINE_MONITOR_CMD(failskb, cmd_failskb, "fault injection: fail the next N skb allocations");
