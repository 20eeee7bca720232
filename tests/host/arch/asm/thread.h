/* Saved state of a simulated task on the host: a ucontext coroutine. */
#ifndef ASM_THREAD_H
#define ASM_THREAD_H

#include <stddef.h>
#include <ucontext.h>

struct thread_struct {
	ucontext_t ctx;
	void *stack;			/* malloc'd; NULL for the test's own flow */
	size_t stack_size;
	const void *asan_bottom;	/* the stack as ASan knows it */
	size_t asan_size;
	void *fake_stack;		/* ASan's fake stack while switched out */
	int (*fn)(void *);
	void *arg;
};

#endif
