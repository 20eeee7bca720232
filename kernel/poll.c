/*
 * poll(2) and ppoll(2) (Linux fs/select.c): ask each file's ->poll for its
 * mask, queueing on the file's wait queues the first time round; if
 * nothing is ready, sleep until a wake-up whose key matches an event we
 * asked for (pollwake), or the timeout; then ask again.
 */
#include "kernel/poll.h"
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "kernel/slab.h"
#include "kernel/syscalls.h"
#include "kernel/time.h"
#include "kernel/uaccess.h"
#include "lib/errno.h"

/* Linux refuses more entries than RLIMIT_NOFILE, 1024 by default. */
#define POLL_MAX_FDS	1024
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

struct pollfd {
	int fd;
	short events;
	short revents;
};

struct poll_table_entry {
	struct file *filp;
	unsigned int key;
	struct wait_queue_entry wait;
	wait_queue_head_t *wait_address;
};

/* Linux's poll_wqueues: the table, the sleeper, and one entry per queue. */
struct poll_wqueues {
	poll_table pt;
	struct task_struct *polling_task;
	bool triggered;
	int nentries, max;
	struct poll_table_entry entries[];	/* one per file polled */
};

/* A wake-up on one of our queues: ours if its key is an event we want. */
static int pollwake(struct wait_queue_entry *wait, unsigned int mode, int sync,
		    void *key)
{
	struct poll_table_entry *entry =
		container_of(wait, struct poll_table_entry, wait);
	struct poll_wqueues *pwq = wait->private;

	if (key && !(key_to_poll(key) & entry->key))
		return 0;
	pwq->triggered = true;
	return try_to_wake_up(pwq->polling_task, TASK_NORMAL);
}

static void __pollwait(struct file *filp, wait_queue_head_t *wait_address,
		       poll_table *p)
{
	struct poll_wqueues *pwq = container_of(p, struct poll_wqueues, pt);
	struct poll_table_entry *entry;

	if (pwq->nentries == pwq->max)
		return;
	entry = &pwq->entries[pwq->nentries++];
	entry->filp = get_file(filp);
	entry->key = p->_key;
	entry->wait_address = wait_address;
	init_waitqueue_func_entry(&entry->wait, pollwake);
	entry->wait.private = pwq;
	add_wait_queue(wait_address, &entry->wait);
}

static void poll_freewait(struct poll_wqueues *pwq)
{
	for (int i = 0; i < pwq->nentries; i++) {
		remove_wait_queue(pwq->entries[i].wait_address,
				  &pwq->entries[i].wait);
		fput(pwq->entries[i].filp);
	}
}

/* One fd's revents; queues through @pt when it is still set. */
static short do_pollfd(struct pollfd *pfd, poll_table *pt)
{
	unsigned int filter = (unsigned short)pfd->events | POLLERR | POLLHUP;
	unsigned int mask;
	struct file *f;

	if (pfd->fd < 0)
		return 0;
	f = fget((unsigned int)pfd->fd);
	if (!f)
		return POLLNVAL;
	if (pt)
		pt->_key = filter;
	mask = f->f_op->poll ? f->f_op->poll(f, pt) : DEFAULT_POLLMASK;
	fput(f);
	return (short)(mask & filter);
}

/* Linux's do_poll; @timeout in jiffies, MAX_SCHEDULE_TIMEOUT for none. */
static int do_poll(struct pollfd *fds, unsigned int nfds,
		   struct poll_wqueues *wait, long timeout)
{
	poll_table *pt = &wait->pt;
	int count;

	if (!timeout)
		pt->_qproc = NULL;
	for (;;) {
		count = 0;
		for (unsigned int i = 0; i < nfds; i++) {
			fds[i].revents = do_pollfd(&fds[i], pt);
			if (fds[i].revents)
				count++;
		}
		pt->_qproc = NULL;	/* queued once is enough */
		if (count || !timeout || signal_pending(current))
			break;
		set_current_state(TASK_INTERRUPTIBLE);
		if (!wait->triggered)
			timeout = schedule_timeout(timeout);
		__set_current_state(TASK_RUNNING);
		wait->triggered = false;
	}
	return count ? count : (signal_pending(current) ? -EINTR : 0);
}

static long do_sys_poll(struct pollfd __user *ufds, unsigned int nfds,
			long timeout)
{
	struct poll_wqueues *wait;
	struct pollfd *fds;
	long ret = -ENOMEM;

	if (nfds > POLL_MAX_FDS)
		return -EINVAL;
	fds = kmalloc(nfds * sizeof(*fds) + 1);
	wait = kzalloc(sizeof(*wait) + nfds * sizeof(wait->entries[0]));
	if (!fds || !wait)
		goto out;
	ret = -EFAULT;
	if (copy_from_user(fds, ufds, nfds * sizeof(*fds)))
		goto out;
	init_poll_funcptr(&wait->pt, __pollwait);
	wait->polling_task = current;
	wait->max = (int)nfds;
	ret = do_poll(fds, nfds, wait, timeout);
	poll_freewait(wait);
	for (unsigned int i = 0; ret >= 0 && i < nfds; i++)
		if (copy_to_user(&ufds[i].revents, &fds[i].revents,
				 sizeof(fds[i].revents)))
			ret = -EFAULT;
out:
	kfree(wait);
	kfree(fds);
	return ret;
}

long sys_poll(unsigned long ufds, unsigned long nfds, unsigned long timeout_msecs)
{
	long ms = (int)timeout_msecs;
	long timeout = ms < 0 ? MAX_SCHEDULE_TIMEOUT
			      : (long)msecs_to_jiffies((u64)ms) + (ms ? 1 : 0);

	return do_sys_poll((struct pollfd __user *)ufds, (unsigned int)nfds,
			   timeout);
}

struct poll_timespec {
	s64 tv_sec;
	long tv_nsec;
};

/* ppoll: a timespec (NULL: none); the signal mask is accepted and unused
 * (no signals are delivered in this kernel). */
long sys_ppoll(unsigned long ufds, unsigned long nfds, unsigned long tsp,
	       unsigned long sigmask, unsigned long sigsetsize)
{
	struct poll_timespec ts;
	long timeout = MAX_SCHEDULE_TIMEOUT;

	if (sigmask && sigsetsize != sizeof(u64))
		return -EINVAL;
	if (tsp) {
		if (copy_from_user(&ts, (void __user *)tsp, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
			return -EINVAL;
		timeout = (long)(ts.tv_sec * HZ +
				 DIV_ROUND_UP(ts.tv_nsec, NSEC_PER_SEC / HZ));
	}
	return do_sys_poll((struct pollfd __user *)ufds, (unsigned int)nfds,
			   timeout);
}
