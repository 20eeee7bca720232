# Fuzzing (issue: robustness): libFuzzer targets over the host build.
#   make fuzzers                 build build/fuzz/fuzz_NAME for each tests/fuzz/fuzz_NAME.c
#   make fuzz [FUZZ_SECONDS=60]  run each for FUZZ_SECONDS, new inputs kept in build/fuzz/corpus/
# make test runs a short smoke round of each (tests/run.py).

FUZZ_CC := clang
FUZZ_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fno-omit-frame-pointer -I. -Itests/host/arch $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_TARGETS))
# Host helpers that assert through Criterion are for the unit tests only.
FUZZ_HOST_SRCS = $(filter-out $(shell grep -l '<criterion' tests/host/*.c),$(HOST_SRCS))
FUZZ_OBJS = $(patsubst %,$(BUILD)/fuzz/%.o,$(FUZZ_HOST_SRCS)) \
	$(patsubst %,$(BUILD)/fuzz/renamed/%.o,$(HOST_RENAMED_SRCS))

.PHONY: fuzzers fuzz
fuzzers: $(FUZZ_BINS)
test: fuzzers

$(BUILD)/fuzz/%.c.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/fuzz/renamed/%.c.o: %.c tests/host/krename.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  FUZZCC  $< (renamed)")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -include tests/host/krename.h -c $< -o $@

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	$(if $(Q),@echo "  FUZZLD  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^

fuzz: $(FUZZ_BINS)
	$(Q)for t in $(FUZZ_TARGETS); do \
		mkdir -p $(BUILD)/fuzz/corpus/$$t; \
		echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
		$(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			$(BUILD)/fuzz/corpus/$$t tests/fuzz/corpus/$$t 2>&1 | \
			grep -E '^#[0-9]+ *DONE|stat::number_of_executed_units|stat::peak_rss|cov:|ERROR|SUMMARY' | tail -4 \
			|| exit 1; \
	done
