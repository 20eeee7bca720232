#!/usr/bin/env bash
# Print the QEMU command line for a unisock guest, one argument per line.
# scripts/run.sh (make run) and the test harness both build on it.
#
# Environment:
#   BOOT=multiboot|uefi   NIC=virtio|virtio-modern|e1000|none
#   NET=user|tap|none     TAP=name (NET=tap)   MAC=52:54:00:12:34:56
#   APPEND="kernel command line"   APP=path/to/static-elf [args...]
#   SERIAL=mon:stdio|stdio|...   PCAP=file.pcap   MEM=128M   DEBUG=1
#   EXTRA_NETDEV=...  (a full -netdev spec replacing NET's)
#   NIC_OPTS=...      (extra NIC properties, e.g. mrg_rxbuf=off,csum=off)
#   QEMU_MONITOR=path (the QEMU monitor on a unix socket, e.g. for set_link)
#   ACCEL=tcg|kvm     (instead of scripts/accel.sh's choice: make bench's columns)
set -euo pipefail
cd "$(dirname "$0")/.."

BOOT=${BOOT:-multiboot}
NIC=${NIC:-virtio}
NET=${NET:-user}
MEM=${MEM:-128M}
SERIAL=${SERIAL:-mon:stdio}
MAC=${MAC:-52:54:00:12:34:56}
accel=${ACCEL:-$(bash scripts/accel.sh)}

args=(qemu-system-x86_64 -M pc -m "$MEM" -display none -no-reboot
	-serial "$SERIAL" -device isa-debug-exit,iobase=0xf4,iosize=4)
if [ "$accel" = kvm ]; then
	args+=(-accel kvm -cpu host,-arch-capabilities)
else
	args+=(-accel tcg -cpu max)
fi
if [ -n "${QEMU_MONITOR:-}" ]; then
	args+=(-monitor "unix:$QEMU_MONITOR,server=on,wait=off")
else
	case $SERIAL in mon:*) ;; *) args+=(-monitor none) ;; esac
fi

case $BOOT in
multiboot)
	args+=(-bios /usr/share/qemu/qboot.rom -kernel build/kernel.elf)
	[ -n "${APPEND:-}" ] && args+=(-append "$APPEND")
	[ -n "${APP:-}" ] && args+=(-initrd "$APP")
	;;
uefi)
	bash scripts/efi-disk.sh >&2
	# bootindex: OVMF boots this disk first instead of trying the
	# empty CD-ROM drive of -M pc (half a second under TCG).
	args+=(-bios /usr/share/ovmf/OVMF.fd
		-drive "if=none,id=efidisk,format=raw,file=build/efi.img"
		-device "ide-hd,drive=efidisk,bootindex=0")
	;;
*)
	echo "BOOT=$BOOT: expected multiboot or uefi" >&2
	exit 2
	;;
esac

if [ -n "${EXTRA_NETDEV:-}" ]; then
	args+=(-netdev "$EXTRA_NETDEV")
else
	case $NET in
	user) args+=(-netdev "user,id=n0,net=10.0.2.0/24,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=tcp:127.0.0.1:7007-:7,hostfwd=udp:127.0.0.1:7007-:7") ;;
	tap) args+=(-netdev "tap,id=n0,ifname=${TAP:?NET=tap needs TAP=},script=no,downscript=no") ;;
	none) NIC=none; args+=(-nic none) ;;	# else -M pc adds an e1000
	*) echo "NET=$NET: expected user, tap or none" >&2; exit 2 ;;
	esac
fi

opts=${NIC_OPTS:+,$NIC_OPTS}
case $NIC in
virtio) args+=(-device "virtio-net-pci,netdev=n0,mac=$MAC$opts") ;;
virtio-modern) args+=(-device "virtio-net-pci,netdev=n0,mac=$MAC,disable-legacy=on$opts") ;;
e1000) args+=(-device "e1000,netdev=n0,mac=$MAC$opts") ;;
none) ;;
*) echo "NIC=$NIC: expected virtio, virtio-modern, e1000 or none" >&2; exit 2 ;;
esac

[ -n "${PCAP:-}" ] && args+=(-object "filter-dump,id=f0,netdev=n0,file=$PCAP")
[ -n "${DEBUG:-}" ] && args+=(-s -S)
printf '%s\n' "${args[@]}"
