/*
 * Packet path tracing (trace=net on the command line, `trace on|off` in the
 * monitor): each function a packet passes prints one line, so the path of
 * seed 004 shows up as eth_type_trans -> ip_rcv -> icmp_rcv -> ...
 * Off, a trace point costs one test of a global flag.
 */
#ifndef NET_TRACE_H
#define NET_TRACE_H

#include "lib/compiler.h"
#include "net/skbuff.h"

extern bool net_trace_on;

void __net_trace(const struct sk_buff *skb, const char *fn);

#define net_trace(skb)						\
	do {							\
		if (unlikely(net_trace_on))			\
			__net_trace(skb, __func__);		\
	} while (0)

struct sock;
void __net_trace_sk(const struct sock *sk, const char *fn, const char *what);

/* A trace point with no packet at hand: a sock and what happens to it. */
#define net_trace_sk(sk, what)					\
	do {							\
		if (unlikely(net_trace_on))			\
			__net_trace_sk(sk, __func__, what);	\
	} while (0)

struct net_device;
void __net_trace_dev(const struct net_device *dev, const char *fn, const char *what);

/* A trace point about a device (interrupt, poll), before any skb exists. */
#define net_trace_dev(dev, what)				\
	do {							\
		if (unlikely(net_trace_on))			\
			__net_trace_dev(dev, __func__, what);	\
	} while (0)

void net_trace_enable(bool on);

#endif
