"""
TCP in the guest (issue 6): tcpcheck moves 4 MiB each way over 127.0.0.1
through the real scheduler, softirqs, timers and syscalls, then the
monitor's ss shows what is left: no connection in a wrong state.
(Against Linux's TCP over a tap waits for tests/guest/netns.py.)
"""
import re

from harness import Guest


def test_tcp_loopback_transfer_and_ss():
    with Guest("tcp-loopback", append="quiet app=tcpcheck -- 4") as g:
        g.wait_for(r"tcpcheck: \d+ bytes each way in \d+ ms", 120)
        g.wait_for(r"tcpcheck: PASS", 10)
        g.wait_for(r"unisock> ", 30)
        g.command("ss -a -i", r"State\s+Recv-Q")
        g.command("stats", r"unisock> ")
        text = g.text()
        table = text[text.rfind("State       Recv-Q"):]
        for bad in ("ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT", "CLOSE-WAIT",
                    "LAST-ACK", "CLOSING"):
            if re.search(r"^" + bad, table, re.M):
                g.fail("ss shows a connection in %s after both ends closed" % bad)
        m = re.search(r"tcpcheck: (\d+) bytes each way in (\d+) ms", text)
        print("    guest loopback TCP: %s bytes each way in %s ms" % m.groups())
