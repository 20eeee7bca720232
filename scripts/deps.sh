#!/usr/bin/env bash
# Install what `make`, `make run` and `make test` need (`deps.sh bench`: and
# what only make bench needs), and nothing that is already there. Idempotent;
# Debian 12, as root (or with sudo). Each line below: a file or command that
# must exist, and the package that brings it.
set -euo pipefail

need=(
	"cmd:gcc gcc"
	"cmd:ld binutils"
	"cmd:make make"
	"file:/usr/bin/python3 python3"
	"cmd:qemu-system-x86_64 qemu-system-x86"
	"file:/usr/share/qemu/qboot.rom qemu-system-data"
	"file:/usr/share/ovmf/OVMF.fd ovmf"
	"file:/usr/include/criterion/criterion.h libcriterion-dev"
	"cmd:musl-gcc musl-tools"
	"cmd:mcopy mtools"
	"cmd:mformat mtools"
	"cmd:gcovr gcovr"
	"cmd:clang clang"
	"cmd:nc netcat-openbsd"
	"cmd:curl curl"
	"cmd:wrk wrk"
	"cmd:cpio cpio"
	"cmd:gnuplot gnuplot-nox"
	"cmd:ip iproute2"
	"cmd:ss iproute2"
	"cmd:sysctl procps"
	"cmd:ping iputils-ping"
	"cmd:arping iputils-arping"
	"cmd:iptables iptables"
	"file:/usr/lib/python3/dist-packages/scapy/__init__.py python3-scapy"
	"glob:/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a libclang-rt-14-dev"
)

# `deps.sh bench`: what only make bench needs, on top of the list above.
bench_need=(
	"cmd:valgrind valgrind"
	"file:/usr/include/lwip/lwipopts.h liblwip-dev"
)
[ "${1:-}" = bench ] && need+=("${bench_need[@]}")

missing=()
for item in "${need[@]}"; do
	what=${item%% *}
	pkg=${item#* }
	case $what in
	cmd:*) command -v "${what#cmd:}" >/dev/null 2>&1 && continue ;;
	file:*) [ -e "${what#file:}" ] && continue ;;
	glob:*) compgen -G "${what#glob:}" >/dev/null && continue ;;
	esac
	[[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "deps: need root (or sudo) to apt-get install: ${missing[*]}" >&2
		exit 1
	}
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
