# make bench (issue 9): figures for unisock and, next to them, a Linux guest
# (Debian's cloud kernel, busybox initramfs: tests/bench/linux-guest.sh)
# running the same netd on the same QEMU set-up; tables in tests/bench/results/.
# Never part of make test; it measures and does not fail for being slow.
#   make bench [BENCH_ARGS="--reps 3 --seconds 3"]
BENCH_ARGS ?=
BENCH_LINUX := $(BUILD)/bench/linux/initramfs.cpio.gz

.PHONY: bench
bench: all $(BENCH_LINUX)
	$(Q)/usr/bin/python3 tests/bench/bench.py $(BENCH_ARGS)

# apt-get download at bench time; the .debs stay under build/bench/deb.
$(BENCH_LINUX): tests/bench/linux-guest.sh $(BUILD)/user/netd
	$(Q)bash tests/bench/linux-guest.sh
