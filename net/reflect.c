/*
 * Echo reflection at the bottom of the receive path (net/reflect.h):
 * netif_receive_skb() -> reflect_rx() -> the driver's ndo_start_xmit().
 * MACs, addresses and ports are swapped in place; swapping does not
 * change a ones'-complement sum, so the IPv4 header checksum stays right.
 */
#include "net/reflect.h"
#include "kernel/monitor.h"
#include "kernel/init.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "lib/string.h"
#include "net/icmp.h"
#include "net/ip.h"
#include "net/udp.h"

#define REFLECT_UDP_PORT	7	/* echo, RFC 862 */

bool reflect_enabled;
static u64 reflected, reflect_busy;

struct reflect_frame {
	struct ethhdr eth;
	struct iphdr ip;
} __packed;
BUILD_BUG_ON(sizeof(struct reflect_frame) != ETH_HLEN + 20);

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') for one 16-bit word m -> m'. */
static __sum16 csum_replace(__sum16 check, __be16 old, __be16 new)
{
	u32 sum = (u16)~check + (u16)~old + (u16)new;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__sum16)~sum;
}

/* An echo request we answer here: turn its payload header around. */
static bool reflect_l4(struct iphdr *ip, u8 *l4, unsigned int len)
{
	if (ip->protocol == IPPROTO_UDP && len >= sizeof(struct udphdr)) {
		struct udphdr *uh = (struct udphdr *)l4;
		__be16 port = uh->dest;

		if (port != htons(REFLECT_UDP_PORT))
			return false;
		uh->dest = uh->source;
		uh->source = port;
		uh->check = 0;	/* RFC 768: no checksum; the request's may be partial */
		return true;
	}
	if (ip->protocol == IPPROTO_ICMP && len >= sizeof(struct icmphdr)) {
		struct icmphdr *ih = (struct icmphdr *)l4;

		if (ih->type != ICMP_ECHO || ih->code)
			return false;
		ih->type = ICMP_ECHOREPLY;	/* RFC 792: type 8 -> 0 */
		ih->checksum = csum_replace(ih->checksum, htons(ICMP_ECHO << 8),
					    htons(ICMP_ECHOREPLY << 8));
		return true;
	}
	return false;
}

static void reflect_swap(struct reflect_frame *f, struct net_device *dev)
{
	__be32 addr = f->ip.saddr;

	memcpy(f->eth.h_dest, f->eth.h_source, ETH_ALEN);
	memcpy(f->eth.h_source, dev->dev_addr, ETH_ALEN);
	f->ip.saddr = f->ip.daddr;
	f->ip.daddr = addr;
}

bool reflect_frame(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	struct reflect_frame *f = (struct reflect_frame *)skb->data;
	unsigned int tot;

	if (skb->len < sizeof(*f) || skb_shinfo(skb)->gso_size ||
	    f->eth.h_proto != htons(ETH_P_IP) ||
	    memcmp(f->eth.h_dest, dev->dev_addr, ETH_ALEN))
		return false;
	tot = ntohs(f->ip.tot_len);
	if (f->ip.version != 4 || f->ip.ihl != 5 || tot < sizeof(f->ip) ||
	    tot > skb->len - ETH_HLEN ||
	    (ntohs(f->ip.frag_off) & (IP_MF | IP_OFFSET)) ||
	    !reflect_l4(&f->ip, skb->data + sizeof(*f), tot - sizeof(f->ip)))
		return false;
	reflect_swap(f, dev);
	skb->ip_summed = CHECKSUM_NONE;
	if (dev->netdev_ops->ndo_start_xmit(skb, dev) != NETDEV_TX_OK) {
		reflect_busy++;
		kfree_skb_reason(skb, SKB_DROP_REASON_TX_QUEUE_FULL);
		return true;
	}
	reflected++;
	return true;
}

static int reflect_init(void)
{
	reflect_enabled = cmdline_has(&kparams.cl, "reflect");
	if (reflect_enabled)
		printk("net: reflect: UDP echo (port %d) and ICMP echo requests are "
		       "answered at the driver, below the stack\n", REFLECT_UDP_PORT);
	return 0;
}
DEFINE_INITCALL(INITCALL_SUBSYS, reflect_init);

static int cmd_reflect(int argc, char **argv)
{
	kprintf("reflect: %s, %llu frames reflected, %llu dropped (ring full)\n",
		reflect_enabled ? "on" : "off", (unsigned long long)reflected,
		(unsigned long long)reflect_busy);
	return 0;
}
DEFINE_MONITOR_CMD(reflect, cmd_reflect, "echo frames turned around below the stack");
