#!/usr/bin/env python3
"""
A seeded impairing relay between a tap and QEMU's UDP socket backend
(-netdev socket,udp=127.0.0.1:LISTEN,localaddr=127.0.0.1:QEMU): every
Ethernet frame, both ways, is delayed, jittered (which reorders) and
optionally duplicated, from a seed, so a failing run can be replayed. The
kernels here have no netem; this is the delay/reorder/duplicate half of it.

  netrelay.py TAP LISTEN_PORT QEMU_PORT SEED DELAY_MS JITTER_MS DUP_PCT SECONDS

Runs inside the test's namespace (the tap must exist there), for at most
SECONDS, and prints its counts when it stops.
"""
import fcntl
import heapq
import os
import random
import select
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454ca
IFF_TAP, IFF_NO_PI = 0x0002, 0x1000


def open_tap(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    return fd


def main():
    tap, listen, qport, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    delay, jitter, dup = float(sys.argv[5]) / 1e3, float(sys.argv[6]) / 1e3, int(sys.argv[7])
    end = time.monotonic() + float(sys.argv[8])
    rng = random.Random(seed)
    tfd = open_tap(tap)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", listen))
    qemu = ("127.0.0.1", qport)
    queue, seq, counts = [], 0, {"to_guest": 0, "to_host": 0, "dups": 0}

    def schedule(frame, to_guest):
        nonlocal seq
        copies = 2 if rng.randrange(100) < dup else 1
        counts["dups"] += copies - 1
        for _ in range(copies):
            due = time.monotonic() + delay + rng.random() * jitter
            heapq.heappush(queue, (due, seq, frame, to_guest))
            seq += 1

    while time.monotonic() < end:
        timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else 0.5
        ready, _, _ = select.select([tfd, udp], [], [], min(timeout, 0.5))
        if tfd in ready:
            schedule(os.read(tfd, 65536), True)
        if udp in ready:
            schedule(udp.recv(65536), False)
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, frame, to_guest = heapq.heappop(queue)
            if to_guest:
                udp.sendto(frame, qemu)
                counts["to_guest"] += 1
            else:
                os.write(tfd, frame)
                counts["to_host"] += 1
    print("netrelay: %(to_guest)d frames to the guest, %(to_host)d to the host, "
          "%(dups)d duplicated" % counts, flush=True)


if __name__ == "__main__":
    main()
