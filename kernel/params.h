/*
 * The kernel command line, interpreted (DESIGN §2):
 *   ip=dhcp | ip=A.B.C.D/N   gw=A.B.C.D   app=NAME   console=monitor|app
 *   trace=net   quiet   test=NAME   reflect (net/reflect.h)
 *   -- argv[1..] for the program
 * Unknown keys and bad values are reported and otherwise ignored.
 */
#ifndef KERNEL_PARAMS_H
#define KERNEL_PARAMS_H

#include "lib/cmdline.h"

#define CONSOLE_MONITOR	0
#define CONSOLE_APP	1

struct kernel_params {
	bool ip_static;		/* false: DHCP */
	u32 ip_addr;		/* host order */
	unsigned int ip_prefix;
	bool gw_set;
	u32 gw_addr;
	const char *app;	/* NULL: the default program */
	int console;
	bool trace_net;
	bool quiet;
	const char *test;	/* NULL: no self-test */
	int argc;		/* words after "--" */
	const char *const *argv;
	struct cmdline cl;
};

/*
 * Fill @kp from @s. Each problem found is passed to @report (one line, no
 * newline); returns how many there were. Problems never stop the boot.
 */
int kernel_params_parse(struct kernel_params *kp, const char *s,
			void (*report)(const char *msg));

extern struct kernel_params kparams;

#endif
