# The UEFI boot path (boot/efi.c): build/BOOTX64.EFI, a PE32+ EFI application
# carrying the kernel ELF. Compiled by the host gcc as position-independent
# ELF objects and linked into PE32+ by binutils' i386pep emulation, which
# also writes the .reloc section the firmware applies when it loads the
# image elsewhere than its link address.

EFI_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-fpie -mno-red-zone -mgeneral-regs-only \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-common \
	-fcf-protection=none -I. -MMD -MP
EFI_LDFLAGS := -m i386pep --subsystem 10 -nostdlib -T boot/efi.lds \
	--image-base 0 --enable-reloc-section --dynamicbase
EFI_OBJS := $(BUILD)/efi/boot/efi.c.o $(BUILD)/efi/boot/efi_info.c.o \
	$(BUILD)/efi/lib/string.c.o \
	$(BUILD)/efi/lib/vsprintf.c.o $(BUILD)/efi/boot/efi-payload.S.o

all: $(BUILD)/BOOTX64.EFI
test: $(BUILD)/BOOTX64.EFI

# Its firmware-free half runs in the host unit tests too.
$(BUILD)/host/unit_tests: $(BUILD)/host/boot/efi_info.c.o

$(BUILD)/efi/%.c.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  EFICC   $<")
	$(Q)$(CC) $(EFI_CFLAGS) -c $< -o $@

# The payload: the kernel without debug sections (its symbol table for
# backtraces lives in .ksyms, inside the loaded segment).
$(BUILD)/efi/kernel.elf: $(BUILD)/kernel.elf
	@mkdir -p $(dir $@)
	$(Q)objcopy --strip-all $< $@

$(BUILD)/efi/boot/efi-payload.S.o: boot/efi-payload.S $(BUILD)/efi/kernel.elf
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  AS      $<")
	$(Q)$(CC) -DKERNEL_ELF='"$(BUILD)/efi/kernel.elf"' -c $< -o $@

$(BUILD)/BOOTX64.EFI: $(EFI_OBJS) boot/efi.lds boot/build.mk
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(LD) $(EFI_LDFLAGS) -o $@ $(EFI_OBJS)
	$(if $(Q),@echo "  IMAGE   $@ ($$(stat -c %s $@) bytes)")
