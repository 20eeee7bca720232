# make check-full: the sizes the issues name, beyond make test's.
#  - 200 seeds of stack-to-stack TCP, 1-4 MB each way, loss up to 10%,
#    duplication, reordering, delay (issue 6);
#  - 100 MB each way against Linux's TCP in the guest (issue 6);
#  - every fuzz target for FUZZ_SECONDS (default 60) each (issue 10);
#  - hostile traffic at the issue's sizes: a 10 s SYN flood, 10,000
#    never-completing fragments, 1000 ISNs (issue 10);
#  - the syscall fuzzer: 8 seeds of a million calls each (issue 10).
.PHONY: check-full
check-full: $(BUILD)/host/unit_tests all fuzzers
	$(Q)TCP_SEEDS=200 TCP_FULL=1 $(BUILD)/host/unit_tests --jobs 2 \
		--filter 'tcp_transfer/*'
	$(Q)TCP_LINUX_MIB=100 /usr/bin/python3 tests/run.py -k test_tcp_linux
	$(Q)HOSTILE_SYNFLOOD_S=30 HOSTILE_FRAGFLOOD=10000 HOSTILE_ISNS=1000 \
		/usr/bin/python3 tests/run.py -k test_hostile
	$(Q)SYSFUZZ_SEEDS="1 2 3 4 5 6 7 8" SYSFUZZ_CALLS=1000000 SYSFUZZ_SECONDS=300 \
		/usr/bin/python3 tests/run.py -k test_sysfuzz
	$(Q)$(MAKE) --no-print-directory fuzz
