/*
 * printk: the kernel log, with boot-relative timestamps as dmesg prints
 * them ("[    0.001234] ..."). Each call that ends in a newline is one line;
 * a line is written whole to the console. The %pI4/%pM extensions of
 * lib/vsprintf.h work here.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>
#include "lib/compiler.h"

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

/* Console output without timestamp (monitor replies, raw dumps). */
int kprintf(const char *fmt, ...) __printf(1, 2);

/* Set by the "quiet" command-line flag: only warnings and errors print. */
extern bool printk_quiet;

#define pr_info(...)	do { if (!printk_quiet) printk(__VA_ARGS__); } while (0)
#define pr_warn(...)	printk("warning: " __VA_ARGS__)
#define pr_err(...)	printk("error: " __VA_ARGS__)

/* Print at most once per call site, for "ENOSYS logged once" and the like. */
#define printk_once(...)				\
	do {						\
		static bool __printed;			\
		if (!__printed) {			\
			__printed = true;		\
			printk(__VA_ARGS__);		\
		}					\
	} while (0)

/* The console sink: kernel -> serial; host -> stderr or a test buffer. */
void console_write(const char *s, size_t len);

#endif
