# make bench (issue 9): figures for unisock and, next to them, a Linux guest
# running the same netd on the same QEMU set-up; tables in tests/bench/results/.
# Never part of make test; it measures and does not fail for being slow.
#   make bench [BENCH_ARGS="--reps 3 --seconds 3"]
BENCH_ARGS ?=

.PHONY: bench
bench: all
	$(Q)/usr/bin/python3 tests/bench/bench.py $(BENCH_ARGS)
