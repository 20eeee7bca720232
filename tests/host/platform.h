/*
 * The host platform (DESIGN §6): what net/ and the portable kernel code get
 * from "the kernel" when they run under Criterion. Single-threaded and
 * deterministic: a virtual clock that only tests advance, timers fired
 * from it, console output captured for assertions.
 */
#ifndef TESTS_HOST_PLATFORM_H
#define TESTS_HOST_PLATFORM_H

#include "lib/types.h"

/* Reset clock, timers, softirqs and the console capture; call in fixtures. */
void host_platform_reset(void);

/* Virtual time, in ns since reset; jiffies follow it at HZ. */
u64 host_now_ns(void);
/* Advance virtual time by @ns, firing every timer that falls due, in order. */
void host_clock_advance(u64 ns);
/* Advance to the next armed timer and fire it; false when none is armed. */
bool host_clock_run_next_timer(void);

/* Everything printk wrote since reset (NUL-terminated). */
const char *host_console_output(void);
void host_console_clear(void);

/* Set by panic() instead of exiting, so a test can expect one. */
extern int host_panics;

#endif
