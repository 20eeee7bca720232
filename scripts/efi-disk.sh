#!/usr/bin/env bash
# Build build/efi.img, the UEFI boot volume for BOOT=uefi (scripts/qemu-cmd.sh):
# a FAT file system (no partition table; UEFI firmware reads such a
# "superfloppy") holding
#   \EFI\BOOT\BOOTX64.EFI    the loader with the kernel inside (boot/efi.c),
#                            which firmware without boot entries starts, with
#                            no load options, so the command line is a file:
#   \unisock\cmdline         the kernel command line: $APPEND
#   \unisock\app             the program in $APP ("path [args...]"), if set,
#   \unisock\app.cmdline     with its command line: the whole of $APP, as
#                            QEMU -initrd gives it on the Multiboot path
# EFI_SHELL=1 instead puts the loader at \unisock\unisock.efi and a
# \startup.nsh that the UEFI shell (OVMF's fallback when nothing else boots)
# runs after its countdown: the loader then gets $APPEND as load options,
# as from a user typing at the shell, and there is no \unisock\cmdline.
set -euo pipefail
cd "$(dirname "$0")/.."

img=build/efi.img
efi=build/BOOTX64.EFI
[ -e "$efi" ] || { echo "efi-disk: $efi missing; run make" >&2; exit 1; }

app_file=""
if [ -n "${APP:-}" ]; then
	app_file=${APP%% *}
	[ -f "$app_file" ] || { echo "efi-disk: APP=$APP: no file $app_file" >&2; exit 1; }
fi

# Room for the loader, the program and FAT's own structures, in MiB.
bytes=$(stat -c %s "$efi")
[ -n "$app_file" ] && bytes=$(( bytes + $(stat -c %s "$app_file") ))
mib=$(( bytes / 1048576 + 2 ))

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%s\n' "${APPEND:-}" > "$tmp/cmdline"

rm -f "$img.new"
truncate -s "${mib}M" "$img.new"
export MTOOLS_SKIP_CHECK=1
mformat -i "$img.new" -v UNISOCK -T $(( mib * 2048 )) -h 64 -s 32 ::
mmd -i "$img.new" ::/unisock
if [ -n "${EFI_SHELL:-}" ]; then
	mcopy -i "$img.new" "$efi" ::/unisock/unisock.efi
	printf 'fs0:\\unisock\\unisock.efi %s\r\n' "${APPEND:-}" > "$tmp/startup.nsh"
	mcopy -i "$img.new" "$tmp/startup.nsh" ::/startup.nsh
else
	mmd -i "$img.new" ::/EFI ::/EFI/BOOT
	mcopy -i "$img.new" "$efi" ::/EFI/BOOT/BOOTX64.EFI
	mcopy -i "$img.new" "$tmp/cmdline" ::/unisock/cmdline
fi
if [ -n "$app_file" ]; then
	mcopy -i "$img.new" "$app_file" ::/unisock/app
	printf '%s\n' "$APP" > "$tmp/app.cmdline"
	mcopy -i "$img.new" "$tmp/app.cmdline" ::/unisock/app.cmdline
fi
mv "$img.new" "$img"
