/*
 * hello: the smallest test program. Prints its argv, its environment's
 * size and an SSE sum (musl's start-up and printf use SSE registers too),
 * then exits with the status given as argv[1] (default 0): through
 * exit_group as libc's exit() does, or with "raw" as argv[2] through the
 * plain exit system call (60).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	volatile double x = 0.5;
	double sum = 0;
	int envc = 0;

	for (int i = 0; i < 10; i++)
		sum += x * i;
	while (environ[envc])
		envc++;
	printf("hello from user space: argc=%d", argc);
	for (int i = 0; i < argc; i++)
		printf(" argv[%d]=%s", i, argv[i]);
	printf("\nhello: envc=%d sum=%.2f\n", envc, sum);
	if (argc > 2 && !strcmp(argv[2], "raw")) {
		fflush(stdout);
		syscall(SYS_exit, atoi(argv[1]));
	}
	return argc > 1 ? atoi(argv[1]) : 0;
}
