/*
 * In-kernel self-tests, selected with test=NAME on the command line. Each
 * returns 0 for pass; the kernel prints the verdict and powers off with it,
 * so a host-side test reads it from QEMU's exit status. Any file can add
 * one with DEFINE_SELFTEST; they are collected in the .selftests section.
 */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

#include "lib/compiler.h"

struct selftest {
	const char *name;
	int (*fn)(void);
	const char *desc;
};

#define DEFINE_SELFTEST(n, f, d)					\
	static const struct selftest __selftest_##n			\
	__section(".selftests") __used __aligned(8) = { #n, f, d }

__noreturn void run_selftest(const char *name);

#endif
