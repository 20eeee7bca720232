/*
 * DHCP client (RFC 2131, options RFC 2132): DISCOVER -> OFFER -> REQUEST
 * -> ACK, renewal at T1 (unicast to the server) and rebinding at T2
 * (broadcast), a NAK or an expired lease restarts from DISCOVER. With no
 * usable answer within DHCP_FALLBACK_MS of the start the client gives up
 * and configures the static default of DESIGN §2: 10.0.2.15/24 via
 * 10.0.2.2.
 */
#ifndef NET_DHCP_H
#define NET_DHCP_H

#include "kernel/timer.h"
#include "lib/compiler.h"
#include "net/netdevice.h"

struct net;

#define DHCP_SERVER_PORT	67
#define DHCP_CLIENT_PORT	68
#define DHCP_RETRANS_MS		300
#define DHCP_FALLBACK_MS	1000
#define DHCP_MAX_REQUESTS	3	/* REQUESTs before going back to DISCOVER */

/* BOOTP message (RFC 2131 §2, figure 1) up to the options. */
struct dhcp_msg {
	u8 op, htype, hlen, hops;
	__be32 xid;
	__be16 secs, flags;
	__be32 ciaddr, yiaddr, siaddr, giaddr;
	u8 chaddr[16];
	u8 sname[64];
	u8 file[128];
	__be32 cookie;
	u8 options[];
} __packed;
BUILD_BUG_ON(sizeof(struct dhcp_msg) != 240);

#define BOOTREQUEST	1
#define BOOTREPLY	2
#define DHCP_MAGIC	0x63825363u
#define DHCP_FLAG_BROADCAST	0x8000

/* RFC 2132 option codes */
#define DHO_PAD			0
#define DHO_SUBNET_MASK		1
#define DHO_ROUTER		3
#define DHO_REQUESTED_ADDR	50
#define DHO_LEASE_TIME		51
#define DHO_OVERLOAD		52
#define DHO_MSG_TYPE		53
#define DHO_SERVER_ID		54
#define DHO_PARAM_REQ		55
#define DHO_T1			58
#define DHO_T2			59
#define DHO_END			255

/* DHCP message types (option 53) */
#define DHCPDISCOVER	1
#define DHCPOFFER	2
#define DHCPREQUEST	3
#define DHCPDECLINE	4
#define DHCPACK		5
#define DHCPNAK		6

enum dhcp_state {
	DHCP_SELECTING,		/* DISCOVER sent */
	DHCP_REQUESTING,	/* REQUEST for an offer sent */
	DHCP_BOUND,
	DHCP_RENEWING,		/* T1 passed: unicast REQUEST */
	DHCP_REBINDING,		/* T2 passed: broadcast REQUEST */
	DHCP_FALLBACK,		/* no server: static default in use */
};

/* What a reply said, parsed with every length checked. */
struct dhcp_lease {
	u8 msg_type;
	__be32 yiaddr;
	__be32 server_id;
	__be32 mask;
	__be32 router;
	u32 lease_s, t1_s, t2_s;	/* 0: not given */
};

struct dhcp_client {
	struct net *net;
	struct net_device *dev;
	enum dhcp_state state;
	u32 xid;
	unsigned int tries;		/* sends in the current state */
	u64 start;			/* jiffies at DISCOVER, for the fallback */
	u64 bound_at;			/* jiffies at the last ACK */
	struct dhcp_lease lease;
	struct timer_list timer;
};

/* Start configuring @dev (brought up first). 0 or -errno. */
int dhcp_start(struct net_device *dev);
void dhcp_stop(void);
/* This namespace's client, or NULL. */
struct dhcp_client *dhcp_client(void);
const char *dhcp_state_name(enum dhcp_state s);
/*
 * Parse the options of the @len-byte message @msg into @l: pad, end,
 * lengths and the overload option (RFC 2132 §9.3) all checked. 0 or
 * -EINVAL for anything malformed.
 */
int dhcp_parse(const struct dhcp_msg *msg, unsigned int len, struct dhcp_lease *l);
void dhcp_net_exit(struct net *net);

#endif
