/*
 * net.ipv4.tcp_timestamps per namespace (Linux's sysctl): 1 offers and
 * accepts RFC 7323 timestamps; 0 neither offers them in a SYN nor answers
 * a SYN that carries them with its own, so the connection runs without.
 */
#include <criterion/criterion.h>
#include "net/net_namespace.h"
#include "tests/host/tcp_script.h"

static void setup(void)
{
	ts_setup(2000);
}

static void teardown(void)
{
	ts_assert_no_leaks();
}

TestSuite(tcp_timestamps_sysctl, .init = setup, .fini = teardown);

Test(tcp_timestamps_sysctl, on_by_default)
{
	cr_assert_eq(net_current()->ipv4.sysctl_tcp_timestamps, 1);
}

Test(tcp_timestamps_sysctl, off_leaves_them_out_of_our_syn)
{
	struct socket *s = ts_socket();
	struct ts_seg seg;

	net_current()->ipv4.sysctl_tcp_timestamps = 0;
	cr_assert_eq(ts_connect(s, ts.peer_addr, TS_PEER_PORT), -EINPROGRESS);
	ts_next(&seg);
	cr_assert_eq(seg.flags, TCPHDR_SYN);
	cr_assert_not(seg.opt.saw_tstamp);
	cr_assert(seg.has_mss);
	cr_assert(seg.opt.wscale_ok, "only timestamps are left out");
	cr_assert(seg.opt.sack_ok);
	sock_release(s);
	ts_run_ms(100);
}

Test(tcp_timestamps_sysctl, off_answers_a_timestamped_syn_without_them)
{
	struct ts_opts syn = { .mss = 1460, .ts = true, .tsval = 1000 };
	struct socket *l, *c;
	struct ts_seg seg;

	net_current()->ipv4.sysctl_tcp_timestamps = 0;
	l = ts_listen(ts.stack_port, 8);
	ts_inject(TCPHDR_SYN, 0, 0, NULL, 0, 8192, &syn);
	ts_next(&seg);
	cr_assert_eq(seg.flags, TCPHDR_SYN | TCPHDR_ACK);
	cr_assert_not(seg.opt.saw_tstamp);
	ts_inject(TCPHDR_ACK, 1, 1, NULL, 0, 8192, NULL);
	c = ts_accept(l);
	cr_assert_not_null(c);
	cr_assert_not(tcp_sk(c->sk)->rx_opt.tstamp_ok);
	sock_release(l);
	ts_inject(TCPHDR_FIN | TCPHDR_ACK, 1, 1, NULL, 0, 8192, NULL);
	ts_expect(TCPHDR_ACK, 1, 2, 0, NULL);
	sock_release(c);
	ts_expect(TCPHDR_FIN | TCPHDR_ACK, 1, 2, 0, NULL);
	ts_inject(TCPHDR_ACK, 2, 2, NULL, 0, 8192, NULL);
}
