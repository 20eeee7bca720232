"""
Hostile traffic for tests/guest/test_hostile.py, sent with scapy from
inside the test's network namespace (run with /usr/bin/python3, Debian's
python3-scapy):

    hostile.py malformed CLASS TAP GUEST_IP GUEST_MAC   -- one class of bad frames
    hostile.py inject TAP GUEST_IP GUEST_MAC SPORT      -- RFC 5961 blind RST/SYN
    hostile.py isn TAP GUEST_IP COUNT                   -- ISNs of COUNT SYN-ACKs
    hostile.py synflood TAP GUEST_IP GUEST_MAC SECONDS  -- spoofed SYNs to port 7
                                                           until stdin closes

Every class is bounded in count; prints what it sent as "sent N".
"""
import os
import random
import sys
import time

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Ether, Raw, conf, fragment,
                       get_if_hwaddr, sniff, AsyncSniffer, raw)

conf.verb = 0
HOST_IP = "10.0.2.2"
rng = random.Random(5961)


def eth(tap, mac):
    return Ether(src=get_if_hwaddr(tap), dst=mac)


def icmp_echo(e, ip, n=32):
    return e / IP(src=HOST_IP, dst=ip) / ICMP(id=0x4242, seq=1) / Raw(b"x" * n)


def truncations(frame):
    """Every prefix of a valid frame, shorter than the frame."""
    b = raw(frame)
    return [b[:n] for n in range(1, len(b))]


def with_bytes(pkt, fix):
    """@pkt built, then @fix(bytearray) applied (for fields scapy would repair)."""
    b = bytearray(raw(pkt))
    fix(b)
    return bytes(b)


def ip_bad(e, ip):
    base = e / IP(src=HOST_IP, dst=ip) / ICMP() / Raw(b"y" * 40)
    out = truncations(base)
    out.append(raw(e / IP(src=HOST_IP, dst=ip, chksum=0x1234) / ICMP()))
    for ihl in (0, 1, 4, 6, 15):        # < 5, and beyond the packet
        out.append(raw(e / IP(src=HOST_IP, dst=ip, ihl=ihl) / ICMP()))
    for tl in (0, 10, 19, 21, 100, 1500, 65535):   # below and above
        out.append(raw(e / IP(src=HOST_IP, dst=ip, len=tl) / ICMP()))
    for ver in (0, 5, 6, 15):
        out.append(raw(e / IP(src=HOST_IP, dst=ip, version=ver) / ICMP()))
    # IPv4 options with length 0, 1 and past the header (RFC 791 §3.1)
    for opt in (b"\x07\x00\x04\x00", b"\x07\x01\x04\x00", b"\x07\x28\x04\x00",
                b"\x44\x02\x05\x00", b"\x83\xff\x04\x00"):
        out.append(with_opt(e, ip, opt))
    out.append(raw(e / IP(src=HOST_IP, dst=ip, proto=253) / Raw(b"z" * 8)))
    out.append(raw(e / IP(src="0.0.0.0", dst=ip) / ICMP()))
    out.append(raw(e / IP(src=ip, dst=ip) / ICMP()))           # spoofed self
    out.append(raw(e / IP(src="255.255.255.255", dst=ip) / ICMP()))
    return out


def with_opt(e, ip, opt):
    p = e / IP(src=HOST_IP, dst=ip, options=[]) / ICMP()
    b = bytearray(raw(p))
    h = b[:14] + bytes([0x46]) + b[15:34] + opt + b[34:]
    tl = len(h) - 14
    h[16:18] = tl.to_bytes(2, "big")
    h[24:26] = b"\0\0"
    s = sum(int.from_bytes(h[14 + i:16 + i], "big") for i in range(0, 24, 2))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    h[24:26] = (~s & 0xffff).to_bytes(2, "big")
    return bytes(h)


def eth_bad(e, ip):
    out = truncations(icmp_echo(e, ip))
    out.append(raw(Ether(src=e.src, dst=e.dst, type=0x88b5) / Raw(b"q" * 46)))
    out.append(raw(Ether(src=e.src, dst="02:00:00:00:00:01") / IP(dst=ip) / ICMP()))
    out.append(raw(Ether(src=e.src, dst=e.dst, type=0x86dd) / Raw(b"\x60" + b"\0" * 45)))
    out.append(raw(Ether(src=e.src, dst=e.dst, type=0x0800)))      # header only
    return out


def arp_bad(e, ip):
    good = Ether(src=e.src, dst="ff:ff:ff:ff:ff:ff") / ARP(
        op=1, hwsrc=e.src, psrc=HOST_IP, pdst=ip)
    out = truncations(good)[14:]
    for kw in (dict(hwlen=0), dict(hwlen=255), dict(plen=0), dict(plen=16),
               dict(hwtype=6), dict(ptype=0x86dd), dict(op=0), dict(op=99),
               dict(psrc="255.255.255.255"), dict(psrc="0.0.0.0", pdst="10.0.2.99")):
        a = dict(op=1, hwsrc=e.src, psrc=HOST_IP, pdst=ip)
        a.update(kw)
        out.append(raw(Ether(src=e.src, dst="ff:ff:ff:ff:ff:ff") / ARP(**a)))
    return out


def icmp_bad(e, ip):
    ipl = IP(src=HOST_IP, dst=ip)
    out = [b for b in truncations(icmp_echo(e, ip)) if len(b) >= 34]
    out.append(raw(e / ipl / ICMP(chksum=0xbeef) / Raw(b"x" * 8)))
    for t, c in ((255, 0), (3, 99), (8, 5), (0, 0), (13, 0), (5, 1), (11, 0), (12, 0)):
        out.append(raw(e / ipl / ICMP(type=t, code=c) / Raw(b"r" * 4)))
    # errors quoting a truncated or bogus inner header
    for inner in (b"", b"\x45", b"\x4f" + b"\0" * 19, raw(IP(src=ip, dst=HOST_IP) / TCP())[:24]):
        out.append(raw(e / ipl / ICMP(type=3, code=4) / Raw(inner)))
    out.append(raw(e / IP(src=HOST_IP, dst="10.0.2.255") / ICMP()))   # broadcast echo
    return out


def udp_bad(e, ip):
    ipl = IP(src=HOST_IP, dst=ip)
    out = [b for b in truncations(e / ipl / UDP(sport=1234, dport=7) / Raw(b"u" * 16))
           if len(b) >= 34]
    out.append(raw(e / ipl / UDP(sport=1234, dport=7, chksum=0x1111) / Raw(b"u" * 16)))
    for ln in (0, 7, 9, 25, 65535):
        out.append(raw(e / ipl / UDP(sport=1234, dport=7, len=ln) / Raw(b"u" * 16)))
    out.append(raw(e / ipl / UDP(sport=0, dport=0) / Raw(b"u")))
    return out


def tcp_bad(e, ip):
    ipl = IP(src=HOST_IP, dst=ip)

    def syn(**kw):
        return TCP(sport=rng.randrange(1024, 65535), dport=80, flags="S",
                   seq=rng.getrandbits(32), **kw)
    out = [b for b in truncations(e / ipl / syn() / Raw(b"t" * 8)) if len(b) >= 34]
    out.append(raw(e / ipl / syn(chksum=0x2222)))
    for doff in (0, 4, 6, 15):
        out.append(raw(e / ipl / syn(dataofs=doff)))
    # options: length 0, 1, past the header; MSS 0; window scale 255
    for opt in (b"\x02\x00\x05\xb4", b"\x02\x01\x05\xb4", b"\x02\x28\x05\xb4",
                b"\x08\x0a\x00\x00", b"\x05\x03\x00\x00", b"\x02\x04\x00\x00",
                b"\x03\x03\xff\x00", b"\x04\x00\x01\x01"):
        out.append(raw(e / ipl / TCP(sport=rng.randrange(1024, 65535), dport=80,
                                     flags="S", seq=1, dataofs=6) / Raw(opt)))
    # urgent pointer past the data, odd flag sets, to a listener and a closed port
    for fl, port in (("SU", 80), ("SF", 80), ("SR", 80), ("FPU", 80), ("", 80),
                     ("A", 80), ("R", 80), ("SA", 80), ("S", 9999), ("FSRPAUEC", 80)):
        out.append(raw(e / ipl / TCP(sport=rng.randrange(1024, 65535), dport=port,
                                     flags=fl, urgptr=65535, seq=7) / Raw(b"u" * 3)))
    return out


def frag_bad(e, ip):
    out = []
    ipid = 100
    # tiny fragments: a whole echo in 8-byte pieces (valid, answered)
    for f in fragment(IP(src=HOST_IP, dst=ip, id=ipid) / ICMP(id=1, seq=1) /
                      Raw(b"f" * 64), fragsize=8):
        out.append(raw(e / f))
    # overlapping: second piece rewrites the first's bytes
    ipid += 1
    whole = raw(ICMP(id=2, seq=2) / Raw(b"o" * 64))
    out.append(raw(e / IP(src=HOST_IP, dst=ip, id=ipid, flags="MF", frag=0, proto=1) /
                   Raw(whole[:32])))
    out.append(raw(e / IP(src=HOST_IP, dst=ip, id=ipid, flags="MF", frag=2, proto=1) /
                   Raw(b"X" * 32)))
    out.append(raw(e / IP(src=HOST_IP, dst=ip, id=ipid, frag=4, proto=1) /
                   Raw(whole[32:])))
    # past 64 KiB: the last piece ends beyond 65535
    ipid += 1
    out.append(raw(e / IP(src=HOST_IP, dst=ip, id=ipid, flags="MF", frag=0, proto=1) /
                   Raw(whole[:16])))
    out.append(raw(e / IP(src=HOST_IP, dst=ip, id=ipid, frag=8190, proto=1) /
                   Raw(b"B" * 64)))
    # zero-length, odd-sized middle piece, duplicate
    ipid += 1
    out.append(raw(e / IP(src=HOST_IP, dst=ip, id=ipid, flags="MF", frag=1, proto=1)))
    out.append(raw(e / IP(src=HOST_IP, dst=ip, id=ipid, flags="MF", frag=1, proto=1) /
                   Raw(b"9" * 9)))
    return out


def fragflood(e, ip, n=int(os.environ.get("HOSTILE_FRAGFLOOD", "2000"))):
    """@n first fragments of distinct datagrams that never complete."""
    return [raw(e / IP(src=HOST_IP, dst=ip, id=1000 + i, flags="MF", frag=0, proto=17) /
                Raw(b"F" * 1000)) for i in range(n)]


CLASSES = dict(eth=eth_bad, arp=arp_bad, ip=ip_bad, icmp=icmp_bad, udp=udp_bad,
               tcp=tcp_bad, frag=frag_bad, fragflood=fragflood)


def send_raw(tap, frames, gap=0.0):
    s = conf.L2socket(iface=tap)
    for b in frames:
        s.send(b)
        if gap:
            time.sleep(gap)
    s.close()


def malformed(cls, tap, ip, mac):
    frames = CLASSES[cls](eth(tap, mac), ip)
    send_raw(tap, frames, 0.0005)
    print("sent %d" % len(frames))


def inject(tap, ip, mac, sport):
    """RST and SYN on the client's 4-tuple, out of window and in window but
    not exact (RFC 5961 §3, §4): none may tear the connection down."""
    e = eth(tap, mac)
    ipl = IP(src=HOST_IP, dst=ip)
    # An ACK far out of window draws the guest's ACK: its rcv.nxt (RFC 793 §3.9).
    sn = AsyncSniffer(iface=tap, count=1, lfilter=lambda p: TCP in p and
                      p[IP].src == ip and p[TCP].dport == sport)
    sn.start()
    time.sleep(0.5)
    send_raw(tap, [raw(e / ipl / TCP(sport=sport, dport=7, flags="A", seq=12345,
                                     ack=0))])
    sn.join(timeout=10)
    got = sn.results
    if not got:
        print("no segment from the guest seen")
        sys.exit(2)
    seg = got[0][TCP]
    rcv_nxt = seg.ack                # the guest's rcv.nxt: what a RST must hit
    frames = []
    ipl = IP(src=HOST_IP, dst=ip)
    for delta in (-(1 << 31), -100000, 1 << 30, 1 << 20, 70000, 1, 2, 100, 1000, 20000):
        s = (rcv_nxt + delta) & 0xffffffff
        frames.append(raw(e / ipl / TCP(sport=sport, dport=7, flags="R", seq=s)))
        frames.append(raw(e / ipl / TCP(sport=sport, dport=7, flags="RA", seq=s,
                                        ack=seg.seq)))
        frames.append(raw(e / ipl / TCP(sport=sport, dport=7, flags="S", seq=s)))
    send_raw(tap, frames, 0.002)
    print("sent %d" % len(frames))


def isn(tap, ip, count):
    """ISNs of @count SYN-ACKs from port 80; Linux answers each with RST."""
    sports = rng.sample(range(20000, 60000), count)
    sn = AsyncSniffer(iface=tap, lfilter=lambda p: TCP in p and p[IP].src == ip and
                      p[TCP].flags == "SA" and p[TCP].sport == 80)
    sn.start()
    time.sleep(0.5)
    s = conf.L3socket()
    for sp in sports:
        s.send(IP(dst=ip) / TCP(sport=sp, dport=80, flags="S", seq=rng.getrandbits(32)))
        time.sleep(0.01)
    # Until every port answered, or nothing new came for 2 s (20 s at most).
    deadline, seen, quiet = time.monotonic() + 20, -1, time.monotonic() + 2
    while time.monotonic() < min(deadline, quiet):
        n = len({p[TCP].dport for p in sn.results or []})
        if n == count:
            break
        if n != seen:
            seen, quiet = n, time.monotonic() + 2
        time.sleep(0.2)
    res = sn.stop()
    first = {}
    for p in res:
        first.setdefault(p[TCP].dport, p[TCP].seq)
    for sp in sports:
        if sp in first:
            print("%d %d" % (sp, first[sp]))


def stopped():
    """True once stdin is closed: the test has done its checks."""
    try:
        return os.read(0, 1) == b""
    except BlockingIOError:
        return False


def synflood(tap, ip, mac, seconds):
    """Spoofed SYNs to port 7 from 10.0.2.100-199 that never answer the
    guest's ARP, until stdin closes (at most @seconds)."""
    e = eth(tap, mac)
    s = conf.L2socket(iface=tap)
    tmpl = [raw(e / IP(src="10.0.2.%d" % (100 + i), dst=ip) /
                TCP(sport=1024 + i, dport=7, flags="S", seq=i * 7919)) for i in range(100)]
    n = 0
    end = time.monotonic() + seconds
    os.set_blocking(0, False)
    while time.monotonic() < end and not stopped():
        for i, t in enumerate(tmpl):
            b = bytearray(t)
            sp = 1024 + (n // 100) % 60000
            b[34:36] = sp.to_bytes(2, "big")
            # TCP checksum: adjust for the changed source port (RFC 1624)
            old = 1024 + i
            c = (~int.from_bytes(b[50:52], "big")) & 0xffff
            c += (~old & 0xffff) + sp
            while c >> 16:
                c = (c & 0xffff) + (c >> 16)
            b[50:52] = (~c & 0xffff).to_bytes(2, "big")
            s.send(bytes(b))
            n += 1
    s.close()
    print("sent %d" % n)


def main(a):
    if a[0] == "malformed":
        malformed(a[1], a[2], a[3], a[4])
    elif a[0] == "inject":
        inject(a[1], a[2], a[3], int(a[4]))
    elif a[0] == "isn":
        isn(a[1], a[2], int(a[3]))
    elif a[0] == "synflood":
        synflood(a[1], a[2], a[3], float(a[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
