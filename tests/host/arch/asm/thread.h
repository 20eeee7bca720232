/* Saved state of a simulated task on the host: a ucontext coroutine. */
#ifndef ASM_THREAD_H
#define ASM_THREAD_H

#include <ucontext.h>

struct thread_struct {
	ucontext_t ctx;
	void *stack;
	void (*fn)(void *);
	void *arg;
};

#endif
