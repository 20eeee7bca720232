/*
 * Checks in a Criterion .fini (a suite's teardown).
 *
 * Criterion 2.4 prints a failed cr_assert() in a .fini but still counts the
 * test as passing, so a leak check written that way could never fail. A
 * failed teardown check therefore ends the test's process: Criterion reports
 * "crashed during its setup or teardown", and tests/run.py counts the test
 * as failed.
 */
#ifndef TESTS_HOST_TEARDOWN_H
#define TESTS_HOST_TEARDOWN_H

#include <stdio.h>
#include <stdlib.h>

/* teardown_assert(cond, fmt, ...): the message says what leaked. */
#define teardown_assert(cond, ...)					\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: teardown check failed: %s: ", \
				__FILE__, __LINE__, #cond);		\
			fprintf(stderr, __VA_ARGS__);		\
			fputc('\n', stderr);				\
			abort();					\
		}							\
	} while (0)

#endif
