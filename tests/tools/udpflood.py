#!/usr/bin/env python3
"""
Send COUNT small UDP datagrams to HOST:PORT as fast as the socket takes
them, stopping after COUNT or SECONDS, whichever comes first. Prints
"sent N failed F seconds S". Run it inside a test's network namespace.

  udpflood.py HOST PORT COUNT [SECONDS] [SIZE]
"""
import socket
import sys
import time


def main():
    host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 60.0
    size = int(sys.argv[5]) if len(sys.argv) > 5 else 18
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    payload = b"u" * size
    dest = (host, port)
    sent = failed = 0
    t0 = time.monotonic()
    deadline = t0 + seconds
    while sent + failed < count:
        try:
            s.sendto(payload, dest)
            sent += 1
        except OSError:     # ENOBUFS: the tap's queue is full; keep going
            failed += 1
        if (sent + failed) % 4096 == 0 and time.monotonic() > deadline:
            break
    print("sent %d failed %d seconds %.2f" % (sent, failed, time.monotonic() - t0))


if __name__ == "__main__":
    main()
