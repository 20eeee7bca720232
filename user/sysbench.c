/*
 * sysbench: the cost of a system call round trip (getpid through raw
 * syscall) and of a nanosleep(0) that goes through the scheduler, as
 * averages over many calls. Prints figures only; asserts nothing.
 */
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CALLS 100000

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void)
{
	struct timespec zero = { 0, 0 };
	long long t0 = now_ns(), t1;

	for (int i = 0; i < CALLS; i++)
		syscall(SYS_getpid);
	t1 = now_ns();
	printf("sysbench: getpid %lld ns per call over %d calls\n", (t1 - t0) / CALLS, CALLS);
	t0 = now_ns();
	for (int i = 0; i < CALLS / 10; i++)
		nanosleep(&zero, NULL);
	t1 = now_ns();
	printf("sysbench: nanosleep(0) %lld ns per call over %d calls\n", (t1 - t0) / (CALLS / 10),
	       CALLS / 10);
	return 0;
}
