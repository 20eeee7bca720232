/* Per-CPU set-up: GDT, TSS (with IST stacks), segment selectors. */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include "lib/types.h"

#define KERNEL_CS	0x08
#define KERNEL_DS	0x10
#define USER_DS		(0x18 | 3)
#define USER_CS		(0x20 | 3)
#define TSS_SEL		0x28

#define IST_DOUBLE_FAULT	1
#define IST_NMI			2
#define IST_MACHINE_CHECK	3

void gdt_init(void);
/* The stack the CPU switches to on an interrupt from user mode. */
void tss_set_rsp0(u64 rsp0);
/* Vendor, brand, family/model and the features that matter, to the boot log. */
void cpu_print_info(void);
bool cpu_has_rdrand(void);

#endif
