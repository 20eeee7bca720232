/*
 * The kernel's printf family (lib/vsprintf.c). Besides the C conversions it
 * knows two of Linux's pointer extensions, for printk only:
 *   %pI4  an IPv4 address stored in network order (4 bytes at the pointer)
 *   %pM   a MAC address (6 bytes at the pointer)
 */
#ifndef LIB_VSPRINTF_H
#define LIB_VSPRINTF_H

#include <stdarg.h>
#include "lib/compiler.h"

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
/* Like snprintf but returns what was written (excluding the NUL). */
int scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
