# User programs: static musl ELFs (musl-gcc -static), embedded in the
# kernel image (.embedded_apps, see kernel/proc.c) so that app=NAME picks
# one. hello-pie is the same hello linked as a static-PIE (musl's rcrt1
# relocates itself), since musl-gcc's specs cannot make one.

USER_PROGS := netd ttcp ping wget hello syscalls fault spin ticker readline sysbench sockcheck tcpcheck
USER_CFLAGS := -static -O2 -s -Wall -Wextra -Werror
MUSL_LIB := /usr/lib/x86_64-linux-musl
USER_BINS := $(patsubst %,$(BUILD)/user/%,$(USER_PROGS)) $(BUILD)/user/hello-pie

$(BUILD)/user/%: user/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  MUSLCC  $<")
	$(Q)musl-gcc $(USER_CFLAGS) -o $@ $<

$(BUILD)/user/hello-pie.o: user/hello.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(Q)musl-gcc -O2 -Wall -Wextra -Werror -fPIE -c -o $@ $<

$(BUILD)/user/hello-pie: $(BUILD)/user/hello-pie.o
	$(if $(Q),@echo "  MUSLLD  $@ (static-PIE)")
	$(Q)$(LD) -static -pie --no-dynamic-linker -z text -o $@ \
		$(MUSL_LIB)/rcrt1.o $(MUSL_LIB)/crti.o $$($(CC) -print-file-name=crtbeginS.o) \
		$< -L$(MUSL_LIB) -lc $$($(CC) -print-libgcc-file-name) \
		$$($(CC) -print-file-name=crtendS.o) $(MUSL_LIB)/crtn.o

# One table entry per program: { name, data, size } (struct embedded_app).
$(BUILD)/user/apps.S: user/build.mk $(USER_BINS)
	$(Q){ for p in $(notdir $(USER_BINS)); do \
		s=$$(echo $$p | tr -c 'a-zA-Z0-9\n' _); \
		printf '\t.section .rodata.apps, "a"\n\t.balign 16\n'; \
		printf 'app_%s: .incbin "%s"\napp_%s_end:\n' $$s $(BUILD)/user/$$p $$s; \
		printf 'app_%s_name: .asciz "%s"\n' $$s $$p; \
		printf '\t.section .embedded_apps, "a"\n\t.balign 8\n'; \
		printf '\t.quad app_%s_name, app_%s, app_%s_end - app_%s\n' $$s $$s $$s $$s; \
	done; } > $@

$(BUILD)/user/apps.o: $(BUILD)/user/apps.S $(USER_BINS)
	$(Q)$(CC) -c $< -o $@

KEXTRA_OBJS += $(BUILD)/user/apps.o
$(BUILD)/kernel.pass1.elf $(BUILD)/kernel.elf: $(BUILD)/user/apps.o

user-programs: $(USER_BINS)
.PHONY: user-programs

# Test programs given to the guest as a Multiboot module (APP=build/user/NAME),
# not embedded, so the default image does not carry them.
USER_MODULES := sysfuzz
USER_MODULE_BINS := $(patsubst %,$(BUILD)/user/%,$(USER_MODULES))
all user-programs: $(USER_MODULE_BINS)
