"""
Two unisock guests on one test network (DESIGN §8, issue 8): a bridge in the
test's namespace joins two taps; guest A (10.0.2.15) runs netd, guest B
(10.0.2.16, another MAC) runs the HTTP client and then ping against A.
Linux only bridges: every byte of the conversation is unisock's both ways.
"""

from harness import Guest
from netns import GUEST_IP, HOST_IP, NetNS

B_IP = "10.0.2.16"
B_MAC = "52:54:00:12:34:57"


def bridge_taps(ns):
    """Put the namespace's tap and a second one on a bridge holding 10.0.2.2."""
    ns.sh("ip link add usbr0 type bridge && ip link set usbr0 up")
    ns.sh("ip addr flush dev %s && ip link set %s master usbr0" % (ns.tap, ns.tap))
    ns.sh("ip tuntap add dev ustapb mode tap && ip link set ustapb master usbr0 "
          "&& ip link set ustapb up")
    ns.sh("ip addr add %s/24 dev usbr0" % HOST_IP)


def guest_b(ns, name, app):
    g = Guest(name, append="ip=%s/24 gw=%s %s" % (B_IP, HOST_IP, app), nic="virtio",
              net="tap", extra_env={"TAP": "ustapb", "MAC": B_MAC}, prefix=ns.argv([]))
    ns.guests.append(g)
    return g


def test_one_guest_fetches_from_and_pings_another():
    with NetNS("two") as ns:
        bridge_taps(ns)
        with ns.guest("two-a", nic="virtio") as a:
            a.wait_for(r"netd: serving", 60)
            with guest_b(ns, "two-b-wget", "app=wget -- http://%s/1m" % GUEST_IP) as b:
                m = b.wait_for(r"wget: \S+: HTTP (\d+), (\d+) bytes .* fnv1a ([0-9a-f]{16})", 120)
                if m.group(1) != "200" or int(m.group(2)) != 1 << 20:
                    b.fail("wget from guest A: HTTP %s, %s bytes" % (m.group(1), m.group(2)))
                h = 0xcbf29ce484222325
                for i in range(1 << 20):
                    h = ((h ^ (97 + i % 26)) * 0x100000001b3) & 0xffffffffffffffff
                if int(m.group(3), 16) != h:
                    b.fail("the body B got is not the one A serves")
                b.wait_for(r"app: wget \(pid \d+\) exited with status 0", 60)
            with guest_b(ns, "two-b-ping", "app=ping -- -c 3 -i 200 %s" % GUEST_IP) as b:
                b.wait_for(r"3 packets transmitted, 3 received, 0% packet loss", 60)
                b.wait_for(r"rtt min/avg/max/mdev = [\d.]+/[\d.]+/[\d.]+/[\d.]+ ms", 10)
                b.wait_for(r"app: ping \(pid \d+\) exited with status 0", 30)
