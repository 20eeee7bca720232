# User programs: static musl ELFs (musl-gcc -static). netd is the default
# program; the same binary runs natively on Linux in the tests.

USER_PROGS := netd
USER_CFLAGS := -static -O2 -Wall -Wextra -Werror
USER_BINS := $(patsubst %,$(BUILD)/user/%,$(USER_PROGS))

$(BUILD)/user/%: user/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  MUSLCC  $<")
	$(Q)musl-gcc $(USER_CFLAGS) -o $@ $<

user-programs: $(USER_BINS)
.PHONY: user-programs
all: user-programs
