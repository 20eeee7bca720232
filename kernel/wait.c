/*
 * Wait queue mechanics (kernel/wait.h). Portable: the host runs this very
 * code on its coroutine scheduler.
 */
#include "kernel/wait.h"

void init_waitqueue_head(struct wait_queue_head *wq_head)
{
	spin_lock_init(&wq_head->lock);
	INIT_LIST_HEAD(&wq_head->head);
}

void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *e)
{
	unsigned long flags;

	e->flags &= ~WQ_FLAG_EXCLUSIVE;
	spin_lock_irqsave(&wq_head->lock, flags);
	list_add(&e->entry, &wq_head->head);	/* non-exclusive at the front */
	spin_unlock_irqrestore(&wq_head->lock, flags);
}

void add_wait_queue_exclusive(struct wait_queue_head *wq_head,
			      struct wait_queue_entry *e)
{
	unsigned long flags;

	e->flags |= WQ_FLAG_EXCLUSIVE;
	spin_lock_irqsave(&wq_head->lock, flags);
	list_add_tail(&e->entry, &wq_head->head);	/* exclusive at the back */
	spin_unlock_irqrestore(&wq_head->lock, flags);
}

void remove_wait_queue(struct wait_queue_head *wq_head,
		       struct wait_queue_entry *e)
{
	unsigned long flags;

	spin_lock_irqsave(&wq_head->lock, flags);
	list_del_init(&e->entry);
	spin_unlock_irqrestore(&wq_head->lock, flags);
}

/*
 * Queue @e (if it is not queued already: a loop that calls this again
 * after a spurious wake-up stays queued once) and set the task state, both
 * under the queue lock, so a waker either sees the entry or runs after the
 * state change and sets the task running again.
 */
static void __prepare_to_wait(struct wait_queue_head *wq_head,
			      struct wait_queue_entry *e, int state,
			      bool exclusive)
{
	unsigned long flags;

	spin_lock_irqsave(&wq_head->lock, flags);
	if (list_empty(&e->entry)) {
		if (exclusive) {
			e->flags |= WQ_FLAG_EXCLUSIVE;
			list_add_tail(&e->entry, &wq_head->head);
		} else {
			e->flags &= ~WQ_FLAG_EXCLUSIVE;
			list_add(&e->entry, &wq_head->head);
		}
	}
	set_current_state(state);
	current->wait_channel = wq_head;
	spin_unlock_irqrestore(&wq_head->lock, flags);
}

void prepare_to_wait(struct wait_queue_head *wq_head,
		     struct wait_queue_entry *e, int state)
{
	__prepare_to_wait(wq_head, e, state, false);
}

void prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
			       struct wait_queue_entry *e, int state)
{
	__prepare_to_wait(wq_head, e, state, true);
}

/* Back to running, and off the queue if no waker took us off already. */
void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *e)
{
	unsigned long flags;

	__set_current_state(TASK_RUNNING);
	current->wait_channel = NULL;
	if (!list_empty(&e->entry)) {
		spin_lock_irqsave(&wq_head->lock, flags);
		list_del_init(&e->entry);
		spin_unlock_irqrestore(&wq_head->lock, flags);
	}
}

int default_wake_function(struct wait_queue_entry *e, unsigned int mode,
			  int flags, void *key)
{
	(void)flags;
	(void)key;
	return try_to_wake_up(e->private, mode);
}

/* Wake the task and take its entry off the queue, so the next waker skips it. */
int autoremove_wake_function(struct wait_queue_entry *e, unsigned int mode,
			     int flags, void *key)
{
	int ret = default_wake_function(e, mode, flags, key);

	if (ret)
		list_del_init(&e->entry);
	return ret;
}

int __wake_up(struct wait_queue_head *wq_head, unsigned int mode,
	      int nr_exclusive, void *key)
{
	struct wait_queue_entry *e, *next;
	unsigned long flags;
	int woken = 0;

	spin_lock_irqsave(&wq_head->lock, flags);
	list_for_each_entry_safe(e, next, &wq_head->head, entry) {
		unsigned int eflags = e->flags;
		int ret = e->func(e, mode, 0, key);

		if (ret < 0)
			break;		/* a wake function may stop the walk */
		if (ret)
			woken++;
		if (ret && (eflags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive)
			break;
	}
	spin_unlock_irqrestore(&wq_head->lock, flags);
	return woken;
}
