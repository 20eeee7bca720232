"""
A guest on its own test network (DESIGN §8), shared by every network test:

    with NetNS("nic") as ns:                    # namespace + tap 10.0.2.2/24
        with ns.guest("nic-virtio", nic="virtio") as g:   # 10.0.2.15/24
            ns.run(["ping", "-c", "1", "10.0.2.15"])
            ns.tap_stats()["tx_packets"]

The namespace's name is unique (it holds our PID), the tap and every client
live inside it, QEMU itself runs inside it (so it opens the tap there), and
everything is torn down on exit, test failure included. Without root or
/dev/net/tun, NetNS raises harness.TestSkip saying why.
"""
import itertools
import os
import subprocess
import time

from harness import Guest, TestSkip

HOST_IP = "10.0.2.2"
GUEST_IP = "10.0.2.15"
PREFIX = 24
GUEST_MAC = "52:54:00:12:34:56"
GUEST_APPEND = "ip=%s/%d gw=%s" % (GUEST_IP, PREFIX, HOST_IP)

_seq = itertools.count()


def unavailable():
    """Why tap tests cannot run here, or None if they can."""
    if os.geteuid() != 0:
        return "not root: tap tests need CAP_NET_ADMIN"
    if not os.path.exists("/dev/net/tun"):
        return "no /dev/net/tun"
    if subprocess.run(["which", "ip"], capture_output=True).returncode != 0:
        return "no ip(8) (iproute2)"
    return None


class NetNS:
    """A network namespace holding one tap device at 10.0.2.2/24."""

    def __init__(self, tag):
        n = next(_seq)
        self.name = "us-%s-%d-%d" % (tag, os.getpid(), n)
        self.tap = "ustap%d" % n   # unique inside its own namespace
        self.guests = []
        self.procs = []

    # -- set-up and tear-down -------------------------------------------------
    def __enter__(self):
        why = unavailable()
        if why:
            raise TestSkip(why)
        subprocess.run(["ip", "netns", "add", self.name], check=True)
        try:
            self._setup()
        except BaseException:
            self.close()
            raise
        return self

    def _setup(self):
        # IPv6 off before the tap exists: no ND/MLD/RS frames in the counts.
        self.sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
                "net.ipv6.conf.default.disable_ipv6=1")
        self.sh("ip link set lo up")
        self.sh("ip tuntap add dev %s mode tap" % self.tap)
        self.sh("ip addr add %s/%d dev %s" % (HOST_IP, PREFIX, self.tap))
        self.sh("ip link set %s up" % self.tap)

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        for g in self.guests:
            g.kill()
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait(timeout=10)
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)

    # -- running things inside ----------------------------------------------
    def argv(self, cmd):
        return ["ip", "netns", "exec", self.name] + list(cmd)

    def sh(self, cmd, check=True, timeout=60):
        """Run a shell command line inside the namespace; its stdout."""
        p = subprocess.run(self.argv(["sh", "-c", cmd]), capture_output=True,
                           text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise RuntimeError("in %s: %r failed (%d): %s" %
                               (self.name, cmd, p.returncode, p.stderr.strip()))
        return p.stdout

    def run(self, cmd, timeout=60):
        """Run argv @cmd inside the namespace; the CompletedProcess."""
        return subprocess.run(self.argv(cmd), capture_output=True, text=True,
                              timeout=timeout)

    def popen(self, cmd, **kw):
        """Start argv @cmd inside the namespace; killed at tear-down."""
        p = subprocess.Popen(self.argv(cmd), **kw)
        self.procs.append(p)
        return p

    def guest(self, name, nic="virtio", append="", nic_opts=None, **kw):
        """A Guest on this namespace's tap, with the guest address on its command line."""
        env = dict(kw.pop("extra_env", {}) or {})
        env["TAP"] = self.tap
        env["MAC"] = GUEST_MAC
        if nic_opts:
            env["NIC_OPTS"] = nic_opts
        g = Guest(name, append=(GUEST_APPEND + " " + append).strip(), nic=nic,
                  net="tap", extra_env=env, prefix=self.argv([]), **kw)
        self.guests.append(g)
        return g

    # -- looking at the tap -------------------------------------------------
    def tap_stats(self):
        """The tap's counters, as the host kernel keeps them."""
        out = self.sh("cd /sys/class/net/%s/statistics && grep . *" % self.tap)
        return {k: int(v) for k, v in (l.split(":", 1) for l in out.split())}

    def tap_carrier(self):
        return self.sh("cat /sys/class/net/%s/carrier" % self.tap,
                       check=False).strip() == "1"

    def wait_carrier(self, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.tap_carrier():
                return True
            time.sleep(0.05)
        return False

    def static_neigh(self, ip=GUEST_IP, mac=GUEST_MAC):
        """Pin the guest's MAC so frames flow without asking the guest's ARP."""
        self.sh("ip neigh replace %s lladdr %s dev %s nud permanent" %
                (ip, mac, self.tap))
