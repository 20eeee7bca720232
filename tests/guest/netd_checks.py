"""
Checks of netd's services with stock Linux clients (nc from netcat-openbsd,
curl, wrk), run inside a network namespace against an address. The same
checks run against netd running natively on Linux and inside the unisock
guest, so a difference between the two is the kernel's, not netd's.
"""
import hashlib
import subprocess


def body(n):
    """The bytes netd serves for /N: 'a' + (offset % 26)."""
    return bytes(97 + i % 26 for i in range(n))


def run(ns, cmd, data=None, timeout=60):
    """Run @cmd (a list) inside namespace @ns; returns stdout bytes."""
    p = subprocess.run(["ip", "netns", "exec", ns] + cmd, input=data,
                       capture_output=True, timeout=timeout)
    if p.returncode != 0:
        raise AssertionError("%s failed (%d): %s" % (" ".join(cmd), p.returncode,
                                                      p.stderr.decode(errors="replace")[-500:]))
    return p.stdout


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def tcp_echo(ns, addr, size=2 << 20):
    data = bytes((i * 7 + 3) % 251 for i in range(size))
    out = run(ns, ["nc", "-N", "-w", "30", addr, "7"], data)
    check(hashlib.sha256(out).digest() == hashlib.sha256(data).digest(),
          "tcp echo of %d bytes came back as %d bytes, different" % (size, len(out)))


def udp_echo(ns, addr):
    out = run(ns, ["nc", "-u", "-w", "2", addr, "7"], b"ping over udp\n")
    check(out == b"ping over udp\n", "udp echo returned %r" % out)


def discard(ns, addr, size=1 << 20):
    out = run(ns, ["nc", "-N", "-w", "30", addr, "9"], bytes(size))
    check(out == b"", "discard answered %d bytes" % len(out))


def chargen(ns, addr):
    # chargen never stops: read for 2 s, then hang up (timeout's status is 124).
    out = subprocess.run(["ip", "netns", "exec", ns, "timeout", "2", "nc", addr, "19"],
                         capture_output=True, timeout=30).stdout
    lines = out.split(b"\r\n")
    check(len(lines) > 3, "chargen sent only %d bytes" % len(out))
    expect0 = bytes(32 + i % 95 for i in range(72))
    expect1 = bytes(32 + (1 + i) % 95 for i in range(72))
    check(lines[0] == expect0 and lines[1] == expect1, "chargen lines are not RFC 864's pattern")


def http(ns, addr):
    out = run(ns, ["curl", "-sS", "--max-time", "30", "http://%s/" % addr])
    check(b"<h1>unisock</h1>" in out, "GET / returned %r" % out[:80])
    for path, n in (("1k", 1024), ("64k", 65536), ("1m", 1 << 20)):
        out = run(ns, ["curl", "-sS", "--max-time", "60", "http://%s/%s" % (addr, path)])
        check(hashlib.sha256(out).digest() == hashlib.sha256(body(n)).digest(),
              "GET /%s: %d bytes, sha256 differs" % (path, len(out)))
    code = run(ns, ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://%s/nothing-here" % addr])
    check(code == b"404", "unknown path answered %r" % code)
    # Keep-alive: three requests, one connection.
    out = run(ns, ["curl", "-s", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                   "-w", "%{num_connects} ", "http://%s/1k" % addr, "http://%s/1k" % addr,
                   "http://%s/" % addr])
    check(out.split() == [b"1", b"0", b"0"], "keep-alive: connects per request %r" % out)


def wrk(ns, addr, seconds=2):
    out = run(ns, ["wrk", "-t1", "-c8", "-d%ds" % seconds, "--timeout", "5s",
                   "http://%s/1k" % addr], timeout=seconds + 30).decode()
    check("Non-2xx" not in out and "Socket errors" not in out, "wrk saw errors:\n" + out)
    rate = float(out.split("Requests/sec:")[1].split()[0])
    check(rate > 0, "wrk made no requests")
    return rate


ALL = (tcp_echo, udp_echo, discard, chargen, http)
