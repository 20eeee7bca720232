/*
 * struct net: one instance of the network stack (Linux's network
 * namespace). Everything the stack would otherwise keep in globals —
 * devices, addresses, routes, the ARP cache, reassembly queues, counters —
 * lives here, so the host simulator can run two or more stacks in one
 * process and let them talk (tests/host/netsim.c).
 *
 * The stack always works in the *current* namespace, net_current().
 * The kernel has only init_net and never switches. The simulator switches
 * with net_switch() before it delivers a frame to a stack or runs one's
 * API; timers and softirqs owned by a namespace switch to it themselves
 * (net_enter/net_leave around their work).
 *
 * net_devices (net/netdevice.h) is the current namespace's device list:
 * while a namespace is not current its devices wait in dev_base_head.
 */
#ifndef NET_NET_NAMESPACE_H
#define NET_NET_NAMESPACE_H

#include "kernel/time.h"
#include "lib/list.h"
#include "net/netdevice.h"
#include "net/snmp.h"

struct neighbour;
struct dhcp_client;

#define FIB_MAX_ROUTES	16

/* One route: dst/prefix reached through @gw (0: on-link) on @dev. */
struct fib_route {
	bool used;
	__be32 dst;
	unsigned int prefix;
	__be32 gw;
	struct net_device *dev;
};

#define UDP_HOOK_MAX	16
typedef int (*udp_rcv_handler_t)(struct sk_buff *skb, void *arg);
typedef void (*udp_err_handler_t)(void *arg, int err, __be32 daddr, u16 dport);

struct udp_port_hook {
	u16 port;		/* host order; 0 = free slot */
	udp_rcv_handler_t handler;
	udp_err_handler_t err;	/* ICMP errors about our datagrams; may be NULL */
	void *arg;
};

struct netns_ipv4 {
	struct fib_route routes[FIB_MAX_ROUTES];
	struct list_head neigh_list;	/* ARP cache (net/arp.c) */
	unsigned int neigh_count;
	struct list_head frag_queues;	/* reassembly (net/ip_fragment.c) */
	unsigned int frag_mem;		/* truesize held by all queues */
	unsigned int frag_count;
	u16 ip_id;			/* next IPv4 identification */
	u32 icmp_tokens;		/* rate limit bucket (net/icmp.c) */
	ktime_t icmp_last;
	struct udp_port_hook udp_ports[UDP_HOOK_MAX];
	struct dhcp_client *dhcp;	/* net/dhcp.c, one per namespace */
	u8 sysctl_tcp_timestamps;	/* offer and accept RFC 7323 timestamps (1) */
};

struct net {
	const char *name;
	struct list_head list;		/* on the list of all namespaces */
	struct list_head dev_base_head;	/* devices while not current */
	int ifindex;			/* last ifindex handed out */
	struct list_head poll_list;	/* scheduled NAPI contexts */
	struct sk_buff_head backlog;	/* netif_rx() queue */
	struct napi_struct backlog_napi;
	struct net_device *loopback_dev;
	struct netns_mib mib;
	struct netns_ipv4 ipv4;
};

extern struct net init_net;
extern struct net *net_cur;

static inline struct net *net_current(void)
{
	return net_cur;
}

/* Make @net current; returns the one that was. */
struct net *net_switch(struct net *net);
static inline struct net *net_enter(struct net *net)
{
	return net_switch(net);
}
static inline void net_leave(struct net *prev)
{
	net_switch(prev);
}

/* A new namespace with only its loopback device. */
struct net *net_create(const char *name);
/* Tear down a namespace: devices unregistered, caches and queues freed. */
void net_destroy(struct net *net);
/*
 * Set init_net up (first call, from net_core_init) or tear it down and set
 * it up afresh (host tests): loopback only.
 */
void net_reset_init_net(void);

#define for_each_net(net) list_for_each_entry(net, &net_namespace_list, list)
extern struct list_head net_namespace_list;

/* Per-namespace set-up and tear-down, called by net_create/net_destroy. */
void net_ns_init(struct net *net);
void net_ns_exit(struct net *net);

#endif
