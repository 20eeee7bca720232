/* net/net_core.c: configuration from the command line, and the loopback self-test. */
#include <criterion/criterion.h>
#include "kernel/params.h"
#include "lib/string.h"
#include "net/dhcp.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/route.h"
#include "net/stack.h"
#include "tests/host/netsim.h"
#include "tests/host/platform.h"
#include "tests/host/teardown.h"

static const u8 mac[ETH_ALEN] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
static struct kernel_params kp;

static void ignore(const char *msg)
{
	(void)msg;
}

static void setup(void)
{
	netsim_reset();
}

static void teardown(void)
{
	netsim_teardown();
	teardown_assert(skb_live_count() == 0, "leaked %lu skbs",
		(unsigned long)skb_live_count());
}

TestSuite(netconfig, .init = setup, .fini = teardown);

Test(netconfig, no_device_boots_and_says_so)
{
	kernel_params_parse(&kp, "ip=10.0.2.15/24", ignore);
	cr_assert_eq(net_config_from_params(&kp), 0);
	cr_assert(strstr(host_console_output(), "net: no network device"));
}

Test(netconfig, static_address_and_gateway_on_the_first_nic)
{
	struct net_device *dev = fakedev_create(mac);
	struct rtable rt;

	dev_close(dev);
	kernel_params_parse(&kp, "ip=192.168.7.9/20 gw=192.168.0.1", ignore);
	cr_assert_eq(net_config_from_params(&kp), 0);
	cr_assert(dev->flags & IFF_UP);
	cr_assert_eq(inet_dev_addr(dev), ip4(192, 168, 7, 9));
	cr_assert_eq(dev->ip_ptr->ifa_broadcast, ip4(192, 168, 15, 255));
	cr_assert_eq(ip_route_output(ip4(9, 9, 9, 9), 0, &rt), 0);
	cr_assert_eq(rt.nexthop, ip4(192, 168, 0, 1));
	cr_assert_eq(rt.saddr, ip4(192, 168, 7, 9));
	cr_assert(strstr(host_console_output(), "net: eth0 192.168.7.9/20 with a default gateway"));
}

Test(netconfig, without_ip_dhcp_starts)
{
	fakedev_create(mac);
	kernel_params_parse(&kp, "", ignore);
	cr_assert_eq(net_config_from_params(&kp), 0);
	cr_assert_not_null(dhcp_client());
	cr_assert_eq(dhcp_client()->state, DHCP_SELECTING);
}

Test(netconfig, loopback_selftest_passes)
{
	cr_assert_eq(selftest_netloop(), 0);
	cr_assert(strstr(host_console_output(), "echo replies 1, udp datagrams 1"));
}

Test(netconfig, address_validation)
{
	struct net_device *dev = fakedev_create(mac);

	cr_assert_eq(inet_set_address(dev, ip4(224, 0, 0, 1), 24), -22);
	cr_assert_eq(inet_set_address(dev, ip4(10, 0, 0, 1), 33), -22);
	cr_assert_eq(inet_set_address(dev, ip4(10, 0, 0, 1), 31), 0);
	cr_assert_eq(dev->ip_ptr->ifa_broadcast, 0, "RFC 3021: no broadcast on /31");
	cr_assert_eq(inet_set_address(dev, ip4(10, 1, 0, 1), 16), 0);
	cr_assert_eq(ip_dev_find(ip4(10, 1, 0, 1)), dev);
	cr_assert_null(ip_dev_find(ip4(10, 0, 0, 1)), "old address replaced");
	inet_clear_address(dev);
	cr_assert_eq(inet_dev_addr(dev), 0);
}
