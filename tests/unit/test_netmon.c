/* net/net_monitor.c and net/trace.c: what the monitor prints, the packet trace. */
#include <criterion/criterion.h>
#include "lib/string.h"
#include "net/icmp.h"
#include "net/net_monitor.h"
#include "net/route.h"
#include "net/trace.h"
#include "tests/host/nettest.h"
#include "tests/host/platform.h"

TestSuite(netmon, .init = nettest_setup, .fini = nettest_teardown);

static const char *run(int (*cmd)(int, char **), const char *arg)
{
	char *argv[3] = { "cmd", (char *)arg, NULL };

	host_console_clear();
	cmd(arg ? 2 : 1, argv);
	return host_console_output();
}

Test(netmon, ifconfig_shows_devices_addresses_and_counters)
{
	const char *out = run(net_cmd_ifconfig, NULL);

	cr_assert(strstr(out, "lo: flags=<UP,LOOPBACK,RUNNING>  mtu 65536"), "%s", out);
	cr_assert(strstr(out, "inet 127.0.0.1/8"));
	cr_assert(strstr(out, "eth0: flags=<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500"));
	cr_assert(strstr(out, "inet 10.0.0.1/24  broadcast 10.0.0.255"));
	cr_assert(strstr(out, "ether 52:54:00:12:34:56"));
	cr_assert(strstr(out, "RX packets 2"), "%s", out);
	cr_assert(strstr(out, "fake tx ring 0/0"));
	out = run(net_cmd_ifconfig, "eth7");
	cr_assert(strstr(out, "eth7: no such device"));
}

Test(netmon, arp_and_route_tables)
{
	const char *out = run(net_cmd_arp, NULL);

	cr_assert(strstr(out, "10.0.0.2"), "%s", out);
	cr_assert(strstr(out, "52:54:00:ab:cd:ef"));
	cr_assert(strstr(out, "REACHABLE"));
	fib_set_default_gw(nt_peer, nt_dev);
	out = run(net_cmd_route, NULL);
	cr_assert(strstr(out, "10.0.0.0        0.0.0.0         255.255.255.0   eth0"),
		  "%s", out);
	cr_assert(strstr(out, "0.0.0.0         10.0.0.2        0.0.0.0         eth0"));
}

Test(netmon, stats_show_counters_and_drop_reasons)
{
	u8 buf[64];
	const char *out;

	fakedev_inject(nt_dev, buf, pkt_eth(buf, OUR_MAC, PEER_MAC, ETH_P_IPV6) + 40);
	out = run(net_cmd_stats, NULL);
	cr_assert(strstr(out, "Ip: InReceives InHdrErrors"), "%s", out);
	cr_assert(strstr(out, "Udp: InDatagrams NoPorts"));
	cr_assert(strstr(out, "Eth: InFrames"));
	cr_assert(strstr(out, " IPV6=1"));
	cr_assert(strstr(out, "Skbs: live 0"));
}

Test(netmon, trace_prints_the_path_of_a_packet)
{
	struct pkt_ip ip = { .protocol = IPPROTO_ICMP };
	u8 msg[16] = { 0 };
	const char *out;

	out = run(net_cmd_trace, "on");
	cr_assert(strstr(out, "packet trace on"));
	host_console_clear();
	nettest_inject_ip(&ip, msg, pkt_icmp(msg, ICMP_ECHO, 0, 1, 1, NULL, 0, false), 0);
	out = host_console_output();
	cr_assert(strstr(out, "trace: netif_receive_skb"), "%s", out);
	cr_assert(strstr(out, "trace: eth_type_trans"));
	cr_assert(strstr(out, "trace: ip_rcv"));
	cr_assert(strstr(out, "trace: ip_local_deliver"));
	cr_assert(strstr(out, "trace: icmp_rcv"));
	cr_assert(strstr(out, "trace: ip_build_and_send_pkt"));
	cr_assert(strstr(out, "trace: neigh_output"));
	cr_assert(strstr(out, "trace: dev_hard_start_xmit"));
	cr_assert(strstr(out, "ip_rcv") < strstr(out, "icmp_rcv"), "order");
	run(net_cmd_trace, "off");
	host_console_clear();
	ip = (struct pkt_ip){ .protocol = IPPROTO_ICMP };
	nettest_inject_ip(&ip, msg, 8, 0);
	cr_assert_null(strstr(host_console_output(), "trace:"), "off is silent");
	out = run(net_cmd_trace, "sideways");
	cr_assert(strstr(out, "usage: trace on|off"));
}
