/*
 * The kernel's own symbol table (text symbols), embedded at build time by a
 * second link (scripts/gen-ksyms.sh), so backtraces name functions.
 */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include "lib/types.h"

/* The function containing @addr and the offset into it, or NULL. */
const char *ksym_lookup(u64 addr, u64 *offset);
/* Print "  <name+0xoff> (0xaddr)" lines walking the frame-pointer chain. */
void dump_backtrace(u64 rip, u64 rbp);
void dump_stack(void);

#endif
