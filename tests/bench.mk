# make bench (issue 9): figures for unisock and, next to them, a Linux guest
# (Debian's kernel, busybox initramfs: tests/bench/linux-guest.sh) running
# the same netd on the same QEMU set-up, and the floor (unisock with
# "reflect"), over virtio-net and e1000; tables in tests/bench/results/.
# Never part of make test; it measures and does not fail for being slow.
#   make bench [BENCH_ARGS="--reps 3 --seconds 3 --nics virtio --figures rr"]
BENCH_ARGS ?=
BENCH_LINUX := $(BUILD)/bench/linux/initramfs.cpio.gz

# The load generators (tests/bench/clients/): host programs, built with
# everything else so a warning in them fails make.
BENCH_CLIENT_DIR := $(BUILD)/bench/clients
BENCH_CLIENTS := $(BENCH_CLIENT_DIR)/rr $(BENCH_CLIENT_DIR)/connrate $(BENCH_CLIENT_DIR)/bulk
BENCH_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -pthread

$(BENCH_CLIENT_DIR)/%: tests/bench/clients/%.c tests/bench/clients/common.c \
		tests/bench/clients/common.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  HOSTCC  $@")
	$(Q)$(CC) $(BENCH_CFLAGS) -o $@ $< tests/bench/clients/common.c

.PHONY: bench bench-clients
bench-clients: $(BENCH_CLIENTS)
all: bench-clients

bench: all $(BENCH_LINUX)
	$(Q)/usr/bin/python3 tests/bench/bench.py $(BENCH_ARGS)

# apt-get download at bench time; the .debs stay under build/bench/deb.
$(BENCH_LINUX): tests/bench/linux-guest.sh $(BUILD)/user/netd
	$(Q)bash tests/bench/linux-guest.sh
