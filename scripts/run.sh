#!/usr/bin/env bash
# make run: boot unisock in QEMU with the serial console on this terminal.
# Ctrl-A X quits QEMU; `poweroff` at the unisock> prompt ends the VM.
#
# NET=user (default): QEMU user networking, host ports forwarded.
# NET=tap without TAP=: a network namespace of its own (DESIGN §8), made here
# and removed on exit: a tap at 10.0.2.2/24 inside it, the guest at
# 10.0.2.15/24; clients run with `ip netns exec NAME ...`. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=()
if [ "${NET:-user}" = tap ] && [ -z "${TAP:-}" ]; then
	[ "$(id -u)" -eq 0 ] || { echo "unisock: NET=tap needs root (a namespace and a tap)" >&2; exit 1; }
	ns=unisock-run-$$
	export TAP=ustap0
	ip netns add "$ns"
	trap 'ip netns del "$ns" 2>/dev/null' EXIT
	ip -n "$ns" link set lo up
	ip -n "$ns" tuntap add dev "$TAP" mode tap
	ip -n "$ns" addr add 10.0.2.2/24 dev "$TAP"
	ip -n "$ns" link set "$TAP" up
	export APPEND="ip=10.0.2.15/24 gw=10.0.2.2 ${APPEND:-}"
	prefix=(ip netns exec "$ns")
	echo "unisock: namespace $ns: tap $TAP 10.0.2.2/24, guest 10.0.2.15; try" >&2
	echo "unisock:   ip netns exec $ns curl http://10.0.2.15/" >&2
fi
mapfile -t cmd < <(bash scripts/qemu-cmd.sh)
echo "unisock: ${cmd[*]}" >&2
case ${NET:-user} in
user) echo "unisock: host 127.0.0.1:8080 -> guest :80, 127.0.0.1:7007 -> guest :7 (tcp, udp)" >&2 ;;
esac
set +e
"${prefix[@]}" "${cmd[@]}"
rc=$?
# isa-debug-exit reports (code << 1) | 1; a clean poweroff is 1.
[ $rc -eq 1 ] && rc=0
exit $rc
