/*
 * The kernel monitor on the serial console (DESIGN §7): a prompt, line
 * editing, and a table of commands collected from the whole kernel with
 * DEFINE_MONITOR_CMD (section .monitor_cmds), so each subsystem adds its
 * own (ifconfig in net/, ps in kernel/sched.c, ...).
 */
#ifndef KERNEL_MONITOR_H
#define KERNEL_MONITOR_H

#include "lib/compiler.h"

struct monitor_cmd {
	const char *name;
	const char *help;
	int (*fn)(int argc, char **argv);
};

#define DEFINE_MONITOR_CMD(n, f, h)					\
	static const struct monitor_cmd __moncmd_##n			\
	__section(".monitor_cmds") __used __aligned(8) = { #n, h, f }

#define MONITOR_PROMPT	"unisock> "

/* Feed one received character; runs a command when a line completes. */
void monitor_input(int c);
/* Run one command line now (also used by tests). */
int monitor_exec(char *line);
void monitor_start(void);

#endif
