/*
 * The IPv4 stack as a whole: per-namespace set-up and tear-down of every
 * layer (called by net/net_namespace.c), and the kernel's start-up
 * (net/net_core.c).
 */
#ifndef NET_STACK_H
#define NET_STACK_H

struct net;

/* Register protocol handlers and softirqs once (idempotent). */
void net_core_init_once(void);
void stack_ns_init(struct net *net);
void stack_ns_exit(struct net *net);

#endif
