/*
 * Readiness masks and the poll table (Linux include/uapi/linux/eventpoll.h,
 * include/linux/poll.h). A file's ->poll reports its mask now and, through
 * poll_wait(), lets the caller queue on the wait queues whose wake-ups may
 * change it; the wake key carries the events that happened, so epoll's
 * callback and a datagram receiver can ignore wake-ups that are not theirs.
 */
#ifndef KERNEL_POLL_H
#define KERNEL_POLL_H

#include "kernel/wait.h"

#define EPOLLIN		0x00000001
#define EPOLLPRI	0x00000002
#define EPOLLOUT	0x00000004
#define EPOLLERR	0x00000008
#define EPOLLHUP	0x00000010
#define EPOLLNVAL	0x00000020
#define EPOLLRDNORM	0x00000040
#define EPOLLRDBAND	0x00000080
#define EPOLLWRNORM	0x00000100
#define EPOLLWRBAND	0x00000200
#define EPOLLMSG	0x00000400
#define EPOLLRDHUP	0x00002000
#define EPOLLEXCLUSIVE	(1U << 28)
#define EPOLLWAKEUP	(1U << 29)
#define EPOLLONESHOT	(1U << 30)
#define EPOLLET		(1U << 31)

/* poll(2) names the same bits */
#define POLLIN		EPOLLIN
#define POLLPRI		EPOLLPRI
#define POLLOUT		EPOLLOUT
#define POLLERR		EPOLLERR
#define POLLHUP		EPOLLHUP
#define POLLNVAL	EPOLLNVAL
#define POLLRDNORM	EPOLLRDNORM
#define POLLRDBAND	EPOLLRDBAND
#define POLLWRNORM	EPOLLWRNORM
#define POLLWRBAND	EPOLLWRBAND
#define POLLRDHUP	EPOLLRDHUP

struct file;
struct poll_table_struct;

typedef void (*poll_queue_proc)(struct file *file, wait_queue_head_t *whead,
				struct poll_table_struct *pt);

typedef struct poll_table_struct {
	poll_queue_proc _qproc;	/* NULL: report only, do not queue */
	unsigned int _key;	/* events the caller is interested in */
} poll_table;

static inline void poll_wait(struct file *filp, wait_queue_head_t *whead,
			     poll_table *p)
{
	if (p && p->_qproc && whead)
		p->_qproc(filp, whead, p);
}

static inline void init_poll_funcptr(poll_table *pt, poll_queue_proc qproc)
{
	pt->_qproc = qproc;
	pt->_key = ~0U;
}

/* poll(2)/ppoll(2)/select(2)/pselect6(2) (kernel/poll.c) and epoll (net/epoll.c), by Linux name. */
long sys_poll(unsigned long ufds, unsigned long nfds, unsigned long timeout_msecs);
long sys_select(unsigned long n, unsigned long inp, unsigned long outp,
		unsigned long exp, unsigned long tvp);
long sys_pselect6(unsigned long n, unsigned long inp, unsigned long outp,
		  unsigned long exp, unsigned long tsp, unsigned long sig);
long sys_ppoll(unsigned long ufds, unsigned long nfds, unsigned long tsp,
	       unsigned long sigmask, unsigned long sigsetsize);
/* A file's last reference is gone: forget it in every epoll set. */
void eventpoll_release(struct file *file);
long sys_epoll_create(unsigned long size);
long sys_epoll_create1(unsigned long flags);
long sys_epoll_ctl(unsigned long epfd, unsigned long op, unsigned long fd,
		   unsigned long event);
long sys_epoll_wait(unsigned long epfd, unsigned long events,
		    unsigned long maxevents, unsigned long timeout);
long sys_epoll_pwait(unsigned long epfd, unsigned long events,
		     unsigned long maxevents, unsigned long timeout,
		     unsigned long sigmask, unsigned long sigsetsize);

#endif
