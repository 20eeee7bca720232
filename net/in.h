/*
 * IPv4 socket addresses and protocol numbers as user space sees them
 * (Linux include/uapi/linux/in.h): struct sockaddr_in is laid out as on
 * x86-64 Linux, so musl's definition and this one are the same bytes.
 */
#ifndef NET_IN_H
#define NET_IN_H

#include "lib/compiler.h"
#include "lib/types.h"
#include "net/ip.h"
#include "net/socket.h"

/* IPPROTO_ICMP/TCP/UDP, INADDR_ANY and INADDR_BROADCAST: net/ip.h */
#define IPPROTO_IP	0
#define IPPROTO_RAW	255
#define IPPROTO_MAX	256
#define INADDR_LOOPBACK	((u32)0x7f000001)	/* host order */

struct in_addr {
	__be32 s_addr;
};

struct sockaddr_in {
	sa_family_t sin_family;
	__be16 sin_port;
	struct in_addr sin_addr;
	unsigned char __pad[8];
};
BUILD_BUG_ON(sizeof(struct sockaddr_in) != 16);

#endif
