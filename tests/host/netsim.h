/*
 * The network simulator (DESIGN §6): fake devices that record what the
 * stack transmits and inject frames into it, links that join devices of
 * different stacks (namespaces) with seeded delay, loss, reordering and
 * duplication, and the helpers every network test starts and ends with.
 */
#ifndef TESTS_HOST_NETSIM_H
#define TESTS_HOST_NETSIM_H

#include "lib/types.h"
#include "net/net_namespace.h"
#include "net/netdevice.h"

struct sim_link;

/* Private state of a fake device (netdev_priv). */
struct fake_dev {
	struct net_device *dev;
	struct net *net;		/* the namespace it lives in */
	struct napi_struct napi;
	struct sk_buff_head rxq;	/* injected, waiting for the poll */
	struct sk_buff_head txq;	/* transmitted, for the test to read */
	unsigned int tx_ring;		/* frames the "ring" takes; then BUSY */
	unsigned int tx_in_ring;
	struct sim_link *link;		/* transmit to a link instead of txq */
	int link_end;
};

/* Fresh platform and an empty init_net (no loopback, no devices). */
void netsim_reset(void);
/* Destroy every namespace; the caller then asserts nothing leaked. */
void netsim_teardown(void);

/* A registered, up, carrier-on Ethernet device in the current namespace. */
struct net_device *fakedev_create(const u8 mac[ETH_ALEN]);
/* Queue a copy of @frame for receive and run the softirqs. */
void fakedev_inject(struct net_device *dev, const void *frame, unsigned int len);
/* Oldest transmitted frame (the caller frees it), or NULL. */
struct sk_buff *fakedev_pop_tx(struct net_device *dev);
unsigned int fakedev_tx_len(struct net_device *dev);
void fakedev_flush_tx(struct net_device *dev);
/* Ring model: after @n frames the device stops its queue until completed. */
void fakedev_set_tx_ring(struct net_device *dev, unsigned int n);
/* Free @n frames from the ring and wake the queue. */
void fakedev_complete_tx(struct net_device *dev, unsigned int n);

/* Links: frames sent by one end arrive at the other after the delay. */
struct sim_link_params {
	u64 delay_ns;
	u64 jitter_ns;		/* uniform extra delay: reorders frames */
	unsigned int loss_pct;
	unsigned int dup_pct;
	u64 seed;
};

struct sim_link *sim_link_create(struct net_device *a, struct net_device *b,
				 const struct sim_link_params *p);
void sim_link_destroy(struct sim_link *link);
void sim_links_destroy_all(void);
unsigned int sim_link_in_flight(const struct sim_link *link);
u64 sim_link_delivered(const struct sim_link *link);
u64 sim_link_lost(const struct sim_link *link);

/* Run virtual time forward @ms, delivering frames and firing timers. */
void netsim_run_ms(u64 ms);

#endif
