/*
 * Wait queues, as Linux builds them (seed 004 §3.3-3.6): a head with a list
 * of entries, each entry naming a task and a wake function. A sleeper
 * queues itself with prepare_to_wait(), re-checks its condition, and only
 * then calls schedule(); a waker that comes in between has already set the
 * task back to TASK_RUNNING, so schedule() returns at once and no wake-up
 * is lost. Exclusive waiters sit at the tail and are woken nr_exclusive at
 * a time; non-exclusive ones are all woken.
 */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "lib/list.h"

struct wait_queue_entry;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry,
				 unsigned int mode, int flags, void *key);

#define WQ_FLAG_EXCLUSIVE	0x01
#define WQ_FLAG_WOKEN		0x02

struct wait_queue_entry {
	unsigned int flags;
	void *private;		/* the task, for the default wake functions */
	wait_queue_func_t func;
	struct list_head entry;
};

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;
typedef struct wait_queue_entry wait_queue_entry_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) \
	{ .lock = __SPIN_LOCK_UNLOCKED, .head = LIST_HEAD_INIT(name.head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

void init_waitqueue_head(struct wait_queue_head *wq_head);

int default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			  int flags, void *key);
int autoremove_wake_function(struct wait_queue_entry *wq_entry,
			     unsigned int mode, int flags, void *key);

#define DEFINE_WAIT_FUNC(name, function)				\
	struct wait_queue_entry name = {				\
		.private = current,					\
		.func = function,					\
		.entry = LIST_HEAD_INIT((name).entry),			\
	}
#define DEFINE_WAIT(name)	DEFINE_WAIT_FUNC(name, autoremove_wake_function)

static inline void init_waitqueue_entry(struct wait_queue_entry *e,
					struct task_struct *p)
{
	e->flags = 0;
	e->private = p;
	e->func = default_wake_function;
	INIT_LIST_HEAD(&e->entry);
}

static inline void init_waitqueue_func_entry(struct wait_queue_entry *e,
					     wait_queue_func_t func)
{
	e->flags = 0;
	e->private = NULL;
	e->func = func;
	INIT_LIST_HEAD(&e->entry);
}

static inline bool waitqueue_active(struct wait_queue_head *wq_head)
{
	return !list_empty(&wq_head->head);
}

void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *e);
void add_wait_queue_exclusive(struct wait_queue_head *wq_head,
			      struct wait_queue_entry *e);
void remove_wait_queue(struct wait_queue_head *wq_head,
		       struct wait_queue_entry *e);
void prepare_to_wait(struct wait_queue_head *wq_head,
		     struct wait_queue_entry *e, int state);
void prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
			       struct wait_queue_entry *e, int state);
void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *e);

/* Wake waiters whose state is in @mode: all non-exclusive ones and at most
 * @nr_exclusive exclusive ones (0 = all). @key is passed to wake functions
 * (a poll mask for socket waiters). Returns how many wake functions said
 * they woke someone. */
int __wake_up(struct wait_queue_head *wq_head, unsigned int mode,
	      int nr_exclusive, void *key);

/* Poll masks travel as the wake key, as Linux's poll_to_key(). */
#define poll_to_key(m)	((void *)(uintptr_t)(m))
#define key_to_poll(k)	((unsigned int)(uintptr_t)(k))

#define wake_up(x)			__wake_up(x, TASK_NORMAL, 1, NULL)
#define wake_up_nr(x, nr)		__wake_up(x, TASK_NORMAL, nr, NULL)
#define wake_up_all(x)			__wake_up(x, TASK_NORMAL, 0, NULL)
#define wake_up_interruptible(x)	__wake_up(x, TASK_INTERRUPTIBLE, 1, NULL)
#define wake_up_interruptible_all(x)	__wake_up(x, TASK_INTERRUPTIBLE, 0, NULL)
#define wake_up_interruptible_poll(x, m) \
	__wake_up(x, TASK_INTERRUPTIBLE, 1, poll_to_key(m))
/*
 * "sync": the waker is about to sleep or return, so the woken task need
 * not preempt it. This scheduler only preempts on return to user mode, so
 * sync and plain wake-ups behave the same; the name is kept for readers of
 * sock_def_readable().
 */
#define wake_up_interruptible_sync_poll(x, m) \
	__wake_up(x, TASK_INTERRUPTIBLE, 1, poll_to_key(m))

/*
 * wait_event*(wq, condition): sleep until @condition is true. The condition
 * is re-evaluated after every wake-up, with the entry queued first so no
 * wake-up between the check and the sleep can be missed.
 */
#define ___wait_event(wq, condition, state, exclusive, ret, cmd)	\
({									\
	long __ret = (ret);						\
	DEFINE_WAIT(__wq_entry);					\
	for (;;) {							\
		if (exclusive)						\
			prepare_to_wait_exclusive(&(wq), &__wq_entry, state); \
		else							\
			prepare_to_wait(&(wq), &__wq_entry, state);	\
		if (condition)						\
			break;						\
		if ((state) == TASK_INTERRUPTIBLE && signal_pending(current)) { \
			__ret = -EINTR;					\
			break;						\
		}							\
		cmd;							\
	}								\
	finish_wait(&(wq), &__wq_entry);				\
	__ret;								\
})

#define wait_event(wq, condition)					\
	do {								\
		if (!(condition))					\
			(void)___wait_event(wq, condition,		\
					    TASK_UNINTERRUPTIBLE, 0, 0,	\
					    schedule());		\
	} while (0)

#define wait_event_interruptible(wq, condition)				\
	((condition) ? 0 : (int)___wait_event(wq, condition,		\
					      TASK_INTERRUPTIBLE, 0, 0,	\
					      schedule()))

/* As wait_event_interruptible, queued exclusive: one waker wakes one of these. */
#define wait_event_interruptible_exclusive(wq, condition)		\
	((condition) ? 0 : (int)___wait_event(wq, condition,		\
					      TASK_INTERRUPTIBLE, 1, 0,	\
					      schedule()))

/* Returns 0 on timeout, else the jiffies left (at least 1). */
#define wait_event_timeout(wq, condition, timeout)			\
({									\
	long __t = (timeout);						\
	if (!(condition))						\
		__t = ___wait_event(wq, (condition) || !__t,		\
				    TASK_UNINTERRUPTIBLE, 0, __t,	\
				    __ret = __t = schedule_timeout(__t)); \
	if (__t == 0 && (condition))					\
		__t = 1;						\
	__t;								\
})

#define wait_event_interruptible_timeout(wq, condition, timeout)	\
({									\
	long __t = (timeout);						\
	if (!(condition))						\
		__t = ___wait_event(wq, (condition) || !__t,		\
				    TASK_INTERRUPTIBLE, 0, __t,		\
				    __ret = __t = schedule_timeout(__t)); \
	if (__t == 0 && (condition))					\
		__t = 1;						\
	__t;								\
})

#endif
