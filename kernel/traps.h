/* Exception handling shared between kernel/traps.c and the user-program code. */
#ifndef KERNEL_TRAPS_H
#define KERNEL_TRAPS_H

#include "kernel/irq.h"

const char *exception_name(unsigned int vector);
/*
 * A fault taken in user mode: end the user program with a report and
 * return true (the kernel keeps running), or false if no program owns it.
 */
bool user_fault(struct pt_regs *regs, u64 cr2);

#endif
