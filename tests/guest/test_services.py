"""
The user's view (DESIGN §7-8): netd in the guest on a tap in the test's own
namespace, checked with stock Linux clients -- the very checks that
test_netd_native.py runs against the same binary on Linux -- on virtio-net
and e1000, with many clients at once, and over a lossy link.
"""
import os
import time

import netd_checks
from harness import ROOT, TestFailure
from netns import GUEST_IP, NetNS

CONCURRENT = os.path.join(ROOT, "tests", "tools", "concurrent_echo.py")


def ready(g):
    g.wait_for(r"netd: serving", 60)
    return g


def checked(g, what, fn, *args):
    try:
        return fn(*args)
    except AssertionError as e:
        g.fail("%s: %s" % (what, e))


def run_all_checks(ns, g):
    for check in netd_checks.ALL:
        checked(g, check.__name__, check, ns.name, GUEST_IP)


def test_netd_over_virtio_matches_linux():
    with NetNS("svc") as ns:
        with ns.guest("svc-virtio", nic="virtio") as g:
            ready(g)
            run_all_checks(ns, g)
            checked(g, "bulk echo", netd_checks.tcp_echo, ns.name, GUEST_IP, 16 << 20)
            rate = checked(g, "wrk", netd_checks.wrk, ns.name, GUEST_IP, 2)
            print("    guest netd (virtio, TCG): wrk /1k %.0f requests/s" % rate)


def test_netd_over_e1000():
    with NetNS("svc") as ns:
        with ns.guest("svc-e1000", nic="e1000") as g:
            ready(g)
            run_all_checks(ns, g)


def test_thousand_concurrent_connections_each_echo():
    with NetNS("svc") as ns:
        with ns.guest("svc-many", nic="virtio") as g:
            ready(g)
            t0 = time.monotonic()
            out = ns.sh("/usr/bin/python3 %s %s 7 1000 120" % (CONCURRENT, GUEST_IP),
                        check=False, timeout=300).strip()
            if "ok=1000 failed=0" not in out:
                g.fail("1000 concurrent echoes: %s" % out)
            print("    1000 concurrent connections echoed in %.1f s" % (time.monotonic() - t0))


def test_lossy_link_still_delivers():
    with NetNS("svc") as ns:
        with ns.guest("svc-loss", nic="virtio") as g:
            ready(g)
            # 5% loss each way, inside the namespace only (no netem here).
            for chain in ("INPUT", "OUTPUT"):
                ns.sh("iptables -A %s -m statistic --mode random "
                      "--probability 0.05 -j DROP" % chain)
            checked(g, "echo over 5% loss", netd_checks.tcp_echo, ns.name, GUEST_IP, 2 << 20)
            checked(g, "http over 5% loss", netd_checks.http, ns.name, GUEST_IP)


def test_make_run_user_networking_forwards_ports():
    """`make run`'s set-up, no root needed: QEMU user networking, DHCP from
    QEMU, host 127.0.0.1:8080 -> guest 80 and 127.0.0.1:7007 -> guest 7."""
    import socket
    import subprocess

    from harness import Guest, TestSkip

    for port in (8080, 7007):
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            raise TestSkip("127.0.0.1:%d is in use on this host" % port)
        finally:
            s.close()
    with Guest("svc-user-net", nic="virtio", net="user") as g:
        g.wait_for(r"dhcp: eth0 bound to 10\.0\.2\.15/24", 60)
        g.wait_for(r"netd: serving", 60)
        out = subprocess.run(["curl", "-s", "-m", "30", "http://127.0.0.1:8080/1k"],
                             capture_output=True, timeout=60).stdout
        if out != netd_checks.body(1024):
            g.fail("curl localhost:8080/1k returned %d bytes, not netd's body" % len(out))
        out = subprocess.run(["nc", "-N", "-w", "10", "127.0.0.1", "7007"],
                             input=b"through slirp\n", capture_output=True,
                             timeout=60).stdout
        if out != b"through slirp\n":
            g.fail("nc localhost 7007 echoed %r" % out)


def test_ping_large_and_fragmented_and_arping():
    """Stock iputils against the guest: ARP with arping, ICMP echo of one
    frame, of a full MTU, and of payloads that must be fragmented and
    reassembled both ways (8 KiB, and the 65,507-byte maximum)."""
    with NetNS("svc") as ns:
        with ns.guest("svc-ping", nic="virtio") as g:
            ready(g)
            out = ns.sh("arping -c 3 -w 10 -I %s %s" % (ns.tap, GUEST_IP), check=False)
            if "Received 3 response" not in out:
                g.fail("arping: %s" % out[-300:])
            for size in (56, 1472, 8000, 65507):
                out = ns.sh("ping -c 3 -i 0.2 -W 5 -s %d %s" % (size, GUEST_IP),
                            check=False, timeout=60)
                if " 0% packet loss" not in out:
                    g.fail("ping -s %d: %s" % (size, out[-300:]))
            g.command("stats", r"ReasmOKs", 30)


RELAY = os.path.join(ROOT, "tests", "tools", "netrelay.py")


def impaired(ns, name, seed, delay_ms, jitter_ms, dup_pct):
    """A guest whose every frame passes the seeded relay (both ways)."""
    relay = ns.popen(["/usr/bin/python3", RELAY, ns.tap, "40001", "40002", str(seed),
                      str(delay_ms), str(jitter_ms), str(dup_pct), "240"])
    g = ns.guest(name, nic="virtio", extra_env={
        "EXTRA_NETDEV": "socket,id=n0,udp=127.0.0.1:40001,localaddr=127.0.0.1:40002"})
    return relay, g


def run_impaired(seed, delay_ms, jitter_ms, dup_pct):
    with NetNS("imp") as ns:
        relay, g = impaired(ns, "svc-imp-%d" % seed, seed, delay_ms, jitter_ms, dup_pct)
        with g:
            ready(g)
            checked(g, "echo (seed %d)" % seed, netd_checks.tcp_echo, ns.name, GUEST_IP, 2 << 20)
            checked(g, "http (seed %d)" % seed, netd_checks.http, ns.name, GUEST_IP)
            if relay.poll() is not None:
                g.fail("the relay stopped early (status %s)" % relay.returncode)


def test_reordering_link_still_delivers():
    """5 ms delay with 0-10 ms jitter per frame: frames overtake each other."""
    run_impaired(seed=11, delay_ms=5, jitter_ms=10, dup_pct=0)


def test_duplicating_delaying_link_still_delivers():
    """20 ms delay, 2 ms jitter, 10% of frames duplicated."""
    run_impaired(seed=12, delay_ms=20, jitter_ms=2, dup_pct=10)


def test_uefi_smoke_netd_over_virtio():
    """The UEFI boot path on the network: OVMF, the loader, then netd over
    virtio-net answering TCP echo and HTTP (the smoke subset of the matrix)."""
    with NetNS("svc") as ns:
        with ns.guest("svc-uefi", nic="virtio", boot="uefi") as g:
            g.wait_for(r"booting via UEFI", 90)
            ready(g)
            checked(g, "echo over UEFI boot", netd_checks.tcp_echo, ns.name, GUEST_IP, 1 << 20)
            checked(g, "http over UEFI boot", netd_checks.http, ns.name, GUEST_IP)


def test_monitor_ss_lists_listeners_and_udp_sockets():
    """The monitor's ss: netd's TCP listeners with -l, its UDP sockets with -u."""
    from harness import Guest

    with Guest("svc-ss", append="quiet") as g:
        g.wait_for(r"netd: serving", 60)
        g.wait_for(r"unisock> ", 30)
        pos = g.mark()
        g.send("ss -l")
        for port in (7, 9, 19, 80):
            g.wait_for(r"LISTEN.*[:.]%d\b" % port, 30, since=pos)
        pos = g.mark()
        g.send("ss -u")
        for port in (7, 9, 19):
            g.wait_for(r"(?i)udp.*[:.]%d\b" % port, 30, since=pos)


def test_pcap_records_the_guests_traffic():
    """make run PCAP=file: QEMU's filter-dump writes a pcap Wireshark reads."""
    import struct
    from harness import Guest

    path = os.path.join(ROOT, "build", "test-logs", "svc-pcap.pcap")
    if os.path.exists(path):
        os.unlink(path)
    with Guest("svc-pcap", nic="virtio", net="user", extra_env={"PCAP": path}) as g:
        g.wait_for(r"dhcp: eth0 bound to", 60)
        g.send("poweroff")
        g.wait_exit(30)
    data = open(path, "rb").read()
    if len(data) < 24 or struct.unpack("<I", data[:4])[0] != 0xa1b2c3d4:
        raise TestFailure("no pcap file header in %s (%d bytes)" % (path, len(data)))
    if len(data) < 24 + 16 + 300:
        raise TestFailure("the pcap holds no DHCP exchange (%d bytes)" % len(data))
