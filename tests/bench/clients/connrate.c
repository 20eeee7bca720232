/*
 * Connection rate: THREADS threads each connect to the echo port, echo
 * one byte, close, and again, for SECONDS. Prints connections/s, the count
 * and how many attempts failed (each attempt is bounded by IO_TIMEOUT_S).
 *
 *     connrate ADDR PORT THREADS SECONDS
 */
#include "common.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_THREADS	64

struct conn_worker {
	pthread_t tid;
	const char *addr;
	int port;
	int64_t end;
	unsigned long done, failed;
};

static int conn_once(const struct conn_worker *w)
{
	char c = 'c';
	int fd = connect_to(w->addr, w->port, SOCK_STREAM);
	int err;

	if (fd < 0)
		return -1;
	err = send(fd, &c, 1, 0) != 1 || recv_exact(fd, &c, 1);
	close(fd);
	return err ? -1 : 0;
}

static void *conn_loop(void *arg)
{
	struct conn_worker *w = arg;

	while (now_ns() < w->end) {
		if (conn_once(w))
			w->failed++;
		else
			w->done++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	static struct conn_worker w[MAX_THREADS];
	unsigned long done = 0, failed = 0;
	int64_t t0, elapsed;
	int n;

	if (argc != 5) {
		fprintf(stderr, "usage: connrate ADDR PORT THREADS SECONDS\n");
		return 2;
	}
	n = (int)arg_num(argv[3], "THREADS");
	if (n < 1 || n > MAX_THREADS) {
		fprintf(stderr, "connrate: THREADS must be 1..%d\n", MAX_THREADS);
		return 2;
	}
	t0 = now_ns();
	for (int i = 0; i < n; i++) {
		w[i] = (struct conn_worker){ .addr = argv[1],
			.port = (int)arg_num(argv[2], "PORT"),
			.end = t0 + (int64_t)(arg_num(argv[4], "SECONDS") * NSEC_PER_SEC) };
		if (pthread_create(&w[i].tid, NULL, conn_loop, &w[i]))
			die("pthread_create");
	}
	for (int i = 0; i < n; i++) {
		pthread_join(w[i].tid, NULL);
		done += w[i].done;
		failed += w[i].failed;
	}
	elapsed = now_ns() - t0;
	printf("{\"cps\": %.1f, \"n\": %lu, \"failed\": %lu, \"threads\": %d}\n",
	       (double)done * NSEC_PER_SEC / (double)elapsed, done, failed, n);
	return 0;
}
