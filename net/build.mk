# net/: `make coverage` runs the host unit tests built with gcov and reports
# line coverage of net/ (gcovr, see scripts/deps.sh). Output in build/cov/.

COV_DIR := $(BUILD)/cov
COV_FLAGS := --coverage -O0
COV_OBJS = $(patsubst %,$(COV_DIR)/%.o,$(HOST_SRCS)) \
	$(patsubst %,$(COV_DIR)/renamed/%.o,$(HOST_RENAMED_SRCS))
COV_UNIT_OBJS = $(patsubst %,$(COV_DIR)/%.o,$(UNIT_SRCS))

$(COV_DIR)/%.c.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  COVCC   $<")
	$(Q)$(CC) $(HOST_CFLAGS) $(HOST_SAN) $(COV_FLAGS) -c $< -o $@

$(COV_DIR)/renamed/%.c.o: %.c tests/host/krename.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST_CFLAGS) $(HOST_SAN) $(COV_FLAGS) -include tests/host/krename.h -c $< -o $@

$(COV_DIR)/unit_tests: $(COV_OBJS) $(COV_UNIT_OBJS)
	$(if $(Q),@echo "  COVLD   $@")
	$(Q)$(CC) $(HOST_SAN) --coverage -o $@ $^ -lcriterion

coverage: $(COV_DIR)/unit_tests
	$(Q)find $(COV_DIR) -name '*.gcda' -delete
	$(Q)$(COV_DIR)/unit_tests --jobs 1 >$(COV_DIR)/unit_tests.log 2>&1 || \
		{ tail -20 $(COV_DIR)/unit_tests.log; exit 1; }
	$(Q)gcovr --root . --object-directory $(COV_DIR) --filter 'net/' \
		--txt $(COV_DIR)/net-coverage.txt --print-summary \
		--html-details $(COV_DIR)/index.html $(COV_DIR) | tail -3
	@echo "  per-file lines: $(COV_DIR)/net-coverage.txt, html: $(COV_DIR)/index.html"
