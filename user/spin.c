/*
 * spin: announce itself, then compute forever without a system call, so
 * only the timer can take the CPU from it (the preemption test).
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	volatile unsigned long n = 0;

	printf("spin: running\n");
	for (;;)
		n++;
}
