#!/usr/bin/env bash
# Choose QEMU's accelerator (DESIGN §10) and print it: "tcg" or "kvm".
# /dev/kvm may be a nested KVM that emulates ordinary guests ~100x slower
# than TCG, so KVM must first prove itself: the kernel's test=spin (a 5M
# iteration loop) has to boot and finish within 2 s. The verdict is cached
# in build/accel for this build directory. The reason goes to stderr.
set -u
cache=build/accel
if [ -s "$cache" ]; then
	echo "accelerator: $(sed -n 2p "$cache")" >&2
	head -n 1 "$cache"
	exit 0
fi
mkdir -p build
choice=tcg
reason="no usable /dev/kvm"
if [ -r /dev/kvm ] && [ -w /dev/kvm ] && [ -e build/kernel.elf ]; then
	start=$(date +%s%N)
	timeout 3 qemu-system-x86_64 -accel kvm -cpu host,-arch-capabilities \
		-M pc -bios /usr/share/qemu/qboot.rom -m 64M -display none \
		-serial none -monitor none -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=4 \
		-kernel build/kernel.elf -append "test=spin quiet" >/dev/null 2>&1
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	if [ $rc -eq 1 ] && [ $ms -lt 2000 ]; then
		choice=kvm
		reason="KVM ran the probe guest in $ms ms"
	else
		reason="KVM present but the probe guest took ${ms} ms (status $rc): emulated, not native"
	fi
fi
printf '%s\n%s\n' "$choice" "$choice ($reason)" > "$cache"
echo "accelerator: $choice ($reason)" >&2
echo "$choice"
