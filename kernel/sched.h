/*
 * Threads and scheduling, as much as the portable code (wait queues,
 * sockets) needs to see: the task states Linux names, current, schedule()
 * and wake-ups. The kernel's scheduler is kernel/sched.c; the host's
 * coroutine scheduler is tests/host/sched.c. struct thread_struct (saved
 * CPU state) comes from <asm/thread.h> of each platform.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <asm/thread.h>
#include "lib/list.h"

#define TASK_RUNNING		0x0000
#define TASK_INTERRUPTIBLE	0x0001
#define TASK_UNINTERRUPTIBLE	0x0002
#define TASK_DEAD		0x0080
#define TASK_NORMAL		(TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

#define MAX_SCHEDULE_TIMEOUT	((long)(~0UL >> 1))

/* Timer ticks a thread runs before the timer preempts it (user mode). */
#define SCHED_TIME_SLICE	10

struct mm_struct;
struct files_struct;
struct user_proc;

struct task_struct {
	volatile long state;
	const char *name;
	int pid;
	struct list_head run_list;	/* on the run queue when runnable */
	struct list_head tasks;		/* on the list of all tasks */
	const void *wait_channel;	/* what it sleeps on, for `ps` */
	u64 switches;			/* times it was scheduled in */
	int time_slice;			/* ticks left before preemption */
	bool need_resched;		/* reschedule at the next safe point */
	bool killed;			/* end at the next return to user mode */
	u64 utime, stime;		/* ticks seen in user / kernel mode */
	u64 wake_at;			/* jiffies a timed sleep ends, or 0 */
	struct mm_struct *mm;		/* NULL for kernel threads */
	struct files_struct *files;	/* the fd table of a user program */
	struct user_proc *proc;		/* the program it runs (kernel/proc.c) */
	struct thread_struct thread;	/* platform: registers, stack */
};

struct task_struct *get_current(void);
#define current get_current()

#define __set_current_state(s)	(current->state = (s))
#define set_current_state(s)	do { barrier(); current->state = (s); barrier(); } while (0)

/* Give up the CPU; returns when this task is chosen again. */
void schedule(void);
/*
 * Sleep in the state set beforehand for at most @timeout jiffies (or
 * MAX_SCHEDULE_TIMEOUT). Returns the jiffies left (0 on timeout).
 */
long schedule_timeout(long timeout);
long schedule_timeout_interruptible(long timeout);
long schedule_timeout_uninterruptible(long timeout);
void msleep(unsigned int ms);
/* Make @p runnable if its state is in @state; 1 if it was woken. */
int try_to_wake_up(struct task_struct *p, unsigned int state);
int wake_up_process(struct task_struct *p);
/* Put the running task at the back of the run queue and run the next. */
void yield(void);
/*
 * No signals are delivered in this kernel yet; the one that exists is a
 * kill request (proc_kill), which ends interruptible sleeps as SIGKILL does.
 */
static inline bool signal_pending(struct task_struct *p)
{
	return p->killed;
}

/*
 * Kernel threads (kernel/kthread.c; tests/host/sched.c on the host): a new
 * task running @fn(@arg) on its own stack, runnable at once. When @fn
 * returns the thread ends.
 */
struct task_struct *kthread_run(int (*fn)(void *), void *arg, const char *name);
/* End the calling thread; never returns. */
__attribute__((noreturn)) void do_exit(int code);

/* A name for what a wait_channel points at, shown by `ps`. */
void sched_name_wait_channel(const void *channel, const char *name);

#endif
