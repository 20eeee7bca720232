# unisock: a unikernel network stack for x86-64 VMs.
#
#   make            build/kernel.elf (Multiboot) and build/BOOTX64.EFI (UEFI)
#   make run        boot it in QEMU with the serial console here (NIC=, BOOT=, APP=)
#   make test       host unit tests, then boot tests in QEMU; "N passed, M failed"
#   make debug      QEMU waiting for gdb; then: gdb -x build/gdbinit
#   make clean
#   V=1             show the commands
#
# Each directory may add rules in its own build.mk (included below), so
# parallel work on boot/, kernel/, net/, drivers/, user/ never edits this file.

V ?= 0
Q := $(if $(filter 1,$(V)),,@)
BUILD := build
CC := gcc
LD := ld
SHELL := /bin/bash

# ---- the kernel -------------------------------------------------------------
KCFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-fno-pic -fno-pie -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	-mno-sse -mno-mmx -mno-80387 -fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-common -fcf-protection=none \
	-I. -Ikernel/arch -MMD -MP
KASFLAGS := -I. -Ikernel/arch -D__ASSEMBLER__ -MMD -MP
KLDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments \
	-T linker.ld

KSRCS := boot/multiboot.S boot/multiboot.c \
	$(wildcard kernel/*.c kernel/*.S lib/*.c net/*.c drivers/*.c)
KOBJS = $(patsubst %,$(BUILD)/k/%.o,$(KSRCS)) $(KEXTRA_OBJS)

# ---- host builds (unit tests, fuzzers) ----------------------------------------
HOST_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fno-omit-frame-pointer -I. -Itests/host/arch -MMD -MP
# Portable kernel sources the host build shares (DESIGN §6).
HOST_KERNEL_SRCS := kernel/wait.c kernel/timer.c kernel/timeout.c kernel/softirq.c \
	kernel/params.c kernel/printk.c kernel/elf.c kernel/file.c kernel/fdtable.c \
	kernel/resource.c kernel/poll.c
# lib/ files whose names clash with the C library are built renamed (k_*).
HOST_RENAMED_SRCS := lib/string.c lib/vsprintf.c kernel/printk.c
HOST_LIB_SRCS := $(filter-out $(HOST_RENAMED_SRCS),$(wildcard lib/*.c))
HOST_SRCS = $(HOST_LIB_SRCS) $(filter-out $(HOST_RENAMED_SRCS),$(HOST_KERNEL_SRCS)) \
	$(wildcard net/*.c) $(wildcard tests/host/*.c)
HOST_OBJS = $(patsubst %,$(BUILD)/host/%.o,$(HOST_SRCS)) \
	$(patsubst %,$(BUILD)/host/renamed/%.o,$(HOST_RENAMED_SRCS))
UNIT_SRCS = $(wildcard tests/unit/*.c)
UNIT_OBJS = $(patsubst %,$(BUILD)/host/%.o,$(UNIT_SRCS))

QEMU := qemu-system-x86_64
DEPS_STAMP := $(BUILD)/.deps-ok

.PHONY: all kernel run test debug clean deps unit-tests guest-tests coverage
all: kernel

# Tools a target needs: scripts/deps.sh installs what is missing (apt-get).
$(DEPS_STAMP): scripts/deps.sh
	$(Q)bash scripts/deps.sh
	$(Q)mkdir -p $(BUILD) && touch $@
deps: $(DEPS_STAMP)

kernel: $(BUILD)/kernel.elf

$(BUILD)/k/%.c.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/k/%.S.o: %.S | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  AS      $<")
	$(Q)$(CC) $(KASFLAGS) -c $< -o $@

# Two links: the first gives the text addresses for the symbol table, the
# second embeds it (.ksyms sits after .text, so text does not move).
$(BUILD)/kernel.pass1.elf: $(KOBJS) linker.ld
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJS)

$(BUILD)/ksyms.S: $(BUILD)/kernel.pass1.elf scripts/gen-ksyms.sh
	$(Q)sh scripts/gen-ksyms.sh $< > $@

$(BUILD)/ksyms.o: $(BUILD)/ksyms.S
	$(Q)$(CC) -c $< -o $@

$(BUILD)/kernel.elf: $(BUILD)/kernel.pass1.elf $(BUILD)/ksyms.o
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/ksyms.o
	$(Q)cmp -s <(nm -n $< | grep -i ' t ') <(nm -n $@ | grep -i ' t ' | grep -v ksyms) \
		|| { echo "kernel.elf: text moved between links"; exit 1; }
	$(if $(Q),@echo "  IMAGE   $@ ($$(stat -c %s $@) bytes, $$(size -A $@ | awk '/^\.(text|rodata|data) /{s+=$$2} END{print s}') loaded)")

# ---- host objects -------------------------------------------------------------
$(BUILD)/host/%.c.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  HOSTCC  $<")
	$(Q)$(CC) $(HOST_CFLAGS) $(HOST_SAN) -c $< -o $@

$(BUILD)/host/renamed/%.c.o: %.c tests/host/krename.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  HOSTCC  $< (renamed)")
	$(Q)$(CC) $(HOST_CFLAGS) $(HOST_SAN) -include tests/host/krename.h -c $< -o $@

$(BUILD)/host/unit_tests: $(HOST_OBJS) $(UNIT_OBJS)
	$(if $(Q),@echo "  HOSTLD  $@")
	$(Q)$(CC) $(HOST_SAN) -o $@ $^ -lcriterion

unit-tests: $(BUILD)/host/unit_tests
	$(Q)$(BUILD)/host/unit_tests --jobs 2

# ---- running and testing ----------------------------------------------------------
NIC ?= virtio
BOOT ?= multiboot
APP ?=
run: $(DEPS_STAMP) all
	$(Q)bash scripts/run.sh

debug: $(DEPS_STAMP) all
	$(Q)printf 'file $(BUILD)/kernel.elf\ntarget remote localhost:1234\n' > $(BUILD)/gdbinit
	@echo "QEMU waits for gdb on :1234; in another terminal: gdb -x $(BUILD)/gdbinit"
	$(Q)DEBUG=1 bash scripts/run.sh

test: $(DEPS_STAMP) all $(BUILD)/host/unit_tests
	$(Q)/usr/bin/python3 tests/run.py

clean:
	rm -rf $(BUILD)

-include $(wildcard */build.mk)
-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
