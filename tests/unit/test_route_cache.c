/*
 * A socket's cached route (net/route.c, ip_route_output_cached): it answers
 * like ip_route_output() and goes stale with every change that could alter
 * the answer: a route added or removed, an address set, a device going
 * down or up.
 */
#include <criterion/criterion.h>
#include "lib/errno.h"
#include "net/inetdevice.h"
#include "net/route.h"
#include "tests/host/nettest.h"
#include "tests/host/pktbuild.h"

TestSuite(route_cache, .init = nettest_setup, .fini = nettest_teardown);


Test(route_cache, answers_as_the_table_does_and_again_from_the_cache)
{
	struct rt_cache c = { 0 };
	__be32 far = ip4(9, 9, 9, 9);	/* only a default route reaches it */
	struct rtable rt, want;

	cr_assert_eq(ip_route_output_cached(&c, nt_peer, 0, &rt), 0);
	cr_assert_eq(ip_route_output(nt_peer, 0, &want), 0);
	cr_assert(rt.dev == want.dev && rt.nexthop == want.nexthop &&
		  rt.saddr == want.saddr && rt.type == want.type);
	cr_assert_neq(c.genid, 0, "the answer is kept");
	cr_assert_eq(ip_route_output_cached(&c, nt_peer, 0, &rt), 0);
	cr_assert_eq(rt.nexthop, nt_peer);
	cr_assert_eq(ip_route_output_cached(&c, far, 0, &rt), -ENETUNREACH,
		     "another destination is looked up, not served from the cache");
	cr_assert_eq(c.genid, 0, "no route: nothing kept");
}

Test(route_cache, a_new_default_route_is_seen)
{
	struct rt_cache c = { 0 };
	__be32 far = ip4(9, 9, 9, 9);	/* only a default route reaches it */
	struct rtable rt;

	cr_assert_eq(ip_route_output_cached(&c, far, 0, &rt), -ENETUNREACH);
	cr_assert_eq(fib_set_default_gw(nt_peer, nt_dev), 0);
	cr_assert_eq(ip_route_output_cached(&c, far, 0, &rt), 0);
	cr_assert_eq(rt.nexthop, nt_peer);
	cr_assert_eq(fib_del_route(0, 0, nt_dev), 0);
	cr_assert_eq(ip_route_output_cached(&c, far, 0, &rt), -ENETUNREACH,
		     "a removed route is not served from the cache");
}

Test(route_cache, a_more_specific_route_replaces_the_cached_one)
{
	struct rt_cache c = { 0 };
	__be32 far = ip4(9, 9, 9, 9);	/* only a default route reaches it */
	__be32 gw = ip4(10, 0, 0, 3);
	struct rtable rt;

	cr_assert_eq(fib_set_default_gw(nt_peer, nt_dev), 0);
	cr_assert_eq(ip_route_output_cached(&c, far, 0, &rt), 0);
	cr_assert_eq(rt.nexthop, nt_peer);
	cr_assert_eq(fib_add_route(far, 32, gw, nt_dev), 0);
	cr_assert_eq(ip_route_output_cached(&c, far, 0, &rt), 0);
	cr_assert_eq(rt.nexthop, gw);
}

Test(route_cache, a_device_down_or_a_new_address_makes_it_stale)
{
	struct rt_cache c = { 0 };
	struct rtable rt;

	cr_assert_eq(ip_route_output_cached(&c, nt_peer, 0, &rt), 0);
	dev_close(nt_dev);
	cr_assert_eq(ip_route_output_cached(&c, nt_peer, 0, &rt), -ENETUNREACH,
		     "a device that is down carries no route");
	cr_assert_eq(dev_open(nt_dev), 0);
	cr_assert_eq(ip_route_output_cached(&c, nt_peer, 0, &rt), 0);
	cr_assert_eq(rt.saddr, nt_ours);
	cr_assert_eq(inet_set_address(nt_dev, ip4(10, 0, 0, 6), 24), 0);
	cr_assert_eq(ip_route_output_cached(&c, nt_peer, 0, &rt), 0);
	cr_assert_eq(rt.saddr, ip4(10, 0, 0, 6), "the new address is the source");
}
