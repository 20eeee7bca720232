/*
 * Stack-to-stack TCP on the simulated link: bulk transfers both ways with
 * loss, duplication, reordering and delay from a seed; every byte in
 * order, both ends close cleanly, nothing left behind. `make check-full`
 * runs the 200-seed version (tests/check-full.mk).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "tests/host/tcp_pair.h"

static void setup(void)
{
	tcp_pair_setup();
}

static void teardown(void)
{
	tcp_pair_assert_clean();
}

TestSuite(tcp_transfer, .init = setup, .fini = teardown, .timeout = 600);

static void run(u64 seed, size_t bytes, unsigned int loss, unsigned int dup,
		u64 jitter_us, const char *ca)
{
	struct tcp_transfer_params p = {
		.seed = seed, .bytes_ab = bytes, .bytes_ba = bytes,
		.loss_pct = loss, .dup_pct = dup, .delay_us = 2000,
		.jitter_us = jitter_us, .ca = ca, .deadline_ms = 900000,
	};
	struct tcp_transfer_result r;

	tcp_pair_transfer(&p, &r);
	cr_assert(r.ok);
}

Test(tcp_transfer, clean_link_one_megabyte_each_way)
{
	struct tcp_transfer_params p = {
		.seed = 1, .bytes_ab = 1 << 20, .bytes_ba = 1 << 20,
		.delay_us = 2000, .deadline_ms = 60000,
	};
	struct tcp_transfer_result r;

	tcp_pair_transfer(&p, &r);
	cr_assert_eq(r.retrans_a + r.retrans_b, 0, "no loss, no retransmission");
	cr_assert_lt(r.elapsed_ms, 2000, "1 MB at 4 ms RTT took %llu ms",
		     (unsigned long long)r.elapsed_ms);
}

Test(tcp_transfer, reno_with_loss)
{
	run(2, 1 << 20, 3, 0, 0, "reno");
}

Test(tcp_transfer, hostile_links_twenty_seeds)
{
	const char *env = getenv("TCP_SEEDS");
	int seeds = env ? atoi(env) : 20;
	bool full = getenv("TCP_FULL") != NULL;

	for (int s = 0; s < seeds; s++) {
		if (s)
			tcp_pair_setup();
		run(100 + (u64)s, full ? (size_t)(1 + s % 4) << 20 : 1 << 20, (unsigned int)(s % 11), (unsigned int)(s % 4),
		    (u64)(s % 5) * 1000, s % 2 ? "reno" : "cubic");
		if (s + 1 < seeds)
			tcp_pair_assert_clean();
	}
}
