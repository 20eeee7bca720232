"""
make bench's floor (issue 9, net/reflect.h): with "reflect" on the command
line, UDP echo and ICMP echo requests are turned around where frames enter
the stack; everything else (ARP, TCP) still goes up to it. The bench's own
C client (build/bench/clients/rr) and ping talk to it on a tap in the
test's namespace.
"""
import json
import os

from harness import ROOT, TestSkip
from netns import GUEST_IP, NetNS, unavailable

RR = os.path.join(ROOT, "build", "bench", "clients", "rr")


def rr(ns, g, proto, size):
    p = ns.run([RR, proto, GUEST_IP, "7", str(size), "1"], timeout=60)
    if p.returncode != 0:
        g.fail("rr %s %d: %s" % (proto, size, p.stderr))
    return json.loads(p.stdout)


def test_reflect_answers_udp_and_icmp_echo_below_the_stack():
    why = unavailable()
    if why:
        raise TestSkip(why)
    with NetNS("reflect") as ns:
        with ns.guest("reflect", append="reflect") as g:
            g.wait_for(r"net: reflect: UDP echo \(port 7\) and ICMP echo", 60)
            g.wait_for(r"netd: serving", 60)
            udp = [rr(ns, g, "udp", size) for size in (1, 1024)]
            for r in udp:
                if r["n"] < 10 or r["lost"]:
                    g.fail("reflected UDP echo: %s" % r)
            ping = ns.run(["ping", "-c", "3", "-i", "0.2", "-W", "5", GUEST_IP], timeout=60)
            if " 3 received" not in ping.stdout:
                g.fail("reflected ping: %s" % ping.stdout)
            m = g.command("reflect", r"reflect: on, (\d+) frames reflected, (\d+) dropped")
            want = sum(r["n"] for r in udp) + 3
            if int(m.group(1)) < want:
                g.fail("only %s frames reflected, want at least %d" % (m.group(1), want))
            m = g.command("stats", r"Udp: InDatagrams[^\n]*\n\s*Udp: (\d+)")
            if int(m.group(1)) >= want:
                g.fail("the stack saw the reflected datagrams: InDatagrams %s" % m.group(1))
            tcp = rr(ns, g, "tcp", 64)
            if tcp["n"] < 10:
                g.fail("TCP echo through the stack beside reflection: %s" % tcp)
