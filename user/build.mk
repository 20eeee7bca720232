# User programs: static musl ELFs (musl-gcc -static), one per user/*.c.
# The image embeds the server and the user's tools (.embedded_apps, see
# kernel/proc.c), so that app=NAME picks one; every other program (the
# tests' programs) stays a file under build/user/, given to the kernel as
# a Multiboot module, which app=NAME finds by name too (the test harness
# passes the one app= names). hello-pie is the same hello linked as a
# static-PIE (musl's rcrt1 relocates itself), since musl-gcc's specs
# cannot make one. Size: -Os, unused functions and data collected, one
# text segment (no page of padding between code and read-only data), -s.

USER_IMAGE_PROGS := netd ping ttcp wget
USER_PROGS := $(patsubst user/%.c,%,$(wildcard user/*.c))
USER_CFLAGS := -static -Os -s -ffunction-sections -fdata-sections -Wl,--gc-sections \
	-Wl,-z,noseparate-code \
	-Wall -Wextra -Werror
MUSL_LIB := /usr/lib/x86_64-linux-musl
USER_BINS := $(patsubst %,$(BUILD)/user/%,$(USER_PROGS)) $(BUILD)/user/hello-pie
USER_IMAGE_BINS := $(patsubst %,$(BUILD)/user/%,$(USER_IMAGE_PROGS))

$(BUILD)/user/%: user/%.c user/build.mk | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  MUSLCC  $<")
	$(Q)musl-gcc $(USER_CFLAGS) -o $@ $<

$(BUILD)/user/hello-pie.o: user/hello.c user/build.mk | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(Q)musl-gcc -O2 -Wall -Wextra -Werror -fPIE -c -o $@ $<

$(BUILD)/user/hello-pie: $(BUILD)/user/hello-pie.o
	$(if $(Q),@echo "  MUSLLD  $@ (static-PIE)")
	$(Q)$(LD) -static -pie --no-dynamic-linker -z text -o $@ \
		$(MUSL_LIB)/rcrt1.o $(MUSL_LIB)/crti.o $$($(CC) -print-file-name=crtbeginS.o) \
		$< -L$(MUSL_LIB) -lc $$($(CC) -print-libgcc-file-name) \
		$$($(CC) -print-file-name=crtendS.o) $(MUSL_LIB)/crtn.o

# One table entry per program: { name, data, size } (struct embedded_app).
$(BUILD)/user/apps.S: user/build.mk $(USER_IMAGE_BINS)
	$(Q){ for p in $(USER_IMAGE_PROGS); do \
		s=$$(echo $$p | tr -c 'a-zA-Z0-9\n' _); \
		printf '\t.section .rodata.apps, "a"\n\t.balign 16\n'; \
		printf 'app_%s: .incbin "%s"\napp_%s_end:\n' $$s $(BUILD)/user/$$p $$s; \
		printf 'app_%s_name: .asciz "%s"\n' $$s $$p; \
		printf '\t.section .embedded_apps, "a"\n\t.balign 8\n'; \
		printf '\t.quad app_%s_name, app_%s, app_%s_end - app_%s\n' $$s $$s $$s $$s; \
	done; } > $@

$(BUILD)/user/apps.o: $(BUILD)/user/apps.S $(USER_IMAGE_BINS)
	$(Q)$(CC) -c $< -o $@

KEXTRA_OBJS += $(BUILD)/user/apps.o
$(BUILD)/kernel.pass1.elf $(BUILD)/kernel.elf: $(BUILD)/user/apps.o

user-programs: $(USER_BINS)
.PHONY: user-programs
all: user-programs
