/*
 * Task creation and the scheduler's kernel-only interface: what
 * kernel/kthread.c, kernel/proc.c and the timer tick need beyond the
 * portable API of kernel/sched.h.
 */
#ifndef KERNEL_KTHREAD_H
#define KERNEL_KTHREAD_H

#include "kernel/sched.h"

struct pt_regs;

#define THREAD_STACK_SIZE	(16 * 1024)

/* A zeroed task with its kernel stack and FPU area, or NULL. */
struct task_struct *task_alloc(const char *name);
void task_free(struct task_struct *p);
/* Build @p's first stack frame: it will run @fn(@arg) as a kernel thread. */
void kthread_prepare(struct task_struct *p, int (*fn)(void *), void *arg);
/* Build @p's first stack frame: it will enter user mode with @regs. */
void user_thread_prepare(struct task_struct *p, const struct pt_regs *regs);

/* kernel/sched.c */
void sched_add_task(struct task_struct *p);
bool task_is_idle(const struct task_struct *p);
void scheduler_tick(void);
void schedule_tail(void);
void sched_drop_mm(u64 pml4);

/* kernel/switch.S */
void __switch_to_asm(u64 *prev_rsp, u64 next_rsp);
void ret_from_kthread(void);
void ret_from_fork_user(void);

#endif
