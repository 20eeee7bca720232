/*
 * The network stack's start-up: protocol handlers and softirqs once, the
 * layers' per-namespace state, and in the kernel the initcalls that bring
 * up loopback (INITCALL_SUBSYS) and configure the first NIC from the
 * command line (INITCALL_LATE): ip=A.B.C.D/N gw=..., or DHCP.
 */
#include "net/stack.h"
#include "kernel/init.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/spinlock.h"
#include "net/arp.h"
#include "net/dev.h"
#include "net/dhcp.h"
#include "net/icmp.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/loopback.h"
#include "net/net_namespace.h"
#include "net/route.h"
#include "net/trace.h"
#include "net/udp.h"

static bool core_ready;

void net_core_init_once(void)
{
	if (core_ready)
		return;
	core_ready = true;
	net_dev_init();
	devinet_init();
	arp_init();
	ip_init();
	icmp_init();
	udp_init();
}

void stack_ns_init(struct net *net)
{
	INIT_LIST_HEAD(&net->ipv4.neigh_list);
	ipfrag_net_init(net);
	net->ipv4.ip_id = (u16)get_random_u32();
	net->ipv4.icmp_tokens = ICMP_RATE_BURST;
	net->ipv4.sysctl_tcp_timestamps = 1;
	net->ipv4.icmp_last = ktime_get();
	if (loopback_net_init(net))
		printk("net: %s: no loopback device\n", net->name);
}

void stack_ns_exit(struct net *net)
{
	dhcp_net_exit(net);
	for (int i = 0; i < UDP_HOOK_MAX; i++)
		net->ipv4.udp_ports[i].port = 0;
	ipfrag_net_exit(net);
	arp_net_exit(net);
}

static int net_core_init(void)
{
	net_core_init_once();
	net_reset_init_net();
	net_trace_enable(kparams.trace_net);
	printk("net: loopback 127.0.0.1/8 up%s\n",
	       kparams.trace_net ? ", tracing packets" : "");
	return 0;
}
DEFINE_INITCALL(INITCALL_SUBSYS, net_core_init);

/* ip=A.B.C.D/N [gw=A.B.C.D] on @dev. */
int net_config_static(struct net_device *dev, __be32 addr, unsigned int prefix,
		      __be32 gw)
{
	int err = dev_open(dev);

	if (!err)
		err = inet_set_address(dev, addr, prefix);
	if (!err && gw)
		err = fib_set_default_gw(gw, dev);
	return err;
}

/*
 * Address configuration of the first NIC from the command line: a static
 * ip= (and gw=), else DHCP. With no NIC the kernel just says so.
 */
int net_config_from_params(const struct kernel_params *kp)
{
	struct net_device *dev = dev_get_default();
	int err;

	if (!dev) {
		printk("net: no network device\n");
		return 0;
	}
	if (!kp->ip_static)
		return dhcp_start(dev);
	err = net_config_static(dev, htonl(kp->ip_addr), kp->ip_prefix,
				kp->gw_set ? htonl(kp->gw_addr) : 0);
	if (!err)
		printk("net: %s %pI4/%u%s\n", dev->name, &dev->ip_ptr->ifa_address,
		       kp->ip_prefix, kp->gw_set ? " with a default gateway" : "");
	return err;
}

/* Process context: interrupts off while the stack's tables change. */
static int net_config(void)
{
	unsigned long flags;
	int err;

	local_irq_save(flags);
	err = net_config_from_params(&kparams);
	local_irq_restore(flags);
	return err;
}
DEFINE_INITCALL(INITCALL_LATE, net_config);
