/*
 * In-kernel self-test of the stack over loopback (test=netloop): an ICMP
 * echo to 127.0.0.1 and a UDP datagram to a local port must come back
 * through the softirq path, and no sk_buff may be left behind.
 */
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/softirq.h"
#include "net/icmp.h"
#include "net/ip.h"
#include "net/stack.h"
#include "net/udp.h"

#define SELFTEST_PORT	9

static int echo_replies, udp_received;

static void selftest_echo_reply(__be32 saddr, u16 id, u16 seq, unsigned int len)
{
	if (saddr == ip4(127, 0, 0, 1) && id == 0x5e1f && seq == 1 && len == 56)
		echo_replies++;
}

static int selftest_udp_rcv(struct sk_buff *skb, void *arg)
{
	(void)arg;
	if (skb->len == 5)
		udp_received++;
	consume_skb(skb);
	return 0;
}

int selftest_netloop(void)
{
	u64 live = skb_live_count();
	int err;

	icmp_echo_reply_hook = selftest_echo_reply;
	err = icmp_send_echo(ip4(127, 0, 0, 1), 0x5e1f, 1, 56);
	if (!err)
		err = udp_register_port(SELFTEST_PORT, selftest_udp_rcv, NULL, NULL);
	if (!err)
		err = udp_send(0, ip4(127, 0, 0, 1), 40000, SELFTEST_PORT, "hello", 5);
	do_softirq();
	icmp_echo_reply_hook = NULL;
	udp_unregister_port(SELFTEST_PORT);
	printk("selftest netloop: err %d, echo replies %d, udp datagrams %d, "
	       "skbs live %lu (before %lu)\n", err, echo_replies, udp_received,
	       (unsigned long)skb_live_count(), (unsigned long)live);
	return err || echo_replies != 1 || udp_received != 1 ||
	       skb_live_count() != live;
}
DEFINE_SELFTEST(netloop, selftest_netloop, "ping and UDP over loopback");
