/*
 * kernel/wait.c: wake order, nr_exclusive, autoremove, poll keys, and the
 * lost-wake-up window (a wake between prepare_to_wait and schedule).
 */
#include <criterion/criterion.h>
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/wait.h"
#include "tests/host/platform.h"

static void setup(void)
{
	host_platform_reset();
}

TestSuite(wait, .init = setup);

static int woke[8], nwoke;

struct probe {
	struct wait_queue_entry e;
	int id;
	unsigned int want;	/* poll mask it cares about; 0 = any */
};

static int probe_wake(struct wait_queue_entry *e, unsigned int mode, int flags,
		      void *key)
{
	struct probe *p = container_of(e, struct probe, e);

	(void)mode;
	(void)flags;
	if (p->want && key && !(key_to_poll(key) & p->want))
		return 0;	/* not an event this waiter asked for */
	woke[nwoke++] = p->id;
	return 1;
}

static void add_probe(struct wait_queue_head *wq, struct probe *p, int id,
		      bool exclusive)
{
	init_waitqueue_func_entry(&p->e, probe_wake);
	p->id = id;
	p->want = 0;
	if (exclusive)
		add_wait_queue_exclusive(wq, &p->e);
	else
		add_wait_queue(wq, &p->e);
}

Test(wait, all_nonexclusive_and_one_exclusive_per_wake)
{
	DECLARE_WAIT_QUEUE_HEAD(wq);
	struct probe p[4];

	nwoke = 0;
	add_probe(&wq, &p[0], 0, true);
	add_probe(&wq, &p[1], 1, false);
	add_probe(&wq, &p[2], 2, true);
	add_probe(&wq, &p[3], 3, false);
	cr_assert_eq(__wake_up(&wq, TASK_NORMAL, 1, NULL), 3);
	/* non-exclusive first (added at the head), then the first exclusive */
	cr_assert_eq(nwoke, 3);
	cr_assert_eq(woke[0], 3);
	cr_assert_eq(woke[1], 1);
	cr_assert_eq(woke[2], 0);
	nwoke = 0;
	cr_assert_eq(__wake_up(&wq, TASK_NORMAL, 0, NULL), 4, "0 wakes every exclusive one");
}

Test(wait, poll_key_filters_waiters)
{
	DECLARE_WAIT_QUEUE_HEAD(wq);
	struct probe rd, wr;

	nwoke = 0;
	add_probe(&wq, &rd, 1, false);
	rd.want = 0x1;		/* EPOLLIN */
	add_probe(&wq, &wr, 2, false);
	wr.want = 0x4;		/* EPOLLOUT */
	wake_up_interruptible_sync_poll(&wq, 0x4);
	cr_assert_eq(nwoke, 1);
	cr_assert_eq(woke[0], 2);
}

Test(wait, autoremove_takes_the_entry_off)
{
	DECLARE_WAIT_QUEUE_HEAD(wq);
	DEFINE_WAIT(w);

	prepare_to_wait(&wq, &w, TASK_INTERRUPTIBLE);
	cr_assert(waitqueue_active(&wq));
	cr_assert_eq(current->state, TASK_INTERRUPTIBLE);
	cr_assert_eq(wake_up_interruptible(&wq), 1);
	cr_assert_eq(current->state, TASK_RUNNING);
	cr_assert(!waitqueue_active(&wq), "autoremove unlinks on wake");
	finish_wait(&wq, &w);
	cr_assert_eq(wake_up(&wq), 0);
}

Test(wait, wake_before_sleep_is_not_lost)
{
	DECLARE_WAIT_QUEUE_HEAD(wq);
	DEFINE_WAIT(w);
	u64 t0 = host_now_ns();

	prepare_to_wait(&wq, &w, TASK_INTERRUPTIBLE);
	wake_up(&wq);		/* the event lands before schedule() */
	schedule();		/* must return at once: no timer is armed */
	finish_wait(&wq, &w);
	cr_assert_eq(host_now_ns(), t0, "no virtual time passed");
}

Test(wait, wake_respects_state_mask)
{
	DECLARE_WAIT_QUEUE_HEAD(wq);
	DEFINE_WAIT(w);

	prepare_to_wait(&wq, &w, TASK_UNINTERRUPTIBLE);
	cr_assert_eq(wake_up_interruptible(&wq), 0,
		     "an uninterruptible sleeper is not woken by _interruptible");
	cr_assert_eq(wake_up(&wq), 1);
	finish_wait(&wq, &w);
}

Test(wait, wait_event_timeout_expires_on_time_not_early)
{
	DECLARE_WAIT_QUEUE_HEAD(wq);
	int cond = 0;
	long left = wait_event_timeout(wq, cond, 250);

	cr_assert_eq(left, 0);
	cr_assert_geq(jiffies, 250);
	cr_assert_leq(jiffies, 251);
}

static struct wait_queue_head *event_wq;
static int *event_cond;

static void fire_event(struct timer_list *t)
{
	(void)t;
	*event_cond = 1;
	wake_up(event_wq);
}

Test(wait, wait_event_timeout_wakes_on_the_event_first)
{
	DECLARE_WAIT_QUEUE_HEAD(wq);
	struct timer_list ev;
	int cond = 0;
	long left;

	event_wq = &wq;
	event_cond = &cond;
	timer_setup(&ev, fire_event, 0);
	mod_timer(&ev, 40);
	left = wait_event_timeout(wq, cond, 1000);
	cr_assert_eq(jiffies, 40);
	cr_assert_eq(left, 960);
	cr_assert(!waitqueue_active(&wq));
}
