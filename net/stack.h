/*
 * The IPv4 stack as a whole: per-namespace set-up and tear-down of every
 * layer (called by net/net_namespace.c), and the kernel's start-up
 * (net/net_core.c).
 */
#ifndef NET_STACK_H
#define NET_STACK_H

#include "lib/types.h"

struct kernel_params;
struct net;
struct net_device;

/* Register protocol handlers and softirqs once (idempotent). */
void net_core_init_once(void);
void stack_ns_init(struct net *net);
void stack_ns_exit(struct net *net);
/* Bring @dev up with a static address and, if @gw, a default route. */
int net_config_static(struct net_device *dev, __be32 addr, unsigned int prefix,
		      __be32 gw);
/* INITCALL_LATE: configure the first NIC from ip=/gw= or by DHCP. */
int net_config_from_params(const struct kernel_params *kp);
/* test=netloop: ping and UDP over loopback; 0 on success. */
int selftest_netloop(void);

#endif
