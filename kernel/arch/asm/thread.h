/* Saved CPU state of a kernel thread (kernel/switch.S), kernel build. */
#ifndef ASM_THREAD_H
#define ASM_THREAD_H

#include "lib/types.h"

struct thread_struct {
	u64 rsp;		/* saved kernel stack pointer */
	void *stack;		/* base of the kernel stack allocation */
	u64 stack_size;
	u64 fs_base;		/* user TLS (arch_prctl ARCH_SET_FS) */
	void *fpu;		/* fxsave area, 512 bytes, 16-aligned */
};

#endif
