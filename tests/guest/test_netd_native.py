"""
netd on Linux: the very binary the guest runs (a static musl ELF), started
natively in a network namespace of its own and checked with stock clients.
It proves netd, so the guest tests of the same checks test the kernel.
"""
import os
import subprocess
import time

import netd_checks
from harness import ROOT, TestFailure

NETD = os.path.join(ROOT, "build", "user", "netd")


def have_root():
    return os.geteuid() == 0 and os.path.exists("/dev/net/tun")


def test_netd_native_services():
    if not have_root():
        print("    SKIP: needs root for a network namespace")
        return
    ns = "us-netd-%d" % os.getpid()
    subprocess.run(["ip", "netns", "add", ns], check=True)
    proc = None
    try:
        subprocess.run(["ip", "-n", ns, "link", "set", "lo", "up"], check=True)
        proc = subprocess.Popen(["ip", "netns", "exec", ns, NETD, "-q"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        line = proc.stdout.readline().decode()
        if not line.startswith("netd: serving"):
            raise TestFailure("netd did not start: %r" % line)
        for check in netd_checks.ALL:
            check(ns, "127.0.0.1")
        rate = netd_checks.wrk(ns, "127.0.0.1")
        print("    native netd: wrk /1k %.0f requests/s (2 s, 8 connections)" % rate)
    except AssertionError as e:
        raise TestFailure("netd natively: %s" % e)
    finally:
        if proc:
            proc.kill()
            proc.wait(timeout=10)
        subprocess.run(["ip", "netns", "del", ns])
