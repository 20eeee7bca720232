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
BENCH_CLIENTS := $(BENCH_CLIENT_DIR)/rr $(BENCH_CLIENT_DIR)/connrate $(BENCH_CLIENT_DIR)/bulk \
	$(BENCH_CLIENT_DIR)/ready
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

# make bench-host: unisock and lwIP (Debian's liblwip) as two stacks in one
# host process each, the same work on both (tests/bench/host/), counted
# with callgrind and timed; tables in tests/bench/results/host.{md,csv}.
# The host objects of the unit tests, built -O2 without sanitizers.
BENCH_HOST := $(BUILD)/bench/host
BENCH_HOST_CFLAGS := $(filter-out -O1,$(HOST_CFLAGS)) -O2
BENCH_HOST_SRCS = $(filter-out $(shell grep -l '<criterion' tests/host/*.c),$(HOST_SRCS))
BENCH_HOST_OBJS = $(patsubst %,$(BENCH_HOST)/%.o,$(BENCH_HOST_SRCS)) \
	$(patsubst %,$(BENCH_HOST)/renamed/%.o,$(HOST_RENAMED_SRCS))
BENCH_DEPS_STAMP := $(BUILD)/.deps-bench-ok

.PHONY: bench-host bench-host-bins
bench: bench-host
bench-host: bench-host-bins $(BENCH_DEPS_STAMP)
	$(Q)/usr/bin/python3 tests/bench/host.py $(BENCH_HOST_ARGS)
bench-host-bins: $(BENCH_HOST)/unisock_pair $(BENCH_HOST)/lwip_pair

$(BENCH_DEPS_STAMP): scripts/deps.sh | $(DEPS_STAMP)
	$(Q)bash scripts/deps.sh bench
	$(Q)touch $@

$(BENCH_HOST)/%.c.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  BENCHCC $<")
	$(Q)$(CC) $(BENCH_HOST_CFLAGS) -c $< -o $@

$(BENCH_HOST)/renamed/%.c.o: %.c tests/host/krename.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  BENCHCC $< (renamed)")
	$(Q)$(CC) $(BENCH_HOST_CFLAGS) -include tests/host/krename.h -c $< -o $@

$(BENCH_HOST)/unisock_pair: tests/bench/host/bench_pair.c tests/bench/host/unisock_pair.c \
		tests/bench/host/nosan.c \
		$(BENCH_HOST_OBJS)
	$(if $(Q),@echo "  BENCHLD $@")
	$(Q)$(CC) $(BENCH_HOST_CFLAGS) -o $@ $(filter %.c %.o,$^)

$(BENCH_HOST)/lwip_pair: tests/bench/host/bench_pair.c tests/bench/host/lwip_pair.c \
		| $(BENCH_DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  BENCHLD $@")
	$(Q)$(CC) $(filter-out -Itests/host/arch,$(BENCH_HOST_CFLAGS)) -I/usr/include/lwip \
		-o $@ $(filter %.c,$^) -llwip

.SECONDARY: $(BENCH_HOST_OBJS)
