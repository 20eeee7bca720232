/*
 * SACK (RFC 2018) both ways and SACK-based recovery (RFC 6675): the
 * blocks our ACKs carry for the out-of-order queue, latest first; the
 * holes we resend when the peer's blocks show them lost.
 */
#include <criterion/criterion.h>
#include "lib/string.h"
#include "net/snmp.h"
#include "tests/host/tcp_script.h"

static void setup(void)
{
	ts_setup(1000);
}

static void teardown(void)
{
	ts_assert_no_leaks();
}

TestSuite(tcp_sack, .init = setup, .fini = teardown);

static u8 payload[8192];

Test(tcp_sack, sack_permitted_is_answered_and_blocks_describe_the_ofo_queue)
{
	struct ts_opts o = { .mss = 1000, .sack_perm = true };
	struct socket *l = ts_listen(TS_STACK_PORT, 4), *s;
	struct ts_seg seg;
	char buf[8000];

	ts_inject(TCPHDR_SYN, 0, 0, NULL, 0, 65535, &o);
	ts_expect(TCPHDR_SYN | TCPHDR_ACK, 0, 1, 0, &seg);
	cr_assert(seg.opt.sack_ok, "SACK-permitted answered");
	ts_inject(TCPHDR_ACK, 1, 1, NULL, 0, 65535, NULL);
	s = ts_accept(l);
	sock_release(l);
	ts_inject(TCPHDR_ACK, 1001, 1, payload, 1000, 65535, NULL);
	ts_expect(TCPHDR_ACK, 1, 1, 0, &seg);
	cr_assert_eq(seg.nsacks, 1);
	cr_assert_eq(seg.sack[0][0], 1001);
	cr_assert_eq(seg.sack[0][1], 2001);
	ts_inject(TCPHDR_ACK, 4001, 1, payload, 1000, 65535, NULL);
	ts_expect(TCPHDR_ACK, 1, 1, 0, &seg);
	cr_assert_eq(seg.nsacks, 2);
	cr_assert_eq(seg.sack[0][0], 4001, "the latest block first");
	cr_assert_eq(seg.sack[1][0], 1001);
	ts_inject(TCPHDR_ACK, 2001, 1, payload, 1000, 65535, NULL);
	ts_expect(TCPHDR_ACK, 1, 1, 0, &seg);
	cr_assert_eq(seg.nsacks, 2);
	cr_assert_eq(seg.sack[0][0], 1001, "runs merge");
	cr_assert_eq(seg.sack[0][1], 3001);
	ts_inject(TCPHDR_ACK, 1, 1, payload, 1000, 65535, NULL);
	ts_expect(TCPHDR_ACK, 1, 3001, 0, &seg);
	cr_assert_eq(seg.nsacks, 1);
	cr_assert_eq(seg.sack[0][0], 4001);
	ts_inject(TCPHDR_ACK, 3001, 1, payload, 1000, 65535, NULL);
	ts_expect(TCPHDR_ACK, 1, 5001, 0, &seg);
	cr_assert_eq(seg.nsacks, 0, "no hole, no block");
	cr_assert_eq(ts_recv(s, buf, sizeof(buf), 0), 5000);
	ts_inject(TCPHDR_RST, 5001, 0, NULL, 0, 0, NULL);
	sock_release(s);
	while (ts_pending())
		ts_next(&seg);
}

Test(tcp_sack, sacked_segments_are_not_resent_only_the_holes_are)
{
	struct ts_opts o = { .mss = 1000, .sack_perm = true };
	struct socket *s = ts_active_open(&o, 65535);
	struct ts_seg seg;
	struct ts_opts sk = { .nsacks = 1 };

	cr_assert(tcp_sk(s->sk)->rx_opt.sack_ok);
	cr_assert_eq(ts_setsockopt_int(s, SOL_TCP, TCP_NODELAY, 1), 0);
	cr_assert_eq(ts_send(s, payload, 8000), 8000);
	for (int i = 0; i < 8; i++)
		ts_next(&seg);
	/* Segments 2 and 5 (1001-2000, 4001-5000) are lost. */
	sk.sack[0][0] = 2001;
	sk.sack[0][1] = 3001;
	ts_inject(TCPHDR_ACK, 1, 1001, NULL, 0, 65535, &sk);
	sk.sack[0][1] = 4001;
	ts_inject(TCPHDR_ACK, 1, 1001, NULL, 0, 65535, &sk);
	ts_expect_none();
	sk.nsacks = 2;
	sk.sack[0][0] = 5001;
	sk.sack[0][1] = 6001;
	sk.sack[1][0] = 2001;
	sk.sack[1][1] = 4001;
	ts_inject(TCPHDR_ACK, 1, 1001, NULL, 0, 65535, &sk);
	/* Three SACKed above the first hole: recovery resends it alone. */
	ts_expect(TCPHDR_ACK, 1001, 1, 1000, NULL);
	ts_expect_none();
	cr_assert_eq(inet_csk(s->sk)->icsk_ca_state, TCP_CA_Recovery);
	sk.sack[0][1] = 8001;
	ts_inject(TCPHDR_ACK, 1, 1001, NULL, 0, 65535, &sk);
	ts_expect(TCPHDR_ACK, 4001, 1, 1000, NULL);	/* the second hole */
	ts_expect_none();
	ts_inject(TCPHDR_ACK, 1, 8001, NULL, 0, 65535, NULL);
	cr_assert_eq(inet_csk(s->sk)->icsk_ca_state, TCP_CA_Open);
	cr_assert_eq(tcp_sk(s->sk)->total_retrans, 2, "nothing SACKed went twice");
	cr_assert_eq(tcp_sk(s->sk)->sacked_out, 0);
	ts_inject(TCPHDR_RST, 1, 0, NULL, 0, 0, NULL);
	sock_release(s);
	ts_expect_none();
}

Test(tcp_sack, after_a_timeout_sacked_data_is_skipped)
{
	struct ts_opts o = { .mss = 1000, .sack_perm = true };
	struct socket *s = ts_active_open(&o, 65535);
	struct ts_seg seg;
	struct ts_opts sk = { .nsacks = 1 };

	cr_assert_eq(ts_setsockopt_int(s, SOL_TCP, TCP_NODELAY, 1), 0);
	cr_assert_eq(ts_send(s, payload, 4000), 4000);
	for (int i = 0; i < 4; i++)
		ts_next(&seg);
	sk.sack[0][0] = 2001;
	sk.sack[0][1] = 4001;
	ts_inject(TCPHDR_ACK, 1, 1, NULL, 0, 65535, &sk);	/* not a dupack */
	ts_run_ms(200);
	ts_expect(TCPHDR_ACK, 1, 1, 1000, NULL);
	ts_inject(TCPHDR_ACK, 1, 1001, NULL, 0, 65535, &sk);
	ts_expect(TCPHDR_ACK, 1001, 1, 1000, NULL);
	ts_expect_none();
	ts_inject(TCPHDR_ACK, 1, 4001, NULL, 0, 65535, NULL);
	ts_expect_none();
	ts_inject(TCPHDR_RST, 1, 0, NULL, 0, 0, NULL);
	sock_release(s);
}
