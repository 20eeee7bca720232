/*
 * ksoftirqd: the thread that runs softirqs when they cannot run on
 * interrupt exit (kernel/softirq.c says when). It sleeps until woken with
 * work pending, runs it in thread context, and yields between rounds so a
 * softirq flood shares the CPU with the other threads.
 */
#include "kernel/init.h"
#include "kernel/sched.h"
#include "kernel/softirq.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"

static struct task_struct *ksoftirqd;

void wakeup_softirqd(void)
{
	if (ksoftirqd)
		wake_up_process(ksoftirqd);
}

static int ksoftirqd_thread(void *arg)
{
	(void)arg;
	for (;;) {
		local_irq_disable();
		if (!softirq_is_pending()) {
			__set_current_state(TASK_INTERRUPTIBLE);
			current->wait_channel = &ksoftirqd;
			local_irq_enable();
			schedule();
			continue;
		}
		current->wait_channel = NULL;
		local_irq_enable();
		do_softirq();
		yield();
	}
	return 0;
}

static int ksoftirqd_init(void)
{
	sched_name_wait_channel(&ksoftirqd, "softirq raised");
	ksoftirqd = kthread_run(ksoftirqd_thread, NULL, "ksoftirqd");
	return ksoftirqd ? 0 : -ENOMEM;
}
DEFINE_INITCALL(INITCALL_CORE, ksoftirqd_init);
