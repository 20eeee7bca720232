/*
 * fault: end by a CPU exception in user mode, chosen by argv[1]:
 * null (read address 0), write (write to the read-only text), ud (ud2),
 * div (integer divide by zero). The kernel must end the program with the
 * signal a shell would report and keep running.
 */
#include <stdio.h>
#include <string.h>

static volatile int zero, hundred = 100;

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "null";

	printf("fault: about to %s\n", what);
	fflush(stdout);
	if (!strcmp(what, "null"))
		return *(volatile int *)0;
	if (!strcmp(what, "write"))
		*(volatile char *)main = 0;
	if (!strcmp(what, "ud"))
		__asm__ __volatile__("ud2");
	if (!strcmp(what, "div"))
		return hundred / zero;
	printf("fault: still alive, which is wrong\n");
	return 1;
}
