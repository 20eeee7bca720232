/*
 * Per-layer counters in the spirit of Linux's /proc/net/snmp (RFC 1213 and
 * RFC 4293 names): Ip, Icmp, Udp, plus Arp and Eth lines of our own. One
 * set per network namespace (struct net); the `stats` monitor command and
 * the tests read them through snmp_get()/snmp_print().
 */
#ifndef NET_SNMP_H
#define NET_SNMP_H

#include "lib/types.h"

enum {
	IPSTATS_MIB_INRECEIVES,
	IPSTATS_MIB_INHDRERRORS,
	IPSTATS_MIB_INADDRERRORS,
	IPSTATS_MIB_INUNKNOWNPROTOS,
	IPSTATS_MIB_INTRUNCATEDPKTS,
	IPSTATS_MIB_INDISCARDS,
	IPSTATS_MIB_INDELIVERS,
	IPSTATS_MIB_INCSUMERRORS,
	IPSTATS_MIB_OUTREQUESTS,
	IPSTATS_MIB_OUTDISCARDS,
	IPSTATS_MIB_OUTNOROUTES,
	IPSTATS_MIB_REASMTIMEOUT,
	IPSTATS_MIB_REASMREQDS,
	IPSTATS_MIB_REASMOKS,
	IPSTATS_MIB_REASMFAILS,
	IPSTATS_MIB_REASMOVERLAPS,
	IPSTATS_MIB_FRAGOKS,
	IPSTATS_MIB_FRAGFAILS,
	IPSTATS_MIB_FRAGCREATES,
	IPSTATS_MIB_MAX
};

enum {
	ICMP_MIB_INMSGS,
	ICMP_MIB_INERRORS,
	ICMP_MIB_INCSUMERRORS,
	ICMP_MIB_INDESTUNREACHS,
	ICMP_MIB_INTIMEEXCDS,
	ICMP_MIB_INREDIRECTS,
	ICMP_MIB_INECHOS,
	ICMP_MIB_INECHOREPS,
	ICMP_MIB_OUTMSGS,
	ICMP_MIB_OUTERRORS,
	ICMP_MIB_OUTDESTUNREACHS,
	ICMP_MIB_OUTTIMEEXCDS,
	ICMP_MIB_OUTECHOS,
	ICMP_MIB_OUTECHOREPS,
	ICMP_MIB_OUTRATELIMITED,
	ICMP_MIB_MAX
};

enum {
	UDP_MIB_INDATAGRAMS,
	UDP_MIB_NOPORTS,
	UDP_MIB_INERRORS,
	UDP_MIB_OUTDATAGRAMS,
	UDP_MIB_RCVBUFERRORS,
	UDP_MIB_SNDBUFERRORS,
	UDP_MIB_INCSUMERRORS,
	UDP_MIB_MAX
};

enum {
	ARP_MIB_INREQUESTS,
	ARP_MIB_INREPLIES,
	ARP_MIB_INERRORS,
	ARP_MIB_OUTREQUESTS,
	ARP_MIB_OUTREPLIES,
	ARP_MIB_OUTGRATUITOUS,
	ARP_MIB_RESOLVEFAILED,
	ARP_MIB_QUEUEDROPS,
	ARP_MIB_EVICTIONS,
	ARP_MIB_MAX
};

enum {
	ETH_MIB_INFRAMES,
	ETH_MIB_INERRORS,		/* shorter than an Ethernet header */
	ETH_MIB_OTHERHOST,
	ETH_MIB_INUNKNOWNPROTOS,
	ETH_MIB_INIPV6DROPS,
	ETH_MIB_OUTFRAMES,
	ETH_MIB_MAX
};

/* Tcp (RFC 4022 names) and TcpExt counters of Linux's that tests read. */
enum {
	TCP_MIB_ACTIVEOPENS,
	TCP_MIB_PASSIVEOPENS,
	TCP_MIB_ATTEMPTFAILS,
	TCP_MIB_ESTABRESETS,
	TCP_MIB_INSEGS,
	TCP_MIB_OUTSEGS,
	TCP_MIB_RETRANSSEGS,
	TCP_MIB_INERRS,
	TCP_MIB_OUTRSTS,
	TCP_MIB_INCSUMERRORS,
	TCP_MIB_LISTENOVERFLOWS,
	TCP_MIB_LISTENDROPS,
	TCP_MIB_CHALLENGEACK,
	TCP_MIB_PAWSESTAB,
	TCP_MIB_TIMEOUTS,
	TCP_MIB_FASTRETRANS,
	TCP_MIB_ABORTONTIMEOUT,
	TCP_MIB_OFODROP,
	TCP_MIB_TIMEWAITRECYCLED,
	TCP_MIB_SYNCOOKIESSENT,
	TCP_MIB_SYNCOOKIESRECV,
	TCP_MIB_MAX
};

struct netns_mib {
	u64 ip[IPSTATS_MIB_MAX];
	u64 icmp[ICMP_MIB_MAX];
	u64 udp[UDP_MIB_MAX];
	u64 arp[ARP_MIB_MAX];
	u64 eth[ETH_MIB_MAX];
	u64 tcp[TCP_MIB_MAX];
};

/* Counters of the current namespace (net/net_namespace.h). */
#define IP_INC_STATS(f)		(net_current()->mib.ip[f]++)
#define IP_ADD_STATS(f, n)	(net_current()->mib.ip[f] += (n))
#define ICMP_INC_STATS(f)	(net_current()->mib.icmp[f]++)
#define TCP_INC_STATS(f)	(net_current()->mib.tcp[f]++)
#define TCP_ADD_STATS(f, n)	(net_current()->mib.tcp[f] += (n))
#define UDP_INC_STATS(f)	(net_current()->mib.udp[f]++)
#define ARP_INC_STATS(f)	(net_current()->mib.arp[f]++)
#define ETH_INC_STATS(f)	(net_current()->mib.eth[f]++)

/* A counter by its /proc/net/snmp name, e.g. snmp_get("Ip", "InReceives"). */
u64 snmp_get(const char *layer, const char *name);
/* Print every layer as two lines (names, values), as /proc/net/snmp does. */
void snmp_print(void);

#endif
