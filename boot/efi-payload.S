/*
 * The kernel ELF inside BOOTX64.EFI, so the UEFI application needs nothing
 * else on the boot volume. boot/efi.c loads it; KERNEL_ELF is the stripped
 * build/kernel.elf (boot/build.mk).
 */
	.section .rodata
	.balign 4096
	.globl efi_kernel_elf, efi_kernel_elf_end
efi_kernel_elf:
	.incbin KERNEL_ELF
efi_kernel_elf_end:
