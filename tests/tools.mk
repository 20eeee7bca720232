# Host load generators of the test tree (tests/tools/*.c), built with the
# host's gcc and libc: they run on the host, inside a test's namespace.
TOOLS_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror
TOOLS := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(wildcard tests/tools/*.c))

.PHONY: tools
tools: $(TOOLS)
all: tools
test: tools

$(BUILD)/tools/%: tests/tools/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  HOSTCC  $<")
	$(Q)$(CC) $(TOOLS_CFLAGS) -o $@ $<
