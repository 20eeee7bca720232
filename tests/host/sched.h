/* Driving the host's coroutine scheduler from a test (tests/host/sched.c). */
#ifndef TESTS_HOST_SCHED_H
#define TESTS_HOST_SCHED_H

/* Let every runnable task run until all sleep or end; time does not move. */
void host_sched_run_ready(void);
/* Run (advancing virtual time as needed) until every task has ended. */
void host_sched_finish(void);
/* Tasks alive besides the test's own flow. */
unsigned int host_sched_tasks(void);

#endif
