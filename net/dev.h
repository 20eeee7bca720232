/*
 * The stack's side of net/dev.c, beyond the driver interface of
 * net/netdevice.h: protocol handlers by EtherType (Linux's packet_type),
 * device event notifications (Linux's netdev notifier chain), and set-up.
 */
#ifndef NET_DEV_H
#define NET_DEV_H

#include "lib/list.h"
#include "net/netdevice.h"

struct net;

/* A receive handler for one EtherType: arp_rcv, ip_rcv. Consumes @skb. */
struct packet_type {
	__be16 type;
	int (*func)(struct sk_buff *skb, struct net_device *dev);
	struct list_head list;
};

void dev_add_pack(struct packet_type *pt);
void dev_remove_pack(struct packet_type *pt);

/* Device events, as Linux's NETDEV_* notifications. */
enum netdev_event {
	NETDEV_UP,		/* dev_open() succeeded */
	NETDEV_DOWN,		/* dev_close() */
	NETDEV_CHANGE,		/* carrier went on or off */
	NETDEV_UNREGISTER,	/* going away: drop every reference */
};

struct notifier_block {
	void (*notifier_call)(struct notifier_block *nb, enum netdev_event ev,
			      struct net_device *dev);
	struct list_head list;
};

void register_netdevice_notifier(struct notifier_block *nb);
void unregister_netdevice_notifier(struct notifier_block *nb);

/* netif_rx() backlog bound per namespace (Linux's netdev_max_backlog). */
#define NETDEV_MAX_BACKLOG	1000
/* Default dev->tx_backlog_max. */
#define NETDEV_TX_BACKLOG	256

#define NET_RX_SUCCESS	0
#define NET_RX_DROP	1

/* Softirqs and the per-namespace receive backlog. */
void net_dev_init(void);
void net_dev_ns_init(struct net *net);
/* Unregister and free every device of the current namespace. */
void net_dev_ns_exit(struct net *net);


#endif
