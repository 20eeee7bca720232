/* The kernel's entry points from the boot paths. */
#ifndef KERNEL_MAIN_H
#define KERNEL_MAIN_H

#include "lib/compiler.h"

struct boot_info;

/* First thing on either path: timestamps start, the console works. */
void kmain_early(void);
__noreturn void kmain(const struct boot_info *bi);
/* Boot cannot go on: say why on the console and power off. */
__noreturn void kmain_fatal(const char *fmt, ...) __printf(1, 2);

/* The boot information as kmain() copied it, for later subsystems. */
extern struct boot_info boot_info;

#endif
