/*
 * struct net_device and NAPI: the only thing a driver and the stack share
 * (DESIGN §5). A driver allocates a device with alloc_etherdev(), fills its
 * MAC, MTU, features and ops, and calls register_netdev(). Its interrupt
 * handler masks the device's interrupt and calls napi_schedule(); the
 * NET_RX softirq then calls its poll function with a budget, and the poll
 * hands each frame to netif_receive_skb(). Below budget the driver calls
 * napi_complete_done() and unmasks, re-checking for a frame that raced in.
 *
 * Transmit: dev_queue_xmit() -> ndo_start_xmit(). When the ring is full
 * the driver calls netif_stop_queue() (and returns NETDEV_TX_BUSY if it
 * could not take this skb); the stack keeps such frames on the device's
 * bounded tx backlog and sends them when the driver's completion path
 * calls netif_wake_queue(). Nothing is dropped silently: overflow of the
 * backlog counts tx_dropped.
 */
#ifndef NET_NETDEVICE_H
#define NET_NETDEVICE_H

#include "lib/list.h"
#include "lib/types.h"
#include "net/skbuff.h"

#define IFNAMSIZ	16
#define ETH_ALEN	6
#define ETH_HLEN	14
#define ETH_ZLEN	60	/* minimum frame without FCS */
#define ETH_DATA_LEN	1500
#define ETH_FRAME_LEN	1514

/* EtherTypes (host order; skb->protocol holds them in network order). */
#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define ETH_P_IPV6	0x86dd

/* dev->flags */
#define IFF_UP		(1u << 0)
#define IFF_BROADCAST	(1u << 1)
#define IFF_LOOPBACK	(1u << 3)
#define IFF_RUNNING	(1u << 6)	/* carrier on */
#define IFF_PROMISC	(1u << 8)
#define IFF_MULTICAST	(1u << 12)

/* dev->features: what the device does so the stack need not. */
#define NETIF_F_IP_CSUM		(1u << 0)	/* tx: TCP/UDP checksum over IPv4 */
#define NETIF_F_RXCSUM		(1u << 1)	/* rx: verifies checksums */
#define NETIF_F_TSO		(1u << 2)	/* tx: cuts TCP segments up to 64 KiB */
#define NETIF_F_LRO		(1u << 3)	/* rx: may hand up merged TCP segments */

typedef enum {
	NETDEV_TX_OK = 0,	/* the driver owns the skb now */
	NETDEV_TX_BUSY = 1,	/* not taken: ring full; the stack keeps it */
} netdev_tx_t;

struct net_device_stats {
	u64 rx_packets, tx_packets;
	u64 rx_bytes, tx_bytes;
	u64 rx_errors, tx_errors;
	u64 rx_dropped, tx_dropped;
	u64 multicast;
	u64 rx_length_errors, rx_crc_errors, rx_missed_errors;
	u64 rx_nobuf;		/* receive buffers could not be refilled */
	/* unisock additions, shown by ifconfig */
	u64 interrupts;		/* device interrupts taken */
	u64 polls;		/* NAPI poll calls */
	u64 tx_busy;		/* times the tx ring was full */
};

struct net_device;

struct net_device_ops {
	int (*ndo_open)(struct net_device *dev);
	int (*ndo_stop)(struct net_device *dev);
	netdev_tx_t (*ndo_start_xmit)(struct sk_buff *skb, struct net_device *dev);
	/* One line per ring for ifconfig: "rx ring 256/256 tx ring 3/256". */
	int (*ndo_ring_info)(struct net_device *dev, char *buf, size_t len);
};

struct napi_struct {
	struct list_head poll_list;	/* on the softirq's list while scheduled */
	unsigned long state;		/* NAPI_STATE_* bits */
	int weight;			/* budget per poll */
	int (*poll)(struct napi_struct *napi, int budget);
	struct net_device *dev;
};
#define NAPI_STATE_SCHED	0	/* scheduled or running */
#define NAPI_POLL_WEIGHT	64

struct in_device;	/* IPv4 addresses of the device: net/inetdevice.h */

struct net_device {
	char name[IFNAMSIZ];
	int ifindex;
	unsigned int flags;		/* IFF_* */
	unsigned int features;		/* NETIF_F_* */
	unsigned int mtu;
	unsigned int gso_max_size;	/* largest TSO skb the device takes */
	unsigned short hard_header_len;
	u8 dev_addr[ETH_ALEN];
	u8 broadcast[ETH_ALEN];
	const struct net_device_ops *netdev_ops;
	struct net_device_stats stats;

	bool tx_stopped;		/* netif_stop_queue() */
	struct sk_buff_head tx_backlog;	/* frames held while stopped */
	unsigned int tx_backlog_max;

	struct in_device *ip_ptr;
	struct list_head dev_list;	/* on the list of all devices */
	void *priv;			/* driver state: netdev_priv() */
};

static inline void *netdev_priv(const struct net_device *dev)
{
	return dev->priv;
}

/* A device with @sizeof_priv bytes of zeroed driver state, named "eth%d". */
struct net_device *alloc_etherdev(size_t sizeof_priv);
/* Loopback-style and test devices pick their own name format. */
struct net_device *alloc_netdev(size_t sizeof_priv, const char *name_fmt);
int register_netdev(struct net_device *dev);
void unregister_netdev(struct net_device *dev);
void free_netdev(struct net_device *dev);
/* Bring up (ndo_open, IFF_UP) / down. 0 or -errno. */
int dev_open(struct net_device *dev);
int dev_close(struct net_device *dev);

struct net_device *dev_get_by_name(const char *name);
struct net_device *dev_get_by_index(int ifindex);
/* The first registered non-loopback device, or NULL. */
struct net_device *dev_get_default(void);
extern struct list_head net_devices;
#define for_each_netdev(dev) \
	list_for_each_entry(dev, &net_devices, dev_list)

/* Link state, reported by the driver. */
void netif_carrier_on(struct net_device *dev);
void netif_carrier_off(struct net_device *dev);
static inline bool netif_carrier_ok(const struct net_device *dev)
{
	return dev->flags & IFF_RUNNING;
}

/* Transmit queue control, called by the driver. */
static inline void netif_stop_queue(struct net_device *dev)
{
	dev->tx_stopped = true;
}
static inline bool netif_queue_stopped(const struct net_device *dev)
{
	return dev->tx_stopped;
}
/* Ring has room again: restart and send what the backlog held. */
void netif_wake_queue(struct net_device *dev);

/* NAPI */
void netif_napi_add(struct net_device *dev, struct napi_struct *napi,
		    int (*poll)(struct napi_struct *, int), int weight);
/* From the IRQ handler: poll soon (NET_RX softirq). No-op if already scheduled. */
void napi_schedule(struct napi_struct *napi);
/*
 * From poll, when it did less than its budget: leave the poll list. Returns
 * false if the NAPI must keep polling (do not unmask then).
 */
bool napi_complete_done(struct napi_struct *napi, int work_done);

/* Receive: the driver hands a frame (data at the Ethernet header). */
int netif_receive_skb(struct sk_buff *skb);
/* Receive from a context that cannot run the stack now (loopback). */
int netif_rx(struct sk_buff *skb);
/* Transmit: the frame has its Ethernet header. Consumes @skb. 0 or -errno. */
int dev_queue_xmit(struct sk_buff *skb);
/* Free a transmitted skb from the completion path (not a drop). */
void dev_consume_skb_any(struct sk_buff *skb);
/* Free a frame the driver could not use: counted as a drop. */
void dev_kfree_skb_any(struct sk_buff *skb);

/* Ethernet (net/eth.c) */
struct ethhdr {
	u8 h_dest[ETH_ALEN];
	u8 h_source[ETH_ALEN];
	__be16 h_proto;
} __packed;
BUILD_BUG_ON(sizeof(struct ethhdr) != ETH_HLEN);

/* Set skb->pkt_type and dev, pull the Ethernet header; returns the EtherType (network order). */
__be16 eth_type_trans(struct sk_buff *skb, struct net_device *dev);
/* Prepend an Ethernet header. */
int eth_header(struct sk_buff *skb, struct net_device *dev, u16 type,
	       const u8 *daddr, const u8 *saddr);

static inline bool is_broadcast_ether_addr(const u8 *a)
{
	return (a[0] & a[1] & a[2] & a[3] & a[4] & a[5]) == 0xff;
}
static inline bool is_multicast_ether_addr(const u8 *a)
{
	return a[0] & 1;
}
static inline bool is_zero_ether_addr(const u8 *a)
{
	return !(a[0] | a[1] | a[2] | a[3] | a[4] | a[5]);
}
static inline bool ether_addr_equal(const u8 *a, const u8 *b)
{
	for (int i = 0; i < ETH_ALEN; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

#endif
