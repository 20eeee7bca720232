/*
 * Network namespaces (net/net_namespace.h): init_net, the current one, and
 * creating and destroying further instances for the simulator.
 */
#include "net/net_namespace.h"
#include "kernel/slab.h"
#include "lib/string.h"
#include "net/dev.h"
#include "net/stack.h"

/* Set up by net_core_init() (the kernel) or net_reset_init_net() (tests). */
struct net init_net = {
	.name = "init_net",
};
struct net *net_cur = &init_net;
LIST_HEAD(net_namespace_list);

struct net *net_switch(struct net *net)
{
	struct net *prev = net_cur;

	if (net == prev)
		return prev;
	list_splice_tail_init(&net_devices, &prev->dev_base_head);
	list_splice_tail_init(&net->dev_base_head, &net_devices);
	net_cur = net;
	return prev;
}

/* Fields that hold lists start empty; everything else zero. */
static void net_setup(struct net *net, const char *name)
{
	memset(net, 0, sizeof(*net));
	net->name = name;
	INIT_LIST_HEAD(&net->list);
	INIT_LIST_HEAD(&net->dev_base_head);
	list_add_tail(&net->list, &net_namespace_list);
	net_ns_init(net);
}

struct net *net_create(const char *name)
{
	struct net *net = kzalloc(sizeof(*net));

	if (!net)
		return NULL;
	net_setup(net, name);
	return net;
}

static void net_teardown(struct net *net)
{
	struct net *prev = net_enter(net);

	net_ns_exit(net);
	net_leave(prev == net ? &init_net : prev);
	list_del_init(&net->list);
}

void net_destroy(struct net *net)
{
	if (net == &init_net) {
		net_reset_init_net();
		return;
	}
	net_teardown(net);
	kfree(net);
}

void net_reset_init_net(void)
{
	if (init_net.list.next && !list_empty(&init_net.list))
		net_teardown(&init_net);
	net_switch(&init_net);
	net_setup(&init_net, "init_net");
}

void net_ns_init(struct net *net)
{
	struct net *prev = net_enter(net);

	net_dev_ns_init(net);
	stack_ns_init(net);
	net_leave(prev);
}

void net_ns_exit(struct net *net)
{
	stack_ns_exit(net);
	net_dev_ns_exit(net);
}
