/*
 * The floor of make bench (issue 9): with "reflect" on the command line,
 * UDP echo (port 7) and ICMP echo requests addressed to the device's MAC
 * are turned around where they enter the stack, before any layer sees
 * them, and handed straight back to the driver. Measured round trips are
 * then QEMU's, the tap's and the driver's cost alone. Off by default.
 */
#ifndef NET_REFLECT_H
#define NET_REFLECT_H

#include "lib/compiler.h"
#include "net/skbuff.h"

extern bool reflect_enabled;

/* Turn @skb (an Ethernet frame) around and send it if it is an echo
 * request; true when it was consumed, false to pass it up the stack. */
bool reflect_frame(struct sk_buff *skb);

static inline bool reflect_rx(struct sk_buff *skb)
{
	return unlikely(reflect_enabled) && reflect_frame(skb);
}

#endif
