/*
 * A single-level timing wheel: TIMER_WHEEL_SIZE slots of lists, a timer
 * sits in slot (expires % size). run_timers() visits one slot per elapsed
 * jiffy and fires the timers in it that are due; later ones (a full turn or
 * more away) stay where they are. Within one jiffy timers fire in the order
 * they were armed; across jiffies, in expiry order.
 *
 * A slot is a doubly linked list so that arming appends in O(1) (a storm of
 * connections arms thousands of timers). As in Linux 2.6's timers, a timer
 * is pending exactly when entry.next is not NULL, so a zeroed timer_list is
 * an idle one.
 *
 * Portable: kernel and host share it; only jiffies differs.
 */
#include "kernel/timer.h"
#include "kernel/panic.h"
#include "kernel/softirq.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"

#define TIMER_WHEEL_SIZE	512

static struct list_head wheel[TIMER_WHEEL_SIZE];
static u64 wheel_clk;		/* next jiffy run_timers() will process */
static unsigned int npending;
static struct timer_list *running_timer;
static DEFINE_SPINLOCK(timer_lock);

static void timer_softirq(void)
{
	run_timers();
}

void timers_init(void)
{
	for (int i = 0; i < TIMER_WHEEL_SIZE; i++)
		INIT_LIST_HEAD(&wheel[i]);
	wheel_clk = jiffies;
	npending = 0;
	open_softirq(TIMER_SOFTIRQ, timer_softirq);
}

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *),
		 unsigned int flags)
{
	t->entry.next = NULL;
	t->entry.prev = NULL;
	t->function = fn;
	t->flags = flags;
	t->expires = 0;
}

bool timer_pending(const struct timer_list *t)
{
	return t->entry.next != NULL;
}

static int detach_timer(struct timer_list *t)
{
	if (!timer_pending(t))
		return 0;
	__list_del(t->entry.prev, t->entry.next);
	t->entry.next = NULL;
	t->entry.prev = NULL;
	npending--;
	return 1;
}

/* Append at the tail of the slot so same-jiffy timers keep arming order. */
static void enqueue_timer(struct timer_list *t)
{
	u64 at = time_before(t->expires, wheel_clk) ? wheel_clk : t->expires;

	list_add_tail(&t->entry, &wheel[at % TIMER_WHEEL_SIZE]);
	npending++;
}

int mod_timer(struct timer_list *t, u64 expires)
{
	unsigned long flags;
	int was;

	if (!t->function)
		panic("mod_timer: timer %p was never set up", (void *)t);
	spin_lock_irqsave(&timer_lock, flags);
	was = detach_timer(t);
	t->expires = expires;
	enqueue_timer(t);
	spin_unlock_irqrestore(&timer_lock, flags);
	return was;
}

int del_timer(struct timer_list *t)
{
	unsigned long flags;
	int was;

	spin_lock_irqsave(&timer_lock, flags);
	was = detach_timer(t);
	spin_unlock_irqrestore(&timer_lock, flags);
	return was;
}

int del_timer_sync(struct timer_list *t)
{
	if (running_timer == t)
		panic("del_timer_sync from the timer's own callback");
	return del_timer(t);
}

/* Fire the timers of slot @clk that are due; the lock is held on entry. */
static void run_slot(u64 clk, unsigned long *flags)
{
	struct list_head *slot = &wheel[clk % TIMER_WHEEL_SIZE];
	struct list_head *n = slot->next;

	while (n != slot) {
		struct timer_list *t = list_entry(n, struct timer_list, entry);

		if (time_after(t->expires, clk)) {
			n = n->next;
			continue;
		}
		detach_timer(t);
		running_timer = t;
		spin_unlock_irqrestore(&timer_lock, *flags);
		t->function(t);
		spin_lock_irqsave(&timer_lock, *flags);
		running_timer = NULL;
		n = slot->next;		/* the callback may have changed the slot */
	}
}

void run_timers(void)
{
	unsigned long flags;
	u64 now = jiffies;

	spin_lock_irqsave(&timer_lock, flags);
	while (!time_after(wheel_clk, now)) {
		u64 clk = wheel_clk;

		if (!npending) {	/* nothing armed: jump ahead */
			wheel_clk = now + 1;
			break;
		}
		wheel_clk = clk + 1;	/* re-armed timers land in the future */
		run_slot(clk, &flags);
	}
	spin_unlock_irqrestore(&timer_lock, flags);
}

bool next_timer_expiry(u64 *expires)
{
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&timer_lock, flags);
	for (int i = 0; i < TIMER_WHEEL_SIZE; i++) {
		struct timer_list *t;

		list_for_each_entry(t, &wheel[i], entry) {
			if (!found || time_before(t->expires, *expires))
				*expires = t->expires;
			found = true;
		}
	}
	spin_unlock_irqrestore(&timer_lock, flags);
	return found;
}

unsigned int timers_pending_count(void)
{
	return npending;
}
