/*
 * Packet path tracing (net/trace.h): one printk line per function, with
 * the skb's address so interleaved packets can be told apart.
 */
#include "net/trace.h"
#include "kernel/printk.h"
#include "net/netdevice.h"

bool net_trace_on;

void __net_trace_sk(const struct sock *sk, const char *fn, const char *what)
{
	printk("trace: %-18s sk  %p %s\n", fn, (const void *)sk, what);
}

void __net_trace_dev(const struct net_device *dev, const char *fn, const char *what)
{
	printk("trace: %-18s dev %s %s\n", fn, dev ? dev->name : "-", what);
}

void __net_trace(const struct sk_buff *skb, const char *fn)
{
	printk("trace: %-18s skb %p len %u%s%s\n", fn, (const void *)skb,
	       skb->len, skb->dev ? " dev " : "", skb->dev ? skb->dev->name : "");
}

void net_trace_enable(bool on)
{
	net_trace_on = on;
}
