/*
 * IPv4 socket addresses and protocol numbers as user space sees them
 * (Linux include/uapi/linux/in.h): struct sockaddr_in is laid out as on
 * x86-64 Linux, so musl's definition and this one are the same bytes.
 */
#ifndef NET_IN_H
#define NET_IN_H

#include "lib/compiler.h"
#include "lib/types.h"
#include "net/socket.h"

#ifndef IPPROTO_IP
#define IPPROTO_IP	0
#define IPPROTO_ICMP	1
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17
#define IPPROTO_RAW	255
#endif
#define IPPROTO_MAX	256

#define INADDR_ANY		((u32)0x00000000)
#define INADDR_BROADCAST	((u32)0xffffffff)
#define INADDR_LOOPBACK		((u32)0x7f000001)

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
