# Rules of the test tree: every tests/*.mk (check-full.mk, ...).
-include $(filter-out tests/build.mk,$(wildcard tests/*.mk))
