"""
TCP against Linux's TCP (issue 6): the guest on a tap in the test's own
namespace, Linux's stock tools on the other side. Connections both ways,
bulk transfers both ways with every byte checked, closes both ways, and
afterwards Linux's `ss` shows nothing left in a wrong state.
The sizes here are make test's; `make check-full` sets TCP_LINUX_MIB=100.
"""
import hashlib
import os
import re
import subprocess

import netd_checks
from netns import GUEST_IP, HOST_IP, NetNS

MIB = int(os.environ.get("TCP_LINUX_MIB", "16"))


def ttcp_pattern(n):
    """The bytes user/ttcp.c sends: i * 7 + i / 4096, mod 256."""
    return bytes(((i * 7 + i // 4096) & 0xff) for i in range(n))


def linux_sockets_in_bad_states(ns, port):
    """Linux's TCP sockets on @port that are not LISTEN or TIME-WAIT."""
    out = ns.sh("ss -tanH '( sport = :%d or dport = :%d )'" % (port, port))
    return [l for l in out.splitlines()
            if l.split() and l.split()[0] not in ("LISTEN", "TIME-WAIT")]


def test_linux_connects_to_the_guest_bulk_both_ways():
    """Linux connects; the guest's netd echoes MIB MiB: both directions at once."""
    with NetNS("tcpl") as ns:
        with ns.guest("tcpl-echo", nic="virtio") as g:
            g.wait_for(r"netd: serving", 60)
            try:
                netd_checks.tcp_echo(ns.name, GUEST_IP, MIB << 20)
            except AssertionError as e:
                g.fail("echo of %d MiB: %s" % (MIB, e))
            bad = linux_sockets_in_bad_states(ns, 7)
            if bad:
                g.fail("Linux still has connections on port 7: %s" % bad)
            g.command("ss -a", r"unisock> ", 30)


def test_guest_connects_to_linux_and_sends():
    """The guest connects out (ttcp -t) and sends MIB MiB to a Linux nc."""
    with NetNS("tcpl") as ns:
        sink = os.path.join("/tmp", "%s.sink" % ns.name)
        nc = ns.popen(["sh", "-c", "exec nc -l -p 5001 > %s" % sink])
        try:
            ns.sh("for i in $(seq 100); do ss -tlnH | grep -q ':5001' && exit 0; "
                  "sleep 0.05; done; exit 1")
            with ns.guest("tcpl-ttcp", nic="virtio",
                          append="app=ttcp -- -t %s 5001 %d" % (HOST_IP, MIB)) as g:
                m = g.wait_for(r"ttcp: sent (\d+) bytes in [\d.]+ s = ([\d.]+) Mbit/s", 300)
                g.wait_for(r"app: ttcp \(pid \d+\) exited with status 0", 60)
                nc.wait(timeout=60)
                data = open(sink, "rb").read()
                want = ttcp_pattern(MIB << 20)
                if len(data) != len(want) or \
                        hashlib.sha256(data).digest() != hashlib.sha256(want).digest():
                    g.fail("Linux received %d bytes, expected %d, or different bytes"
                           % (len(data), len(want)))
                print("    guest -> Linux: %d MiB at %s Mbit/s (guest clock)" % (MIB, m.group(2)))
                bad = linux_sockets_in_bad_states(ns, 5001)
                if bad:
                    g.fail("Linux still has connections on port 5001: %s" % bad)
        finally:
            if os.path.exists(sink):
                os.unlink(sink)


def test_linux_sends_to_a_guest_receiver():
    """Linux connects to the guest's ttcp -r and sends; the guest hashes every byte."""
    with NetNS("tcpl") as ns:
        with ns.guest("tcpl-recv", nic="virtio", append="app=ttcp -- -r 5002") as g:
            g.wait_for(r"ttcp: listening on port 5002", 60)
            want = ttcp_pattern(MIB << 20)
            p = subprocess.run(ns.argv(["nc", "-N", "-w", "60", GUEST_IP, "5002"]),
                               input=want, capture_output=True, timeout=300)
            if p.returncode != 0:
                g.fail("nc to the guest failed: %s" % p.stderr.decode()[-300:])
            m = g.wait_for(r"ttcp: received (\d+) bytes .* fnv1a ([0-9a-f]{16})", 120)
            h = 0xcbf29ce484222325
            for b in want:
                h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
            if int(m.group(1)) != len(want) or int(m.group(2), 16) != h:
                g.fail("guest received %s bytes hash %s; sent %d hash %016x"
                       % (m.group(1), m.group(2), len(want), h))
