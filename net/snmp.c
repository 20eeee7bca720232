/*
 * Counter names and printing for net/snmp.h, in /proc/net/snmp's layout:
 * for each layer a line of names and a line of values.
 */
#include "net/snmp.h"
#include "kernel/printk.h"
#include "lib/string.h"
#include "net/net_namespace.h"

static const char *const ip_names[IPSTATS_MIB_MAX] = {
	"InReceives", "InHdrErrors", "InAddrErrors", "InUnknownProtos",
	"InTruncatedPkts", "InDiscards", "InDelivers", "InCsumErrors",
	"OutRequests", "OutDiscards", "OutNoRoutes", "ReasmTimeout",
	"ReasmReqds", "ReasmOKs", "ReasmFails", "ReasmOverlaps", "FragOKs",
	"FragFails", "FragCreates",
};

static const char *const icmp_names[ICMP_MIB_MAX] = {
	"InMsgs", "InErrors", "InCsumErrors", "InDestUnreachs", "InTimeExcds",
	"InRedirects", "InEchos", "InEchoReps", "OutMsgs", "OutErrors",
	"OutDestUnreachs", "OutTimeExcds", "OutEchos", "OutEchoReps",
	"OutRateLimited",
};

static const char *const udp_names[UDP_MIB_MAX] = {
	"InDatagrams", "NoPorts", "InErrors", "OutDatagrams", "RcvbufErrors",
	"SndbufErrors", "InCsumErrors",
};

static const char *const arp_names[ARP_MIB_MAX] = {
	"InRequests", "InReplies", "InErrors", "OutRequests", "OutReplies",
	"OutGratuitous", "ResolveFailed", "QueueDrops", "Evictions",
};

static const char *const eth_names[ETH_MIB_MAX] = {
	"InFrames", "InErrors", "OtherHost", "InUnknownProtos", "InIpv6Drops",
	"OutFrames",
};

static const char *const tcp_names[TCP_MIB_MAX] = {
	"ActiveOpens", "PassiveOpens", "AttemptFails", "EstabResets",
	"InSegs", "OutSegs", "RetransSegs", "InErrs", "OutRsts",
	"InCsumErrors", "ListenOverflows", "ListenDrops", "TCPChallengeACK",
	"PAWSEstab", "TCPTimeouts", "TCPFastRetrans", "TCPAbortOnTimeout",
	"TCPOFODrop", "TWRecycled", "SyncookiesSent", "SyncookiesRecv",
	"TCPTimeWaitOverflow",
};

struct snmp_layer {
	const char *name;
	const char *const *names;
	unsigned int n;
	size_t offset;		/* of the counters in struct netns_mib */
};

static const struct snmp_layer layers[] = {
	{ "Ip", ip_names, IPSTATS_MIB_MAX, offsetof(struct netns_mib, ip) },
	{ "Icmp", icmp_names, ICMP_MIB_MAX, offsetof(struct netns_mib, icmp) },
	{ "Udp", udp_names, UDP_MIB_MAX, offsetof(struct netns_mib, udp) },
	{ "Arp", arp_names, ARP_MIB_MAX, offsetof(struct netns_mib, arp) },
	{ "Eth", eth_names, ETH_MIB_MAX, offsetof(struct netns_mib, eth) },
	{ "Tcp", tcp_names, TCP_MIB_MAX, offsetof(struct netns_mib, tcp) },
};

static const u64 *layer_counters(const struct snmp_layer *l)
{
	return (const u64 *)((const u8 *)&net_current()->mib + l->offset);
}

u64 snmp_get(const char *layer, const char *name)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(layers); i++) {
		if (strcmp(layers[i].name, layer))
			continue;
		for (unsigned int j = 0; j < layers[i].n; j++)
			if (!strcmp(layers[i].names[j], name))
				return layer_counters(&layers[i])[j];
	}
	return ~0ull;	/* no such counter: a test typo fails loudly */
}

void snmp_print(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(layers); i++) {
		const struct snmp_layer *l = &layers[i];
		const u64 *c = layer_counters(l);

		kprintf("%s:", l->name);
		for (unsigned int j = 0; j < l->n; j++)
			kprintf(" %s", l->names[j]);
		kprintf("\n%s:", l->name);
		for (unsigned int j = 0; j < l->n; j++)
			kprintf(" %lu", (unsigned long)c[j]);
		kprintf("\n");
	}
}
