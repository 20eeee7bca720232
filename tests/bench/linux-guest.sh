#!/usr/bin/env bash
# The Linux reference guest of make bench (issue 9): Debian's kernel
# (linux-image-amd64: the cloud flavour has no e1000 driver; virtio-net,
# virtio-pci and e1000 are modules) and a busybox initramfs whose /init
# loads them, configures eth0 as unisock's guest (10.0.2.15/24) and execs
# the very netd binary the unisock guest runs (build/user/netd).
# Downloads with apt-get download into build/bench/deb; output in
# build/bench/linux/{vmlinuz,initramfs.cpio.gz}.
set -euo pipefail
cd "$(dirname "$0")/../.."

B=build/bench
OUT=$B/linux
mkdir -p $B/deb $OUT
if ! ls $B/deb/linux-image-[0-9]*-amd64_*.deb >/dev/null 2>&1; then
	(cd $B/deb && apt-get download -q linux-image-amd64 busybox-static)
	pkg=$(dpkg-deb -f $B/deb/linux-image-amd64_*.deb Depends |
		grep -o 'linux-image-[0-9][^ ,]*-amd64' | head -1)
	(cd $B/deb && apt-get download -q "$pkg")
fi
rm -rf $B/x $B/root
mkdir -p $B/x
for d in $B/deb/linux-image-[0-9]*-amd64_*.deb $B/deb/busybox-static_*.deb; do
	dpkg-deb -x "$d" $B/x
done
cp $B/x/boot/vmlinuz-* $OUT/vmlinuz

R=$B/root
mkdir -p $R/bin $R/mod $R/proc $R/sys $R/dev
cp $B/x/bin/busybox $R/bin/busybox
cp build/user/netd $R/bin/netd
K=$(echo $B/x/lib/modules/*/kernel)
# In dependency order (each .ko's depends= line).
mods="drivers/virtio/virtio_ring drivers/virtio/virtio
	drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci_legacy_dev
	drivers/virtio/virtio_pci net/core/failover drivers/net/net_failover
	drivers/net/virtio_net drivers/net/ethernet/intel/e1000/e1000"
for m in $mods; do
	cp "$K/$m.ko" $R/mod/
done
cat >$R/init <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev \
	virtio_pci failover net_failover virtio_net e1000; do
	insmod /mod/$m.ko
done
ip link set lo up
ip addr add 10.0.2.15/24 dev eth0
ip link set eth0 up
ip route add default via 10.0.2.2
echo "linux-guest: up"
# A shell on the console, for the bench's memory reading.
sh </dev/console >/dev/console 2>&1 &
# The kernel gives init a hard fd limit of 4096; netd raises its soft
# limit to the hard one, so give it unisock's 65536 (a unit's LimitNOFILE=).
ulimit -n 65536
exec /bin/netd
INIT
chmod +x $R/init
(cd $R && find . | cpio -o -H newc --quiet | gzip -1) >$OUT/initramfs.cpio.gz
# Nothing extracted stays: the Makefile reads every build/**/*.d, and the
# packages hold directories named so.
rm -rf $B/x $R
ls -l $OUT
