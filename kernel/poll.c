/*
 * poll(2) and ppoll(2), select(2) and pselect6(2) (Linux fs/select.c): ask each file's ->poll for its
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
#include "lib/string.h"

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

/* A user timespec as a timeout in jiffies: 0, -EFAULT or -EINVAL. */
static int get_poll_timeout(unsigned long tsp, long *timeout)
{
	struct poll_timespec ts;

	if (copy_from_user(&ts, (void __user *)tsp, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	*timeout = (long)(ts.tv_sec * HZ + DIV_ROUND_UP(ts.tv_nsec, NSEC_PER_SEC / HZ));
	return 0;
}

/*
 * A signal mask to wait under (Linux's set_user_sigmask): checked and read,
 * then unused, since this kernel delivers no signals.
 */
static int check_user_sigmask(unsigned long sigmask, unsigned long sigsetsize)
{
	u64 mask;

	if (!sigmask)
		return 0;
	if (sigsetsize != sizeof(u64))
		return -EINVAL;
	return copy_from_user(&mask, (const void __user *)sigmask, sizeof(mask));
}

/* ppoll: a timespec (NULL: none), then the signal mask, in Linux's order. */
long sys_ppoll(unsigned long ufds, unsigned long nfds, unsigned long tsp,
	       unsigned long sigmask, unsigned long sigsetsize)
{
	long timeout = MAX_SCHEDULE_TIMEOUT;
	int err = tsp ? get_poll_timeout(tsp, &timeout) : 0;

	if (!err)
		err = check_user_sigmask(sigmask, sigsetsize);
	if (err)
		return err;
	return do_sys_poll((struct pollfd __user *)ufds, (unsigned int)nfds,
			   timeout);
}

/*
 * select(2) and pselect6(2) (Linux fs/select.c do_select): the same wait
 * machinery over three bitmaps. A descriptor in a set that is not open is
 * -EBADF (where poll says POLLNVAL).
 */
#define FD_SETSIZE	1024
#define POLLIN_SET	(POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET	(POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET	POLLPRI

struct fd_sets {
	u64 in[FD_SETSIZE / 64], out[FD_SETSIZE / 64], ex[FD_SETSIZE / 64];
	u64 res_in[FD_SETSIZE / 64], res_out[FD_SETSIZE / 64], res_ex[FD_SETSIZE / 64];
};

static bool fd_isset(const u64 *set, int fd)
{
	return set[fd / 64] & (1ULL << (fd % 64));
}

static void fd_set_bit(u64 *set, int fd)
{
	set[fd / 64] |= 1ULL << (fd % 64);
}

/* Report @fd in @res if it was asked for in @set and is @ready; 1 if so. */
static int select_mark(const u64 *set, u64 *res, int fd, unsigned int ready)
{
	if (!ready || !fd_isset(set, fd))
		return 0;
	fd_set_bit(res, fd);
	return 1;
}

/* One pass over the sets: how many bits are set in the results, or -EBADF. */
static int select_pass(struct fd_sets *fds, int n, poll_table *pt)
{
	int count = 0;

	for (int fd = 0; fd < n; fd++) {
		unsigned int want = 0, mask;
		struct file *f;

		if (fd_isset(fds->in, fd))
			want |= POLLIN_SET;
		if (fd_isset(fds->out, fd))
			want |= POLLOUT_SET;
		if (fd_isset(fds->ex, fd))
			want |= POLLEX_SET;
		if (!want)
			continue;
		f = fget((unsigned int)fd);
		if (!f)
			return -EBADF;
		if (pt)
			pt->_key = want;
		mask = f->f_op->poll ? f->f_op->poll(f, pt) : DEFAULT_POLLMASK;
		fput(f);
		count += select_mark(fds->in, fds->res_in, fd, mask & POLLIN_SET);
		count += select_mark(fds->out, fds->res_out, fd, mask & POLLOUT_SET);
		count += select_mark(fds->ex, fds->res_ex, fd, mask & POLLEX_SET);
	}
	return count;
}

static int do_select(struct fd_sets *fds, int n, struct poll_wqueues *wait,
		     long *timeout)
{
	poll_table *pt = &wait->pt;
	int count;

	if (!*timeout)
		pt->_qproc = NULL;
	for (;;) {
		memset(fds->res_in, 0, sizeof(fds->res_in));
		memset(fds->res_out, 0, sizeof(fds->res_out));
		memset(fds->res_ex, 0, sizeof(fds->res_ex));
		count = select_pass(fds, n, pt);
		pt->_qproc = NULL;
		if (count || !*timeout || signal_pending(current))
			break;
		set_current_state(TASK_INTERRUPTIBLE);
		if (!wait->triggered)
			*timeout = schedule_timeout(*timeout);
		__set_current_state(TASK_RUNNING);
		wait->triggered = false;
	}
	return count;
}

static int get_fd_set(u64 *k, unsigned long uset, int n)
{
	memset(k, 0, FD_SETSIZE / 8);
	if (!uset || !n)
		return 0;
	return copy_from_user(k, (void __user *)uset, DIV_ROUND_UP((size_t)n, 64) * 8);
}

static int set_fd_set(unsigned long uset, const u64 *k, int n)
{
	if (!uset || !n)
		return 0;
	return copy_to_user((void __user *)uset, k, DIV_ROUND_UP((size_t)n, 64) * 8);
}

static long core_sys_select(int n, unsigned long inp, unsigned long outp,
			    unsigned long exp, long *timeout)
{
	struct poll_wqueues *wait;
	struct fd_sets *fds;
	long ret = -ENOMEM;

	if (n < 0)
		return -EINVAL;
	if (n > (int)current->files->max_fds)
		n = (int)current->files->max_fds;	/* Linux: at most the fd table's size */
	fds = kmalloc(sizeof(*fds));
	wait = kzalloc(sizeof(*wait) + (size_t)n * sizeof(wait->entries[0]));
	if (!fds || !wait)
		goto out;
	ret = -EFAULT;
	if (get_fd_set(fds->in, inp, n) || get_fd_set(fds->out, outp, n) ||
	    get_fd_set(fds->ex, exp, n))
		goto out;
	init_poll_funcptr(&wait->pt, __pollwait);
	wait->polling_task = current;
	wait->max = n;
	ret = do_select(fds, n, wait, timeout);
	poll_freewait(wait);
	if (ret >= 0 && (set_fd_set(inp, fds->res_in, n) ||
			 set_fd_set(outp, fds->res_out, n) ||
			 set_fd_set(exp, fds->res_ex, n)))
		ret = -EFAULT;
out:
	kfree(wait);
	kfree(fds);
	return ret;
}

struct select_timeval {
	long tv_sec;
	long tv_usec;
};

/* select: the timeval, if any, is updated with the time left (Linux). */
long sys_select(unsigned long n, unsigned long inp, unsigned long outp,
		unsigned long exp, unsigned long tvp)
{
	struct select_timeval tv;
	long timeout = MAX_SCHEDULE_TIMEOUT, ret;

	if (tvp) {
		if (copy_from_user(&tv, (void __user *)tvp, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL;
		timeout = tv.tv_sec * HZ + DIV_ROUND_UP(tv.tv_usec, 1000000 / HZ);
	}
	ret = core_sys_select((int)n, inp, outp, exp, &timeout);
	if (tvp && ret >= 0) {
		tv.tv_sec = timeout / HZ;
		tv.tv_usec = (timeout % HZ) * (1000000 / HZ);
		if (copy_to_user((void __user *)tvp, &tv, sizeof(tv)))
			return -EFAULT;
	}
	return ret;
}

/*
 * pselect6: a {sigmask, size} pair, a timespec, then the mask itself, in
 * Linux's order (get_sigset_argpack, then do_pselect).
 */
long sys_pselect6(unsigned long n, unsigned long inp, unsigned long outp,
		  unsigned long exp, unsigned long tsp, unsigned long sig)
{
	struct { u64 set; size_t size; } s = { 0, 0 };
	long timeout = MAX_SCHEDULE_TIMEOUT;
	int err = 0;

	if (sig && copy_from_user(&s, (void __user *)sig, sizeof(s)))
		return -EFAULT;
	if (tsp)
		err = get_poll_timeout(tsp, &timeout);
	if (!err)
		err = check_user_sigmask(s.set, s.size);
	if (err)
		return err;
	return core_sys_select((int)n, inp, outp, exp, &timeout);
}
