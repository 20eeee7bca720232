/*
 * libFuzzer target: the kernel command line (lib/cmdline.c, kernel/params.c).
 * Any byte string, NUL-terminated, must parse to an error or a result
 * without reading or writing out of bounds.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/params.h"

static void ignore(const char *msg)
{
	(void)msg;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *s = malloc(size + 1);
	struct kernel_params kp;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	kernel_params_parse(&kp, s, ignore);
	for (int i = 0; i < kp.cl.nparams; i++)
		(void)strlen(kp.cl.params[i].key);
	for (int i = 0; i < kp.argc; i++)
		(void)strlen(kp.argv[i]);
	free(s);
	return 0;
}
