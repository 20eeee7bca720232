/*
 * The kernel command line (DESIGN §2): "key=value flag ... -- arg1 arg2".
 * Parsed into a copy that is split in place; values may be double-quoted.
 * Words after a lone "--" become the program's argv[1..].
 */
#ifndef LIB_CMDLINE_H
#define LIB_CMDLINE_H

#include "lib/types.h"

#define CMDLINE_MAX		1024
#define CMDLINE_MAX_PARAMS	32
#define CMDLINE_MAX_ARGS	32

struct cmdline_param {
	const char *key;
	const char *val;	/* "" for a bare flag */
};

struct cmdline {
	char buf[CMDLINE_MAX];
	int nparams;
	struct cmdline_param params[CMDLINE_MAX_PARAMS];
	int argc;
	const char *argv[CMDLINE_MAX_ARGS];
};

int cmdline_parse(struct cmdline *cl, const char *s);
const char *cmdline_get(const struct cmdline *cl, const char *key);
bool cmdline_has(const struct cmdline *cl, const char *key);
/* Split @s in place at white space into at most @max words; returns how many. */
int split_words(char *s, char **argv, int max);

/* Is @key in the NULL-terminated list @known? */
bool cmdline_key_known(const char *const *known, const char *key);

int kstrtoul(const char *s, unsigned int base, unsigned long *res);
int in4_pton(const char *s, u32 *addr);
int in4_pton_prefix(const char *s, u32 *addr, unsigned int *prefix);

#endif
