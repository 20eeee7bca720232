/*
 * epoll (Linux fs/eventpoll.c), on the same wait queues and poll keys as
 * poll(2): each watched file gets a wait entry whose wake function,
 * ep_poll_callback, puts the item on the ready list when the wake key
 * holds an event the item asked for, and wakes epoll_wait. epoll_wait
 * re-polls each ready item: level-triggered items stay on the list while
 * still ready, EPOLLET items leave it until the next wake-up, EPOLLONESHOT
 * items are disarmed until EPOLL_CTL_MOD. The callback runs in the
 * softirq, so process context turns interrupts off around the ready list.
 */
#include "kernel/poll.h"
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "kernel/slab.h"
#include "kernel/time.h"
#include "kernel/uaccess.h"
#include "lib/errno.h"
#include "lib/list.h"

#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3
#define EPOLL_CLOEXEC	O_CLOEXEC
#define EP_MAX_EVENTS	(0x7fffffff / (int)sizeof(struct epoll_event))
#define EP_MAX_NESTS	4	/* epoll sets watching epoll sets, at most (Linux's) */
/* Flags that are not events: kept out of every mask test. */
#define EP_PRIVATE_BITS	(EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)

/* As x86-64 user space lays it out: packed, 12 bytes. */
struct epoll_event {
	u32 events;
	u64 data;
} __packed;
BUILD_BUG_ON(sizeof(struct epoll_event) != 12);

struct eventpoll {
	struct list_head all;		/* on eventpolls, for eventpoll_release */
	wait_queue_head_t wq;		/* epoll_wait sleepers */
	struct list_head rdllist;	/* items that may be ready */
	struct list_head items;		/* every watched (file, fd) */
	struct file *file;		/* the epoll fd's file */
};

/* Every epoll instance: a closing file leaves all of them (eventpoll_release). */
static LIST_HEAD(eventpolls);

struct epitem {
	struct list_head rdllink;	/* on rdllist when queued */
	struct list_head itemlink;	/* on ep->items */
	struct eventpoll *ep;
	struct file *file;
	int fd;
	struct epoll_event event;
	struct wait_queue_entry wait;	/* on the file's wait queue */
	wait_queue_head_t *whead;	/* ... which is this one */
};

/* What the file's ->poll reports now, limited to what the item asked for. */
static unsigned int ep_item_poll(struct epitem *epi, poll_table *pt)
{
	struct file *f = epi->file;
	unsigned int mask = f->f_op->poll ? f->f_op->poll(f, pt) : 0;

	return mask & (epi->event.events | EPOLLERR | EPOLLHUP);
}

/* Queue @epi as ready (if it is not) and wake epoll_wait. */
static void ep_make_ready(struct epitem *epi)
{
	unsigned long flags;

	local_irq_save(flags);
	if (list_empty(&epi->rdllink))
		list_add_tail(&epi->rdllink, &epi->ep->rdllist);
	local_irq_restore(flags);
	if (waitqueue_active(&epi->ep->wq))
		wake_up(&epi->ep->wq);
}

/*
 * The wake function on a watched file's queue: called by its waker
 * (sock_def_readable, ...) with the events that happened as the key.
 * Returns 1 only when it took the event, so an exclusive wake-up that
 * this item ignores goes on to the next waiter.
 */
static int ep_poll_callback(struct wait_queue_entry *wait, unsigned int mode,
			    int sync, void *key)
{
	struct epitem *epi = container_of(wait, struct epitem, wait);
	unsigned int events = epi->event.events & ~EP_PRIVATE_BITS;

	if (!events)
		return 0;	/* EPOLLONESHOT, disarmed */
	if (key && !(key_to_poll(key) & (events | EPOLLERR | EPOLLHUP)))
		return 0;
	ep_make_ready(epi);
	return 1;
}

static void ep_ptable_queue_proc(struct file *file, wait_queue_head_t *whead,
				 poll_table *pt);

struct ep_pqueue {
	poll_table pt;
	struct epitem *epi;
};

static void ep_ptable_queue_proc(struct file *file, wait_queue_head_t *whead,
				 poll_table *pt)
{
	struct epitem *epi = container_of(pt, struct ep_pqueue, pt)->epi;

	if (epi->whead)
		return;		/* one queue per file is all a socket has */
	init_waitqueue_func_entry(&epi->wait, ep_poll_callback);
	epi->whead = whead;
	if (epi->event.events & EPOLLEXCLUSIVE)
		add_wait_queue_exclusive(whead, &epi->wait);
	else
		add_wait_queue(whead, &epi->wait);
}

static struct epitem *ep_find(struct eventpoll *ep, struct file *file, int fd)
{
	struct epitem *epi;

	list_for_each_entry(epi, &ep->items, itemlink)
		if (epi->file == file && epi->fd == fd)
			return epi;
	return NULL;
}

static int ep_insert(struct eventpoll *ep, const struct epoll_event *event,
		     struct file *tfile, int fd)
{
	struct epitem *epi = kzalloc(sizeof(*epi));
	struct ep_pqueue epq;

	if (!epi)
		return -ENOMEM;
	INIT_LIST_HEAD(&epi->rdllink);
	epi->ep = ep;
	epi->file = tfile;	/* no reference: closing the file removes the item */
	epi->fd = fd;
	epi->event = *event;
	list_add_tail(&epi->itemlink, &ep->items);
	epq.epi = epi;
	init_poll_funcptr(&epq.pt, ep_ptable_queue_proc);
	if (ep_item_poll(epi, &epq.pt))
		ep_make_ready(epi);
	return 0;
}

static void ep_remove(struct epitem *epi)
{
	unsigned long flags;

	if (epi->whead)
		remove_wait_queue(epi->whead, &epi->wait);
	local_irq_save(flags);
	list_del_init(&epi->rdllink);
	local_irq_restore(flags);
	list_del(&epi->itemlink);
	kfree(epi);
}

static int ep_modify(struct epitem *epi, const struct epoll_event *event)
{
	epi->event = *event;
	if (ep_item_poll(epi, NULL))
		ep_make_ready(epi);
	return 0;
}

/* The epoll fd itself: readable while something is ready. */
static unsigned int ep_eventpoll_poll(struct file *file, poll_table *wait)
{
	struct eventpoll *ep = file->private_data;

	poll_wait(file, &ep->wq, wait);
	return list_empty(&ep->rdllist) ? 0 : EPOLLIN | EPOLLRDNORM;
}

static int ep_eventpoll_release(struct file *file)
{
	struct eventpoll *ep = file->private_data;
	struct epitem *epi, *tmp;

	list_for_each_entry_safe(epi, tmp, &ep->items, itemlink)
		ep_remove(epi);
	list_del(&ep->all);
	kfree(ep);
	return 0;
}

/**
 * eventpoll_release - @file is being freed (its last fput): drop it from
 * every epoll set, as Linux's __fput does, so epoll never holds a file open.
 */
void eventpoll_release(struct file *file)
{
	struct eventpoll *ep;
	struct epitem *epi, *tmp;

	list_for_each_entry(ep, &eventpolls, all)
		list_for_each_entry_safe(epi, tmp, &ep->items, itemlink)
			if (epi->file == file)
				ep_remove(epi);
}

/* Linux (6.9+) answers ioctls on an epoll fd itself: its busy-poll
 * parameters (EPIOCSPARAMS, EPIOCGPARAMS) are out of scope, -EINVAL. */
static long ep_eventpoll_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	(void)file;
	(void)cmd;
	(void)arg;
	return -EINVAL;
}

static const struct file_operations eventpoll_fops = {
	.poll = ep_eventpoll_poll,
	.unlocked_ioctl = ep_eventpoll_ioctl,
	.release = ep_eventpoll_release,
};

long sys_epoll_create1(unsigned long flags)
{
	struct eventpoll *ep;
	struct file *file;
	int fd;

	if ((int)flags & ~EPOLL_CLOEXEC)	/* an int in Linux's prototype */
		return -EINVAL;
	if (!current->files)
		return -EMFILE;
	ep = kzalloc(sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	init_waitqueue_head(&ep->wq);
	list_add(&ep->all, &eventpolls);
	INIT_LIST_HEAD(&ep->rdllist);
	INIT_LIST_HEAD(&ep->items);
	file = alloc_file(&eventpoll_fops, O_RDWR, ep);
	if (!file) {
		list_del(&ep->all);
		kfree(ep);
		return -ENFILE;
	}
	ep->file = file;
	fd = fd_install_from(current->files, file, 0, flags & EPOLL_CLOEXEC);
	if (fd < 0)
		fput(file);
	return fd;
}

long sys_epoll_create(unsigned long size)
{
	if ((int)size <= 0)
		return -EINVAL;
	return sys_epoll_create1(0);
}

static int ep_ctl(struct eventpoll *ep, int op, struct file *tf, int fd,
		  struct epoll_event *epds)
{
	struct epitem *epi = ep_find(ep, tf, fd);

	switch (op) {
	case EPOLL_CTL_ADD:
		if (epi)
			return -EEXIST;
		return ep_insert(ep, epds, tf, fd);
	case EPOLL_CTL_DEL:
		if (!epi)
			return -ENOENT;
		ep_remove(epi);
		return 0;
	case EPOLL_CTL_MOD:
		if (!epi)
			return -ENOENT;
		if ((epds->events | epi->event.events) & EPOLLEXCLUSIVE)
			return -EINVAL;
		return ep_modify(epi, epds);
	}
	return -EINVAL;
}

static bool is_file_epoll(const struct file *f)
{
	return f->f_op == &eventpoll_fops;
}

/*
 * How many epoll sets lie below @ep (0: it watches none), or more than
 * EP_MAX_NESTS if @inserting_into is among them: a cycle.
 */
static int ep_depth_down(const struct eventpoll *ep, const struct eventpoll *inserting_into,
			 int depth)
{
	const struct epitem *epi;
	int result = 0;

	list_for_each_entry(epi, &ep->items, itemlink) {
		const struct eventpoll *below;
		int d;

		if (!is_file_epoll(epi->file))
			continue;
		below = epi->file->private_data;
		if (below == inserting_into || depth > EP_MAX_NESTS)
			return EP_MAX_NESTS + 1;
		d = ep_depth_down(below, inserting_into, depth + 1) + 1;
		result = max(result, d);
		if (result > EP_MAX_NESTS)
			break;
	}
	return result;
}

/* How many epoll sets watch @ep, one above another. */
static int ep_depth_up(const struct eventpoll *ep)
{
	const struct eventpoll *above;
	const struct epitem *epi;
	int result = 0;

	list_for_each_entry(above, &eventpolls, all) {
		list_for_each_entry(epi, &above->items, itemlink) {
			int d;

			if (epi->file != ep->file)
				continue;
			d = ep_depth_up(above) + 1;
			result = max(result, d);
		}
	}
	return result;
}

/*
 * Linux's ep_loop_check: @ep may watch the epoll set @to unless that
 * closes a cycle (a wake-up would go round it forever, re-taking the
 * first queue's lock) or nests epoll sets deeper than EP_MAX_NESTS (each
 * level is a nested wake-up on the kernel stack).
 */
static bool ep_loop_check(const struct eventpoll *ep, const struct eventpoll *to)
{
	int depth = ep_depth_down(to, ep, 0);

	return depth > EP_MAX_NESTS || depth + 1 + ep_depth_up(ep) > EP_MAX_NESTS;
}

/* Linux's checks, in Linux's order: EFAULT, EBADF, EPERM, EINVAL, ELOOP. */
long sys_epoll_ctl(unsigned long epfd, unsigned long op, unsigned long fd,
		   unsigned long event)
{
	struct epoll_event epds = { 0 };
	struct file *f, *tf;
	long err;

	if (op != EPOLL_CTL_DEL &&
	    copy_from_user(&epds, (void __user *)event, sizeof(epds)))
		return -EFAULT;
	f = fget((unsigned int)epfd);
	if (!f)
		return -EBADF;
	tf = fget((unsigned int)fd);
	err = -EBADF;
	if (!tf)
		goto out_f;
	err = -EPERM;
	if (!tf->f_op->poll)
		goto out_tf;
	err = -EINVAL;
	if (f == tf || f->f_op != &eventpoll_fops)
		goto out_tf;
	err = -ELOOP;
	if ((int)op == EPOLL_CTL_ADD && is_file_epoll(tf) &&
	    ep_loop_check(f->private_data, tf->private_data))
		goto out_tf;
	err = ep_ctl(f->private_data, (int)op, tf, (int)fd, &epds);
out_tf:
	fput(tf);
out_f:
	fput(f);
	return err;
}

/* Report ready items; level-triggered ones that are still ready stay queued. */
static int ep_send_events(struct eventpoll *ep, struct epoll_event __user *ev,
			  int maxevents)
{
	struct epitem *epi, *tmp;
	unsigned long flags;
	LIST_HEAD(txlist);
	int res = 0;

	/* Interrupts stay off: the callback must not touch the lists meanwhile. */
	local_irq_save(flags);
	list_splice_tail_init(&ep->rdllist, &txlist);
	list_for_each_entry_safe(epi, tmp, &txlist, rdllink) {
		struct epoll_event out;

		if (res >= maxevents)
			break;
		list_del_init(&epi->rdllink);
		out.events = ep_item_poll(epi, NULL);
		if (!out.events)
			continue;
		out.data = epi->event.data;
		if (copy_to_user(&ev[res], &out, sizeof(out))) {
			list_add_tail(&epi->rdllink, &ep->rdllist);
			if (!res)
				res = -EFAULT;
			break;
		}
		res++;
		if (epi->event.events & EPOLLONESHOT)
			epi->event.events &= EP_PRIVATE_BITS;
		else if (!(epi->event.events & EPOLLET))
			list_add_tail(&epi->rdllink, &ep->rdllist);
	}
	list_splice_tail_init(&txlist, &ep->rdllist);	/* beyond maxevents */
	local_irq_restore(flags);
	return res;
}

static int ep_poll(struct eventpoll *ep, struct epoll_event __user *events,
		   int maxevents, long timeout)
{
	int res;

	for (;;) {
		res = ep_send_events(ep, events, maxevents);
		if (res || !timeout)
			return res;
		if (signal_pending(current))
			return -EINTR;
		timeout = wait_event_interruptible_timeout(ep->wq,
							   !list_empty(&ep->rdllist),
							   timeout);
		if (!timeout && list_empty(&ep->rdllist))
			return 0;
	}
}

long sys_epoll_wait(unsigned long epfd, unsigned long events,
		    unsigned long maxevents, unsigned long timeout)
{
	int max = (int)maxevents, ms = (int)timeout;
	long jif = ms < 0 ? MAX_SCHEDULE_TIMEOUT
			  : (long)msecs_to_jiffies((u64)ms) + (ms ? 1 : 0);
	struct file *f;
	long ret;

	/* Linux's order (6.x do_epoll_wait): the fd, the count, the buffer. */
	f = fget((unsigned int)epfd);
	if (!f)
		return -EBADF;
	if (max <= 0 || max > EP_MAX_EVENTS)
		ret = -EINVAL;
	else if (!access_ok((void __user *)events, (size_t)max * sizeof(struct epoll_event)))
		ret = -EFAULT;
	else
		ret = f->f_op == &eventpoll_fops ?
		      ep_poll(f->private_data, (void __user *)events, max, jif) : -EINVAL;
	fput(f);
	return ret;
}

/* The signal mask is read first, as Linux's set_user_sigmask(), and then
 * unused: no signals are delivered here. */
long sys_epoll_pwait(unsigned long epfd, unsigned long events,
		     unsigned long maxevents, unsigned long timeout,
		     unsigned long sigmask, unsigned long sigsetsize)
{
	u64 mask;

	if (sigmask && sigsetsize != sizeof(u64))
		return -EINVAL;
	if (sigmask && copy_from_user(&mask, (const void __user *)sigmask, sizeof(mask)))
		return -EFAULT;
	return sys_epoll_wait(epfd, events, maxevents, timeout);
}
