/* kernel/timer.c on the virtual clock: order, cancellation, re-arming. */
#include <criterion/criterion.h>
#include "kernel/time.h"
#include "kernel/timer.h"
#include "tests/host/platform.h"

static void setup(void)
{
	host_platform_reset();
}

TestSuite(timer, .init = setup);

struct rec {
	struct timer_list t;
	int id;
	u64 fired_at;
};

static int order[16], norder;

static void record(struct timer_list *t)
{
	struct rec *r = from_timer(r, t, t);

	r->fired_at = jiffies;
	order[norder++] = r->id;
}

Test(timer, fire_in_expiry_order_not_arming_order)
{
	struct rec r[4];
	u64 when[4] = { 30, 10, 20, 10 };

	norder = 0;
	for (int i = 0; i < 4; i++) {
		r[i].id = i;
		timer_setup(&r[i].t, record, 0);
		mod_timer(&r[i].t, when[i]);
	}
	host_clock_advance(100 * NSEC_PER_MSEC);
	cr_assert_eq(norder, 4);
	cr_assert_eq(order[0], 1);	/* same jiffy: arming order */
	cr_assert_eq(order[1], 3);
	cr_assert_eq(order[2], 2);
	cr_assert_eq(order[3], 0);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(r[i].fired_at, when[i], "timer %d fired at %lu", i,
			     (unsigned long)r[i].fired_at);
	cr_assert_eq(timers_pending_count(), 0);
}

Test(timer, never_early)
{
	struct rec r = { .id = 0 };

	norder = 0;
	timer_setup(&r.t, record, 0);
	mod_timer(&r.t, 50);
	host_clock_advance(49 * NSEC_PER_MSEC);
	cr_assert_eq(norder, 0);
	cr_assert(timer_pending(&r.t));
	host_clock_advance(1 * NSEC_PER_MSEC);
	cr_assert_eq(norder, 1);
	cr_assert(!timer_pending(&r.t));
}

Test(timer, del_and_mod_report_pending)
{
	struct rec r = { .id = 0 };

	norder = 0;
	timer_setup(&r.t, record, 0);
	cr_assert_eq(del_timer(&r.t), 0);
	cr_assert_eq(mod_timer(&r.t, 10), 0);
	cr_assert_eq(mod_timer(&r.t, 20), 1);
	cr_assert_eq(del_timer(&r.t), 1);
	host_clock_advance(100 * NSEC_PER_MSEC);
	cr_assert_eq(norder, 0, "a deleted timer must not fire");
}

Test(timer, far_future_beyond_one_wheel_turn)
{
	struct rec r = { .id = 7 };

	norder = 0;
	timer_setup(&r.t, record, 0);
	mod_timer(&r.t, 5000);		/* ~10 turns of a 512-slot wheel */
	host_clock_advance(4999 * NSEC_PER_MSEC);
	cr_assert_eq(norder, 0);
	host_clock_advance(NSEC_PER_MSEC);
	cr_assert_eq(norder, 1);
	cr_assert_eq(r.fired_at, 5000);
}

static struct timer_list periodic;
static int periodic_runs;

static void rearm(struct timer_list *t)
{
	if (++periodic_runs < 5)
		mod_timer(t, jiffies + 10);
}

Test(timer, callback_may_rearm_itself)
{
	periodic_runs = 0;
	timer_setup(&periodic, rearm, 0);
	mod_timer(&periodic, 10);
	host_clock_advance(NSEC_PER_SEC);
	cr_assert_eq(periodic_runs, 5);
	cr_assert(!timer_pending(&periodic));
}

static struct rec victim;

static void kill_victim(struct timer_list *t)
{
	(void)t;
	del_timer(&victim.t);
}

Test(timer, callback_may_cancel_a_timer_due_in_the_same_jiffy)
{
	struct timer_list killer;

	norder = 0;
	timer_setup(&killer, kill_victim, 0);
	timer_setup(&victim.t, record, 0);
	mod_timer(&killer, 10);
	mod_timer(&victim.t, 10);
	host_clock_advance(20 * NSEC_PER_MSEC);
	cr_assert_eq(norder, 0);
}

Test(timer, next_expiry_and_past_expiry)
{
	struct rec r = { .id = 1 };
	u64 next;

	norder = 0;
	cr_assert(!next_timer_expiry(&next));
	host_clock_advance(100 * NSEC_PER_MSEC);
	timer_setup(&r.t, record, 0);
	mod_timer(&r.t, 5);		/* already past: fires at the next run */
	cr_assert(next_timer_expiry(&next));
	cr_assert_eq(next, 5);
	host_clock_advance(NSEC_PER_MSEC);
	cr_assert_eq(norder, 1);
}
