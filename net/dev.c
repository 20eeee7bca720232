/*
 * Network devices (net/netdevice.h): the device list, bring-up, NAPI and
 * the NET_RX softirq, receive dispatch by EtherType, transmit with the
 * bounded backlog and the NET_TX softirq.
 *
 * Receive path: driver IRQ -> napi_schedule -> net_rx_action ->
 * napi->poll -> netif_receive_skb -> eth_type_trans -> packet_type handler
 * (arp_rcv, ip_rcv).
 *
 * Counting: the stack counts rx/tx packets and bytes here (a frame handed
 * up, a frame the driver accepted) and the drops it makes; drivers count
 * what only they see (errors, rx_nobuf, interrupts, tx_busy).
 */
#include "kernel/printk.h"
#include "net/dev.h"
#include "kernel/panic.h"
#include "kernel/slab.h"
#include "kernel/softirq.h"
#include "lib/byteorder.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "lib/vsprintf.h"
#include "net/net_namespace.h"
#include "net/reflect.h"
#include "net/trace.h"

#define NAPI_STATE_MISSED	1	/* scheduled again while polling */
#define NET_RX_BUDGET		300	/* frames per softirq round, per namespace */

LIST_HEAD(net_devices);
static LIST_HEAD(ptype_base);
static LIST_HEAD(netdev_chain);

void dev_add_pack(struct packet_type *pt)
{
	list_add_tail(&pt->list, &ptype_base);
}

void dev_remove_pack(struct packet_type *pt)
{
	list_del_init(&pt->list);
}

void register_netdevice_notifier(struct notifier_block *nb)
{
	list_add_tail(&nb->list, &netdev_chain);
}

void unregister_netdevice_notifier(struct notifier_block *nb)
{
	list_del_init(&nb->list);
}

static void call_netdevice_notifiers(enum netdev_event ev, struct net_device *dev)
{
	struct notifier_block *nb;

	list_for_each_entry(nb, &netdev_chain, list)
		nb->notifier_call(nb, ev, dev);
}

struct net_device *alloc_netdev(size_t sizeof_priv, const char *name_fmt)
{
	size_t base = ALIGN(sizeof(struct net_device), 16u);
	struct net_device *dev = kzalloc(base + sizeof_priv);

	if (!dev)
		return NULL;
	strlcpy(dev->name, name_fmt, IFNAMSIZ);
	dev->mtu = ETH_DATA_LEN;
	dev->tx_backlog_max = NETDEV_TX_BACKLOG;
	skb_queue_head_init(&dev->tx_backlog);
	INIT_LIST_HEAD(&dev->dev_list);
	dev->priv = sizeof_priv ? (u8 *)dev + base : NULL;
	return dev;
}

struct net_device *alloc_etherdev(size_t sizeof_priv)
{
	struct net_device *dev = alloc_netdev(sizeof_priv, "eth%d");

	if (!dev)
		return NULL;
	dev->hard_header_len = ETH_HLEN;
	dev->flags = IFF_BROADCAST | IFF_MULTICAST;
	memset(dev->broadcast, 0xff, ETH_ALEN);
	return dev;
}

/* "eth%d" -> the first free "ethN" in the current namespace. */
static int dev_alloc_name(struct net_device *dev)
{
	char fmt[IFNAMSIZ], name[IFNAMSIZ];
	const char *pct;

	strlcpy(fmt, dev->name, sizeof(fmt));
	pct = strchr(fmt, '%');
	if (!pct)
		return dev_get_by_name(fmt) ? -EEXIST : 0;
	if (pct[1] != 'd' || strchr(pct + 1, '%'))
		return -EINVAL;
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), fmt, i);
		if (!dev_get_by_name(name)) {
			strlcpy(dev->name, name, IFNAMSIZ);
			return 0;
		}
	}
	return -ENFILE;
}

int register_netdev(struct net_device *dev)
{
	int err = dev_alloc_name(dev);

	if (err)
		return err;
	dev->ifindex = ++net_current()->ifindex;
	list_add_tail(&dev->dev_list, &net_devices);
	return 0;
}

static void napi_unschedule_dev(struct net_device *dev)
{
	struct napi_struct *napi, *tmp;

	list_for_each_entry_safe(napi, tmp, &net_current()->poll_list, poll_list) {
		if (napi->dev == dev) {
			list_del_init(&napi->poll_list);
			napi->state = 0;
		}
	}
}

void unregister_netdev(struct net_device *dev)
{
	dev_close(dev);
	call_netdevice_notifiers(NETDEV_UNREGISTER, dev);
	napi_unschedule_dev(dev);
	list_del_init(&dev->dev_list);
}

void free_netdev(struct net_device *dev)
{
	kfree(dev);
}

int dev_open(struct net_device *dev)
{
	int err;

	if (dev->flags & IFF_UP)
		return 0;
	if (dev->netdev_ops && dev->netdev_ops->ndo_open) {
		err = dev->netdev_ops->ndo_open(dev);
		if (err)
			return err;
	}
	dev->flags |= IFF_UP;
	call_netdevice_notifiers(NETDEV_UP, dev);
	return 0;
}

int dev_close(struct net_device *dev)
{
	unsigned int n = 0;
	struct sk_buff *skb;

	if (!(dev->flags & IFF_UP))
		return 0;
	dev->flags &= ~IFF_UP;
	call_netdevice_notifiers(NETDEV_DOWN, dev);
	if (dev->netdev_ops && dev->netdev_ops->ndo_stop)
		dev->netdev_ops->ndo_stop(dev);
	while ((skb = skb_dequeue(&dev->tx_backlog))) {
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_DOWN);
		n++;
	}
	dev->stats.tx_dropped += n;
	return 0;
}

struct net_device *dev_get_by_name(const char *name)
{
	struct net_device *dev;

	for_each_netdev(dev)
		if (!strcmp(dev->name, name))
			return dev;
	return NULL;
}

struct net_device *dev_get_by_index(int ifindex)
{
	struct net_device *dev;

	for_each_netdev(dev)
		if (dev->ifindex == ifindex)
			return dev;
	return NULL;
}

struct net_device *dev_get_default(void)
{
	struct net_device *dev;

	for_each_netdev(dev)
		if (!(dev->flags & IFF_LOOPBACK))
			return dev;
	return NULL;
}

void netif_carrier_on(struct net_device *dev)
{
	if (dev->flags & IFF_RUNNING)
		return;
	dev->flags |= IFF_RUNNING;
	if (!(dev->flags & IFF_LOOPBACK))
		pr_info("%s: link up\n", dev->name);
	call_netdevice_notifiers(NETDEV_CHANGE, dev);
}

void netif_carrier_off(struct net_device *dev)
{
	if (!(dev->flags & IFF_RUNNING))
		return;
	dev->flags &= ~IFF_RUNNING;
	if (!(dev->flags & IFF_LOOPBACK))
		pr_info("%s: link down\n", dev->name);
	call_netdevice_notifiers(NETDEV_CHANGE, dev);
}

/* ---- NAPI and the NET_RX softirq ---------------------------------------- */

void netif_napi_add(struct net_device *dev, struct napi_struct *napi,
		    int (*poll)(struct napi_struct *, int), int weight)
{
	INIT_LIST_HEAD(&napi->poll_list);
	napi->state = 0;
	napi->weight = weight > 0 ? weight : NAPI_POLL_WEIGHT;
	napi->poll = poll;
	napi->dev = dev;
}

/*
 * The NAPI joins the current namespace's poll list: a device's interrupt
 * is taken in its own namespace (the simulator switches before it
 * delivers; the kernel has only one).
 */
void napi_schedule(struct napi_struct *napi)
{
	unsigned long flags;

	net_trace_dev(napi->dev, "device interrupt: NAPI scheduled");
	local_irq_save(flags);
	if (napi->state & (1ul << NAPI_STATE_SCHED)) {
		napi->state |= 1ul << NAPI_STATE_MISSED;
	} else {
		napi->state |= 1ul << NAPI_STATE_SCHED;
		list_add_tail(&napi->poll_list, &net_current()->poll_list);
		raise_softirq(NET_RX_SOFTIRQ);
	}
	local_irq_restore(flags);
}

/*
 * A napi_schedule() that came while the poll ran (MISSED) means a frame
 * may have arrived after the driver's last look: keep polling.
 */
bool napi_complete_done(struct napi_struct *napi, int work_done)
{
	unsigned long flags;
	bool done = true;

	(void)work_done;
	local_irq_save(flags);
	if (napi->state & (1ul << NAPI_STATE_MISSED)) {
		napi->state &= ~(1ul << NAPI_STATE_MISSED);
		done = false;
	} else {
		napi->state = 0;
		list_del_init(&napi->poll_list);
	}
	local_irq_restore(flags);
	return done;
}

static void net_rx_ns(struct net *net)
{
	int budget = NET_RX_BUDGET;

	while (!list_empty(&net->poll_list)) {
		struct napi_struct *napi = list_first_entry(&net->poll_list,
						struct napi_struct, poll_list);
		int work;

		if (budget <= 0) {
			raise_softirq(NET_RX_SOFTIRQ);	/* come back later */
			return;
		}
		list_del_init(&napi->poll_list);
		if (napi->dev)
			napi->dev->stats.polls++;
		net_trace_dev(napi->dev, "NET_RX softirq: the driver's poll");
		work = napi->poll(napi, napi->weight);
		budget -= work > 0 ? work : 1;
		if ((napi->state & (1ul << NAPI_STATE_SCHED)) &&
		    list_empty(&napi->poll_list))
			list_add_tail(&napi->poll_list, &net->poll_list);
	}
}

static void net_rx_action(void)
{
	struct net *prev = net_current(), *net;

	for_each_net(net) {
		net_switch(net);
		net_rx_ns(net);
	}
	net_switch(prev);
}

/* ---- receive --------------------------------------------------------------- */

static int deliver_by_type(struct sk_buff *skb, struct net_device *dev)
{
	enum skb_drop_reason reason = SKB_DROP_REASON_UNHANDLED_PROTO;
	struct packet_type *pt;

	list_for_each_entry(pt, &ptype_base, list)
		if (pt->type == skb->protocol)
			return pt->func(skb, dev);
	if (skb->protocol == htons(ETH_P_IPV6)) {
		ETH_INC_STATS(ETH_MIB_INIPV6DROPS);	/* IPv4 only (DESIGN §4) */
		reason = SKB_DROP_REASON_IPV6;
	} else {
		ETH_INC_STATS(ETH_MIB_INUNKNOWNPROTOS);
	}
	kfree_skb_reason(skb, reason);
	return NET_RX_DROP;
}

int netif_receive_skb(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	enum skb_drop_reason reason;

	if (reflect_rx(skb))	/* make bench's floor, off by default */
		return NET_RX_SUCCESS;
	net_trace(skb);
	dev->stats.rx_packets++;
	dev->stats.rx_bytes += skb->len;
	ETH_INC_STATS(ETH_MIB_INFRAMES);
	if (skb->len < ETH_HLEN) {
		dev->stats.rx_length_errors++;
		dev->stats.rx_errors++;
		ETH_INC_STATS(ETH_MIB_INERRORS);
		reason = SKB_DROP_REASON_PKT_TOO_SMALL;
		goto drop;
	}
	if (!(dev->flags & IFF_UP)) {
		dev->stats.rx_dropped++;
		reason = SKB_DROP_REASON_DEV_DOWN;
		goto drop;
	}
	skb->protocol = eth_type_trans(skb, dev);
	if (skb->pkt_type == PACKET_OTHERHOST) {
		ETH_INC_STATS(ETH_MIB_OTHERHOST);
		reason = SKB_DROP_REASON_OTHERHOST;
		goto drop;
	}
	if (skb->pkt_type == PACKET_MULTICAST)
		dev->stats.multicast++;
	return deliver_by_type(skb, dev);
drop:
	kfree_skb_reason(skb, reason);
	return NET_RX_DROP;
}

static int process_backlog(struct napi_struct *napi, int budget)
{
	struct net *net = container_of(napi, struct net, backlog_napi);
	struct sk_buff *skb;
	int work = 0;

	while (work < budget && (skb = skb_dequeue(&net->backlog))) {
		netif_receive_skb(skb);
		work++;
	}
	if (work < budget && !napi_complete_done(napi, work))
		return budget;
	return work;
}

int netif_rx(struct sk_buff *skb)
{
	struct net *net = net_current();

	net_trace(skb);
	if (skb_queue_len(&net->backlog) >= NETDEV_MAX_BACKLOG) {
		skb->dev->stats.rx_dropped++;
		kfree_skb_reason(skb, SKB_DROP_REASON_NO_MEMORY);
		return NET_RX_DROP;
	}
	skb_queue_tail(&net->backlog, skb);
	napi_schedule(&net->backlog_napi);
	return NET_RX_SUCCESS;
}

/* ---- transmit --------------------------------------------------------------- */

/* Hand @skb to the driver; false if it was busy (then @skb is still ours). */
static bool dev_hard_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	unsigned int len = skb->len;

	net_trace(skb);
	if (dev->netdev_ops->ndo_start_xmit(skb, dev) == NETDEV_TX_BUSY) {
		dev->stats.tx_busy++;
		return false;
	}
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += len;
	ETH_INC_STATS(ETH_MIB_OUTFRAMES);
	return true;
}

static int dev_backlog_skb(struct sk_buff *skb, struct net_device *dev, bool front)
{
	if (skb_queue_len(&dev->tx_backlog) >= dev->tx_backlog_max) {
		dev->stats.tx_dropped++;
		kfree_skb_reason(skb, SKB_DROP_REASON_TX_QUEUE_FULL);
		return -ENOBUFS;
	}
	if (front)
		skb_queue_head(&dev->tx_backlog, skb);
	else
		skb_queue_tail(&dev->tx_backlog, skb);
	return 0;
}

int dev_queue_xmit(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;

	if (!(dev->flags & IFF_UP)) {
		dev->stats.tx_dropped++;
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_DOWN);
		return -ENETDOWN;
	}
	/* Keep order: while anything waits, new frames wait behind it. */
	if (dev->tx_stopped || !skb_queue_empty(&dev->tx_backlog))
		return dev_backlog_skb(skb, dev, false);
	if (!dev_hard_start_xmit(skb, dev))
		return dev_backlog_skb(skb, dev, true);
	return 0;
}

static void dev_xmit_backlog(struct net_device *dev)
{
	struct sk_buff *skb;

	while (!dev->tx_stopped && (dev->flags & IFF_UP) &&
	       (skb = skb_dequeue(&dev->tx_backlog))) {
		if (!dev_hard_start_xmit(skb, dev)) {
			skb_queue_head(&dev->tx_backlog, skb);
			return;
		}
	}
}

static void net_tx_action(void)
{
	struct net *prev = net_current(), *net;
	struct net_device *dev;

	for_each_net(net) {
		net_switch(net);
		for_each_netdev(dev)
			if (!skb_queue_empty(&dev->tx_backlog))
				dev_xmit_backlog(dev);
	}
	net_switch(prev);
}

void netif_wake_queue(struct net_device *dev)
{
	dev->tx_stopped = false;
	if (!skb_queue_empty(&dev->tx_backlog))
		raise_softirq(NET_TX_SOFTIRQ);
}

void dev_consume_skb_any(struct sk_buff *skb)
{
	consume_skb(skb);
}

void dev_kfree_skb_any(struct sk_buff *skb)
{
	kfree_skb(skb);
}

/* ---- set-up ------------------------------------------------------------------ */

void net_dev_ns_init(struct net *net)
{
	INIT_LIST_HEAD(&net->poll_list);
	skb_queue_head_init(&net->backlog);
	netif_napi_add(NULL, &net->backlog_napi, process_backlog, NAPI_POLL_WEIGHT);
}

void net_dev_ns_exit(struct net *net)
{
	struct net_device *dev, *tmp;

	list_for_each_entry_safe(dev, tmp, &net_devices, dev_list) {
		unregister_netdev(dev);
		free_netdev(dev);
	}
	INIT_LIST_HEAD(&net->poll_list);
	skb_queue_purge(&net->backlog);
	net->backlog_napi.state = 0;
	INIT_LIST_HEAD(&net->backlog_napi.poll_list);
}

void net_dev_init(void)
{
	open_softirq(NET_RX_SOFTIRQ, net_rx_action);
	open_softirq(NET_TX_SOFTIRQ, net_tx_action);
}
