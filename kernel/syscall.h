/*
 * System calls: the syscall/sysret entry (kernel/syscall_64.S), the table
 * indexed by Linux x86-64 numbers (kernel/syscall.c), and the per-CPU
 * block the entry reaches through %gs after swapgs.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

/* Offsets into struct pcpu, for the assembly entry. */
#define PCPU_KERNEL_RSP	0
#define PCPU_USER_RSP	8

#ifndef __ASSEMBLER__
#include "lib/types.h"

struct pt_regs;

/* The per-CPU block %gs points at inside the kernel. */
struct pcpu {
	u64 kernel_rsp;		/* top of the running thread's kernel stack */
	u64 user_rsp;		/* the user %rsp while a syscall saves it */
};
extern struct pcpu pcpu;

/* Called by the entry with the saved registers; true: return by sysret. */
bool do_syscall_64(struct pt_regs *regs);
void entry_SYSCALL_64(void);

typedef long (*syscall_fn_t)(long, long, long, long, long, long);

#endif
#endif
