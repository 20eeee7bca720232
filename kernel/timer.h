/*
 * Kernel timers (Linux's timer_list API) on a timing wheel driven by
 * jiffies. Callbacks run in softirq context (TIMER_SOFTIRQ) with interrupts
 * enabled. The same code runs on the host, driven by the virtual clock.
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include "lib/list.h"

struct timer_list {
	struct list_head entry;	/* in its wheel slot; next == NULL: not pending */
	u64 expires;		/* in jiffies */
	void (*function)(struct timer_list *t);
	u32 flags;
};

#define from_timer(var, t, field)	container_of(t, __typeof__(*var), field)

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *),
		 unsigned int flags);
/* (Re)arm @t for @expires; returns 1 if it was pending, 0 if not. */
int mod_timer(struct timer_list *t, u64 expires);
/* Disarm; returns 1 if it was pending. */
int del_timer(struct timer_list *t);
/*
 * On this uniprocessor kernel a callback cannot be running on another CPU,
 * so the _sync variant only adds the rule that it must not be called from
 * the timer's own callback.
 */
int del_timer_sync(struct timer_list *t);
bool timer_pending(const struct timer_list *t);

void timers_init(void);
/* Run every timer due at or before the current jiffies, in expiry order. */
void run_timers(void);
/* Earliest expiry of a pending timer; false when none is pending. */
bool next_timer_expiry(u64 *expires);
unsigned int timers_pending_count(void);

#endif
