/*
 * Monitor commands for the network stack (net/net_monitor.h), all reading
 * the current namespace: devices and their counters, the ARP cache, the
 * routes, the per-layer counters with every drop reason, and the packet
 * trace switch. The stack changes these tables from softirq context, so
 * each command reads them with interrupts off (uniprocessor: no softirq
 * can run meanwhile).
 */
#include "net/net_monitor.h"
#include "kernel/monitor.h"
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "lib/string.h"
#include "net/arp.h"
#include "net/dhcp.h"
#include "net/inet_timewait_sock.h"
#include "net/inetdevice.h"
#include "net/net_namespace.h"
#include "net/route.h"
#include "net/snmp.h"
#include "net/trace.h"

static void print_flags(unsigned int f)
{
	static const struct { unsigned int bit; const char *name; } names[] = {
		{ IFF_UP, "UP" }, { IFF_BROADCAST, "BROADCAST" },
		{ IFF_LOOPBACK, "LOOPBACK" }, { IFF_RUNNING, "RUNNING" },
		{ IFF_PROMISC, "PROMISC" }, { IFF_MULTICAST, "MULTICAST" },
	};
	const char *sep = "";

	kprintf("flags=<");
	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
		if (f & names[i].bit) {
			kprintf("%s%s", sep, names[i].name);
			sep = ",";
		}
	}
	kprintf(">");
}

static void print_dev(struct net_device *dev)
{
	const struct net_device_stats *s = &dev->stats;
	const struct in_device *in = dev->ip_ptr;
	struct dhcp_client *dc = dhcp_client();
	char ring[96];

	kprintf("%s: ", dev->name);
	print_flags(dev->flags);
	kprintf("  mtu %u  ifindex %d\n", dev->mtu, dev->ifindex);
	if (in && in->ifa_address)
		kprintf("        inet %pI4/%u  broadcast %pI4\n", &in->ifa_address,
			in->ifa_prefixlen, &in->ifa_broadcast);
	if (!(dev->flags & IFF_LOOPBACK))
		kprintf("        ether %pM\n", dev->dev_addr);
	if (dc && dc->dev == dev)
		kprintf("        dhcp %s\n", dhcp_state_name(dc->state));
	kprintf("        RX packets %lu  bytes %lu  errors %lu  dropped %lu  multicast %lu\n",
		(unsigned long)s->rx_packets, (unsigned long)s->rx_bytes,
		(unsigned long)s->rx_errors, (unsigned long)s->rx_dropped,
		(unsigned long)s->multicast);
	kprintf("        TX packets %lu  bytes %lu  errors %lu  dropped %lu  busy %lu  backlog %u\n",
		(unsigned long)s->tx_packets, (unsigned long)s->tx_bytes,
		(unsigned long)s->tx_errors, (unsigned long)s->tx_dropped,
		(unsigned long)s->tx_busy, skb_queue_len(&dev->tx_backlog));
	kprintf("        interrupts %lu  polls %lu  rx_nobuf %lu\n",
		(unsigned long)s->interrupts, (unsigned long)s->polls,
		(unsigned long)s->rx_nobuf);
	if (dev->netdev_ops && dev->netdev_ops->ndo_ring_info &&
	    dev->netdev_ops->ndo_ring_info(dev, ring, sizeof(ring)) > 0)
		kprintf("        %s\n", ring);
}

int net_cmd_ifconfig(int argc, char **argv)
{
	struct net_device *dev;
	unsigned long flags;

	if (argc > 1) {
		dev = dev_get_by_name(argv[1]);
		if (!dev) {
			kprintf("ifconfig: %s: no such device\n", argv[1]);
			return -1;
		}
		local_irq_save(flags);
		print_dev(dev);
		local_irq_restore(flags);
		return 0;
	}
	local_irq_save(flags);
	for_each_netdev(dev)
		print_dev(dev);
	local_irq_restore(flags);
	return 0;
}
DEFINE_MONITOR_CMD(ifconfig, net_cmd_ifconfig, "network devices, addresses, counters");

int net_cmd_arp(int argc, char **argv)
{
	unsigned long flags;

	(void)argc;
	(void)argv;
	local_irq_save(flags);
	arp_print();
	local_irq_restore(flags);
	return 0;
}
DEFINE_MONITOR_CMD(arp, net_cmd_arp, "the ARP cache");

int net_cmd_route(int argc, char **argv)
{
	unsigned long flags;

	(void)argc;
	(void)argv;
	local_irq_save(flags);
	fib_print();
	local_irq_restore(flags);
	return 0;
}
DEFINE_MONITOR_CMD(route, net_cmd_route, "the IPv4 routing table");

int net_cmd_stats(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	snmp_print();
	kprintf("Limits: skb_mem %lu tw_live %ld tw_max %ld emfile %lu\n",
		(unsigned long)skb_get_mem_limit(), inet_twsk_live_count(),
		inet_twsk_max_buckets(), (unsigned long)files_emfile_count());
	kprintf("Drops:");
	for (int r = SKB_DROP_REASON_NOT_SPECIFIED; r < SKB_DROP_REASON_MAX; r++)
		if (skb_drop_counts[r])
			kprintf(" %s=%lu", skb_drop_reason_name(r),
				(unsigned long)skb_drop_counts[r]);
	kprintf("\nSkbs: live %lu bytes %lu consumed %lu\n",
		(unsigned long)skb_live_count(), (unsigned long)skb_live_bytes(),
		(unsigned long)skb_drop_counts[SKB_CONSUMED]);
	return 0;
}
DEFINE_MONITOR_CMD(stats, net_cmd_stats, "per-layer network counters and drops");

int net_cmd_trace(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "on") || !strcmp(argv[1], "off"))) {
		net_trace_enable(!strcmp(argv[1], "on"));
	} else if (argc != 1) {
		kprintf("usage: trace on|off\n");
		return -1;
	}
	kprintf("packet trace %s\n", net_trace_on ? "on" : "off");
	return 0;
}
DEFINE_MONITOR_CMD(trace, net_cmd_trace, "trace on|off: one line per function a packet passes");
