/*
 * ticker N MS: print "ticker: tick I" N times, sleeping MS milliseconds
 * (nanosleep) between them; exit 0. Interleaves with kernel threads in
 * the scheduling test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 5;
	long ms = argc > 2 ? atol(argv[2]) : 10;
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	for (int i = 1; i <= n; i++) {
		printf("ticker: tick %d\n", i);
		nanosleep(&ts, NULL);
	}
	return 0;
}
