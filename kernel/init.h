/*
 * Initcalls: subsystems register their start-up functions where they are
 * defined, and kmain() runs them by level once the core (memory,
 * interrupts, time) is up, so adding a driver never edits kernel/main.c.
 * Within a level the order is the link order (the Makefile's source order).
 */
#ifndef KERNEL_INIT_H
#define KERNEL_INIT_H

#include "lib/compiler.h"

#define INITCALL_CORE		0	/* scheduler, threads, softirq */
#define INITCALL_SUBSYS		1	/* network core, socket layer */
#define INITCALL_DEVICE		2	/* PCI, NIC drivers */
#define INITCALL_LATE		3	/* address configuration, user program */
#define INITCALL_LEVELS		4

struct initcall {
	int level;
	int (*fn)(void);
	const char *name;
};

#define DEFINE_INITCALL(lvl, f)						\
	static const struct initcall __initcall_##f			\
	__section(".initcalls") __used __aligned(8) = { lvl, f, #f }

/* Run every initcall, level by level; a failure is printed, not fatal. */
void do_initcalls(void);

#endif
