# net/: `make coverage` builds the host unit tests again under build/cov with
# gcov instrumentation (a sub-make with BUILD and HOST_SAN overridden, so
# every directory's extra test objects come along), runs them, and reports
# line coverage of net/ with gcovr (scripts/deps.sh).

COV_DIR := $(BUILD)/cov

coverage: $(DEPS_STAMP)
	$(Q)$(MAKE) --no-print-directory BUILD=$(COV_DIR) \
		HOST_SAN="$(HOST_SAN) --coverage -O0" $(COV_DIR)/host/unit_tests
	$(Q)find $(COV_DIR) -name '*.gcda' -delete
	$(Q)$(COV_DIR)/host/unit_tests --jobs 1 >$(COV_DIR)/unit_tests.log 2>&1 || \
		{ tail -20 $(COV_DIR)/unit_tests.log; exit 1; }
	$(Q)gcovr --root . --object-directory $(COV_DIR) --filter 'net/' \
		--txt $(COV_DIR)/net-coverage.txt --print-summary \
		--html-details $(COV_DIR)/index.html $(COV_DIR) | tail -3
	@echo "  per-file lines: $(COV_DIR)/net-coverage.txt, html: $(COV_DIR)/index.html"
