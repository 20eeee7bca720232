/* panic(), BUG_ON and powering the VM off with a status. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "lib/compiler.h"

__noreturn void panic(const char *fmt, ...) __printf(1, 2);
/* Exit QEMU through isa-debug-exit: the process status is (code << 1) | 1. */
__noreturn void poweroff(int code);

#define BUG_ON(cond)							\
	do {								\
		if (unlikely(cond))					\
			panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

/* Power-off codes seen by the test harness. */
#define POWEROFF_OK	0
#define POWEROFF_FAIL	1
#define POWEROFF_PANIC	3

#endif
