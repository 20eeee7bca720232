# make check-full: the sizes issue 6 names. 200 seeds of stack-to-stack
# TCP, 1-4 MB each way, loss up to 10%, duplication, reordering, delay.
.PHONY: check-full
check-full: $(BUILD)/host/unit_tests
	$(Q)TCP_SEEDS=200 TCP_FULL=1 $(BUILD)/host/unit_tests --jobs 2 \
		--filter 'tcp_transfer/*'
