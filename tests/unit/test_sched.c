/*
 * The scheduler's rules on the host's coroutine scheduler (tests/host/
 * sched.c): run-queue order, exclusive wake order with real sleeping
 * tasks, a wake-up that lands before the sleep, and timeouts that end a
 * sleep on the event or at the timeout, whichever comes first.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "kernel/sched.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/wait.h"
#include "tests/host/platform.h"
#include "tests/host/sched.h"
#include "tests/host/teardown.h"

static char trace[64];
static unsigned int ntrace;

static void note(char c)
{
	trace[ntrace++] = c;
	trace[ntrace] = '\0';
}

static void setup(void)
{
	host_platform_reset();
	ntrace = 0;
	trace[0] = '\0';
}

static void teardown(void)
{
	host_sched_finish();
	teardown_assert(host_sched_tasks() == 0, "every task ended and was freed");
}

TestSuite(sched, .init = setup, .fini = teardown);

static int yielder(void *arg)
{
	for (int i = 0; i < 3; i++) {
		note(*(const char *)arg);
		yield();
	}
	return 0;
}

Test(sched, two_tasks_interleave_round_robin)
{
	kthread_run(yielder, "a", "a");
	kthread_run(yielder, "b", "b");
	host_sched_finish();
	cr_assert_str_eq(trace, "ababab");
}

static int sleeper(void *arg)
{
	set_current_state(TASK_INTERRUPTIBLE);
	schedule();
	note(*(const char *)arg);
	return 0;
}

Test(sched, woken_tasks_run_in_wake_order)
{
	struct task_struct *a = kthread_run(sleeper, "a", "a");
	struct task_struct *b = kthread_run(sleeper, "b", "b");
	struct task_struct *c = kthread_run(sleeper, "c", "c");

	host_sched_run_ready();
	cr_assert_eq(a->state, TASK_INTERRUPTIBLE);
	cr_assert_str_eq(trace, "", "nobody runs before being woken");
	wake_up_process(c);
	wake_up_process(a);
	wake_up_process(b);
	host_sched_run_ready();
	cr_assert_str_eq(trace, "cab");
}

static DECLARE_WAIT_QUEUE_HEAD(token_wq);
static int tokens;

static int token_taker(void *arg)
{
	wait_event_interruptible_exclusive(token_wq, tokens > 0);
	tokens--;
	note(*(const char *)arg);
	return 0;
}

static int watcher(void *arg)
{
	(void)arg;
	wait_event_interruptible(token_wq, tokens > 0);
	note('w');
	return 0;
}

Test(sched, exclusive_waiters_wake_one_at_a_time_in_queue_order)
{
	kthread_run(token_taker, "1", "t1");
	kthread_run(token_taker, "2", "t2");
	kthread_run(watcher, NULL, "watcher");
	kthread_run(token_taker, "3", "t3");
	host_sched_run_ready();
	cr_assert_str_eq(trace, "");

	tokens = 1;
	cr_assert_eq(wake_up(&token_wq), 2, "the watcher and one exclusive waiter");
	host_sched_run_ready();
	cr_assert_str_eq(trace, "w1",
			 "non-exclusive first (at the head), then the first exclusive");

	tokens = 1;
	wake_up(&token_wq);
	host_sched_run_ready();
	cr_assert_str_eq(trace, "w12");
	tokens = 1;
	wake_up(&token_wq);
	host_sched_run_ready();
	cr_assert_str_eq(trace, "w123");
	cr_assert(!waitqueue_active(&token_wq), "autoremove took each woken entry off");
}

static DECLARE_WAIT_QUEUE_HEAD(event_wq);
static int event;

static void event_fires(struct timer_list *t)
{
	(void)t;
	event = 1;
	wake_up(&event_wq);
}

/* The "interrupt" lands between the condition check and schedule(). */
static int racer(void *arg)
{
	DEFINE_WAIT(w);
	struct timer_list *t = arg;
	u64 j0;

	prepare_to_wait(&event_wq, &w, TASK_INTERRUPTIBLE);
	if (!event) {
		mod_timer(t, jiffies + 1);
		host_clock_advance(NSEC_PER_SEC / HZ); /* fires: wake lands now */
		j0 = jiffies;
		schedule();
		cr_assert_eq(jiffies, j0, "schedule() returned at once");
	}
	finish_wait(&event_wq, &w);
	note(event ? 'y' : 'n');
	return 0;
}

Test(sched, a_wake_before_the_sleep_is_not_lost)
{
	struct timer_list t;

	event = 0;
	timer_setup(&t, event_fires, 0);
	kthread_run(racer, &t, "racer");
	host_sched_finish();
	cr_assert_str_eq(trace, "y");
}

static long timed_left;
static u64 timed_woke_at;

static int timed_waiter(void *arg)
{
	(void)arg;
	timed_left = wait_event_timeout(event_wq, event, 100);
	timed_woke_at = jiffies;
	note('t');
	return 0;
}

static int late_event(void *arg)
{
	msleep((unsigned int)(uintptr_t)arg);
	event = 1;
	wake_up(&event_wq);
	note('e');
	return 0;
}

Test(sched, timeout_ends_the_sleep_when_no_event_comes)
{
	event = 0;
	kthread_run(timed_waiter, NULL, "waiter");
	host_sched_finish();
	cr_assert_eq(timed_left, 0);
	cr_assert_eq(timed_woke_at, 100, "not early, not late");
}

Test(sched, the_event_ends_the_sleep_before_the_timeout)
{
	event = 0;
	kthread_run(timed_waiter, NULL, "waiter");
	kthread_run(late_event, (void *)(uintptr_t)30, "event");
	host_sched_finish();
	cr_assert_str_eq(trace, "et");
	cr_assert_eq(timed_woke_at, 31, "msleep(30) is 31 jiffies from a tick boundary");
	cr_assert_eq(timed_left, 69);
	cr_assert(!waitqueue_active(&event_wq));
}

Test(sched, an_event_after_the_timeout_finds_nobody)
{
	event = 0;
	kthread_run(timed_waiter, NULL, "waiter");
	kthread_run(late_event, (void *)(uintptr_t)150, "event");
	host_sched_finish();
	cr_assert_str_eq(trace, "te");
	cr_assert_eq(timed_left, 0);
	cr_assert_eq(timed_woke_at, 100);
}

static int napper(void *arg)
{
	msleep((unsigned int)(uintptr_t)arg);
	note((char)('0' + (uintptr_t)arg / 10));
	return 0;
}

Test(sched, sleepers_wake_in_deadline_order_never_early)
{
	u64 t0 = host_now_ns();

	kthread_run(napper, (void *)(uintptr_t)30, "n30");
	kthread_run(napper, (void *)(uintptr_t)10, "n10");
	kthread_run(napper, (void *)(uintptr_t)20, "n20");
	msleep(40);
	cr_assert_str_eq(trace, "123");
	cr_assert_geq(host_now_ns() - t0, 40 * NSEC_PER_MSEC);
}
