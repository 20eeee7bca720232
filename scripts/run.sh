#!/usr/bin/env bash
# make run: boot unisock in QEMU with the serial console on this terminal.
# Ctrl-A X quits QEMU; `poweroff` at the unisock> prompt ends the VM.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t cmd < <(bash scripts/qemu-cmd.sh)
echo "unisock: ${cmd[*]}" >&2
case ${NET:-user} in
user) echo "unisock: host 127.0.0.1:8080 -> guest :80, 127.0.0.1:7007 -> guest :7 (tcp, udp)" >&2 ;;
esac
set +e
"${cmd[@]}"
rc=$?
# isa-debug-exit reports (code << 1) | 1; a clean poweroff is 1.
[ $rc -eq 1 ] && rc=0
exit $rc
