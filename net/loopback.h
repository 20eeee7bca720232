/* The loopback device of a namespace (net/loopback.c). */
#ifndef NET_LOOPBACK_H
#define NET_LOOPBACK_H

struct net;

int loopback_net_init(struct net *net);

#endif
