#!/usr/bin/env python3
"""
make bench (issue 9): what unisock costs and delivers, next to a Linux
guest running the very same netd binary on the same QEMU set-up.

    bench.py [--reps N] [--seconds S] [--guests unisock,linux] [--out DIR]

Each guest boots in its own network namespace (tests/guest/netns.py) on a
tap at 10.0.2.2/24; every client runs inside that namespace, so no traffic
leaves it. Each figure is the median of --reps runs of --seconds each.
The clients are this same script: "bench.py client MODE ..." prints one
JSON object.

This is a measurement, never a test: it does not fail for being slow.
"""
import argparse
import fcntl
import json
import os
import platform
import re
import socket
import statistics
import struct
import subprocess
import sys
import termios
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "guest"))

from harness import ROOT, Guest, qemu_command       # noqa: E402
from netns import GUEST_IP, NetNS                    # noqa: E402

PY = "/usr/bin/python3"
LINUX_DIR = os.path.join(ROOT, "build", "bench", "linux")


# -- clients (run inside the namespace) ------------------------------------
def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p / 100.0))]


def rr_result(lat, elapsed):
    return {"p50_us": percentile(lat, 50) * 1e6, "p99_us": percentile(lat, 99) * 1e6,
            "tps": len(lat) / elapsed, "n": len(lat)}


def recv_exact(s, n):
    got = 0
    while got < n:
        b = s.recv(n - got)
        if not b:
            raise ConnectionError("peer closed")
        got += len(b)


def client_tcp_rr(addr, size, seconds):
    s = socket.create_connection((addr, 7), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    msg = b"x" * size
    lat = []
    t0 = time.monotonic()
    end = t0 + seconds
    while True:
        a = time.monotonic()
        if a >= end:
            break
        s.sendall(msg)
        recv_exact(s, size)
        lat.append(time.monotonic() - a)
    s.close()
    return rr_result(lat, time.monotonic() - t0)


def client_udp_rr(addr, size, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1.0)
    s.connect((addr, 7))
    msg = b"y" * size
    lat = []
    lost = 0
    t0 = time.monotonic()
    end = t0 + seconds
    while True:
        a = time.monotonic()
        if a >= end:
            break
        s.send(msg)
        try:
            s.recv(65536)
        except socket.timeout:
            lost += 1
            continue
        lat.append(time.monotonic() - a)
    s.close()
    r = rr_result(lat, time.monotonic() - t0)
    r["lost"] = lost
    return r


def client_conn_rate(addr, seconds):
    n = 0
    t0 = time.monotonic()
    end = t0 + seconds
    while time.monotonic() < end:
        s = socket.create_connection((addr, 7), timeout=10)
        s.sendall(b"c")
        recv_exact(s, 1)
        s.close()
        n += 1
    return {"cps": n / (time.monotonic() - t0), "n": n}


def client_tx(addr, seconds):
    """Host to guest: stream into discard (port 9)."""
    s = socket.create_connection((addr, 9), timeout=10)
    buf = b"d" * 65536
    sent = 0
    t0 = time.monotonic()
    end = t0 + seconds
    while time.monotonic() < end:
        sent += s.send(buf)
    el = time.monotonic() - t0
    # Count only what the guest acknowledged (SIOCOUTQ: bytes still unacked).
    unacked = struct.unpack("i", fcntl.ioctl(s, termios.TIOCOUTQ, b"\0" * 4))[0]
    sent -= unacked
    s.close()
    return {"mbit": sent * 8 / el / 1e6, "bytes": sent}


def client_rx(addr, seconds):
    """Guest to host: read chargen (port 19)."""
    s = socket.create_connection((addr, 19), timeout=10)
    got = 0
    t0 = time.monotonic()
    end = t0 + seconds
    while time.monotonic() < end:
        b = s.recv(262144)
        if not b:
            break
        got += len(b)
    el = time.monotonic() - t0
    s.close()
    return {"mbit": got * 8 / el / 1e6, "bytes": got}


def client_wait_ready(addr, timeout):
    """Connect to port 7 until it works; the CLOCK_MONOTONIC time it did."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            s = socket.create_connection((addr, 7), timeout=0.2)
            t = time.monotonic()
            s.close()
            return {"ready_at": t}
        except OSError:
            time.sleep(0.01)
    return {"ready_at": None}


def client_main(argv):
    mode, addr = argv[0], argv[1]
    args = [float(a) for a in argv[2:]]
    fn = {"tcp_rr": lambda: client_tcp_rr(addr, int(args[0]), args[1]),
          "udp_rr": lambda: client_udp_rr(addr, int(args[0]), args[1]),
          "conn_rate": lambda: client_conn_rate(addr, args[0]),
          "tx": lambda: client_tx(addr, args[0]),
          "rx": lambda: client_rx(addr, args[0]),
          "ready": lambda: client_wait_ready(addr, args[0])}[mode]
    print(json.dumps(fn()))


# -- guests ----------------------------------------------------------------
def unisock_guest(ns):
    return ns.guest("bench-unisock", nic="virtio")


def linux_guest(ns):
    """Debian's kernel + a busybox initramfs that starts the same netd."""
    env = dict(TAP=ns.tap, MAC="52:54:00:12:34:56")
    g = Guest("bench-linux", nic="virtio", net="tap", extra_env=env,
              prefix=ns.argv([]))
    argv = g.argv[len(ns.argv([])):]
    i = argv.index("-kernel")
    del argv[i:i + 2]
    if "-initrd" in argv:
        j = argv.index("-initrd")
        del argv[j:j + 2]
    if "-append" in argv:
        j = argv.index("-append")
        del argv[j:j + 2]
    argv += ["-kernel", os.path.join(LINUX_DIR, "vmlinuz"),
             "-initrd", os.path.join(LINUX_DIR, "initramfs.cpio.gz"),
             "-append", "console=ttyS0 quiet"]
    g.argv = ns.argv([]) + argv
    ns.guests.append(g)
    return g


GUESTS = {"unisock": unisock_guest, "linux": linux_guest}


# -- measuring ----------------------------------------------------------------
class Bench:
    def __init__(self, ns, reps, seconds):
        self.ns, self.reps, self.seconds = ns, reps, seconds

    def client(self, *args, timeout=120):
        p = self.ns.run([PY, os.path.abspath(__file__), "client", args[0], GUEST_IP] +
                        [str(a) for a in args[1:]], timeout=timeout)
        if p.returncode != 0:
            raise RuntimeError("client %s: %s" % (args, p.stderr.strip()[-400:]))
        return json.loads(p.stdout)

    def median(self, fn):
        runs = [fn() for _ in range(self.reps)]
        return {k: statistics.median(r[k] for r in runs) for k in runs[0]}

    def wrk(self):
        out = self.ns.run(["wrk", "-t1", "-c8", "-d%ds" % max(1, int(self.seconds)),
                           "--timeout", "5s", "--latency", "http://%s/1k" % GUEST_IP],
                          timeout=self.seconds + 60).stdout
        rate = float(out.split("Requests/sec:")[1].split()[0])
        m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
        scale = {"us": 1, "ms": 1e3, "s": 1e6}[m.group(2)]
        return {"rps": rate, "p99_us": float(m.group(1)) * scale}


def boot_to_ready(ns, make_guest):
    """Seconds from QEMU start until TCP port 7 accepts; the guest, left running."""
    waiter = ns.popen([PY, os.path.abspath(__file__), "client", "ready", GUEST_IP, "120"],
                      stdout=subprocess.PIPE, text=True)
    g = make_guest(ns)
    g.start()
    out, _ = waiter.communicate(timeout=180)
    t = json.loads(out)["ready_at"]
    if t is None:
        g.fail("port 7 never accepted")
    return t - g.t0, g


def idle_connections(ns, g, kind, n=10000):
    """Issue 9: @n concurrent idle connections opened and held (connstorm,
    from four source addresses, 128 connects in flight), the guest's memory
    in use read while they are held, then each echoes one line once."""
    def mem_kib():
        pos = g.mark()
        if kind == "unisock":
            g.send("mem")
            return int(g.wait_for(r"in use (\d+) KiB", 60, since=pos).group(1))
        g.send("grep -E 'Mem(Total|Free)' /proc/meminfo")
        m = g.wait_for(r"MemTotal:\s+(\d+) kB\s+MemFree:\s+(\d+) kB", 60, since=pos)
        return int(m.group(1)) - int(m.group(2))

    srcs = ["10.0.2.%d" % i for i in range(10, 14)]
    for a in srcs:
        ns.sh("ip addr add %s/24 dev %s" % (a, ns.tap))
    before = mem_kib()
    p = ns.popen([os.path.join(ROOT, "build", "tools", "connstorm"), "-n", str(n),
                  "-k", "128", "-t", "120", "-s", ",".join(srcs), "-p", "hold",
                  GUEST_IP, "7"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    opened = json.loads(p.stdout.readline())
    held = mem_kib()
    done = json.loads(p.communicate("\n", timeout=300)[0])
    return {"idle10k_opened": opened["opened"], "idle10k_echoed": done["echoed"],
            "idle10k_mem_kib": held - before}


def measure(kind, reps, seconds):
    r = {}
    boots = []
    with NetNS("bench") as ns:
        for i in range(reps):
            t, g = boot_to_ready(ns, GUESTS[kind])
            boots.append(t)
            if i < reps - 1:
                g.kill()
                ns.guests.remove(g)
        r["boot_to_ready_s"] = statistics.median(boots)
        b = Bench(ns, reps, seconds)
        if kind == "unisock":
            m = g.command("mem", r"in use (\d+) KiB")
            r["idle_mem_kib"] = int(m.group(1))
        else:
            g.send("grep -E 'Mem(Total|Free)' /proc/meminfo")
            m = g.wait_for(r"MemTotal:\s+(\d+) kB\s+MemFree:\s+(\d+) kB", 30)
            r["idle_mem_kib"] = int(m.group(1)) - int(m.group(2))
        for size in (1, 1024):
            x = b.median(lambda: b.client("tcp_rr", size, seconds))
            r["tcp_rr_%d_p50_us" % size] = x["p50_us"]
            r["tcp_rr_%d_p99_us" % size] = x["p99_us"]
            r["tcp_rr_%d_tps" % size] = x["tps"]
        for size in (1, 1024):
            x = b.median(lambda: b.client("udp_rr", size, seconds))
            r["udp_rr_%d_p50_us" % size] = x["p50_us"]
            r["udp_rr_%d_p99_us" % size] = x["p99_us"]
            r["udp_rr_%d_tps" % size] = x["tps"]
        r["tcp_conn_per_s"] = b.median(lambda: b.client("conn_rate", seconds))["cps"]
        r["tcp_host_to_guest_mbit"] = b.median(lambda: b.client("tx", seconds))["mbit"]
        r["tcp_guest_to_host_mbit"] = b.median(lambda: b.client("rx", seconds))["mbit"]
        x = b.median(b.wrk)
        r["http_1k_rps"] = x["rps"]
        r["http_1k_p99_us"] = x["p99_us"]
        r.update(idle_connections(ns, g, kind))
    return r


def embedded_programs():
    """The user programs kernel.elf carries (build/user/apps.S .incbin lines)."""
    with open(os.path.join(ROOT, "build", "user", "apps.S")) as f:
        return re.findall(r'\.incbin "([^"]+)"', f.read())


def image_sizes_kib():
    """kernel.elf's loaded sections (size -A, debug sections left out), and
    the same without its embedded programs."""
    out = subprocess.run(["size", "-A", os.path.join(ROOT, "build", "kernel.elf")],
                         capture_output=True, text=True, check=True).stdout
    loaded = sum(int(m.group(1)) for m in
                 re.finditer(r"^\.\S+\s+(\d+)\s+([1-9]\d*)$", out, re.M))
    apps = sum(os.path.getsize(os.path.join(ROOT, p)) for p in embedded_programs())
    return loaded / 1024.0, (loaded - apps) / 1024.0


def linux_sizes_kib():
    kernel = os.path.getsize(os.path.join(LINUX_DIR, "vmlinuz")) / 1024.0
    return kernel + os.path.getsize(os.path.join(LINUX_DIR, "initramfs.cpio.gz")) / 1024.0, kernel


# -- output -------------------------------------------------------------------
ROWS = [
    ("boot_to_ready_s", "boot to ready (QEMU start to TCP connect on :7)", "s", "lower"),
    ("tcp_rr_1_p50_us", "TCP RR 1 B p50", "us", "lower"),
    ("tcp_rr_1_p99_us", "TCP RR 1 B p99", "us", "lower"),
    ("tcp_rr_1_tps", "TCP RR 1 B", "trans/s", "higher"),
    ("tcp_rr_1024_p50_us", "TCP RR 1 KiB p50", "us", "lower"),
    ("tcp_rr_1024_p99_us", "TCP RR 1 KiB p99", "us", "lower"),
    ("tcp_rr_1024_tps", "TCP RR 1 KiB", "trans/s", "higher"),
    ("udp_rr_1_p50_us", "UDP RR 1 B p50", "us", "lower"),
    ("udp_rr_1_p99_us", "UDP RR 1 B p99", "us", "lower"),
    ("udp_rr_1_tps", "UDP RR 1 B", "trans/s", "higher"),
    ("udp_rr_1024_p50_us", "UDP RR 1 KiB p50", "us", "lower"),
    ("udp_rr_1024_p99_us", "UDP RR 1 KiB p99", "us", "lower"),
    ("udp_rr_1024_tps", "UDP RR 1 KiB", "trans/s", "higher"),
    ("tcp_conn_per_s", "TCP connect+1 B echo+close", "conn/s", "higher"),
    ("tcp_host_to_guest_mbit", "TCP bulk host->guest (discard)", "Mbit/s", "higher"),
    ("tcp_guest_to_host_mbit", "TCP bulk guest->host (chargen)", "Mbit/s", "higher"),
    ("http_1k_rps", "HTTP /1k keep-alive (wrk -c8)", "req/s", "higher"),
    ("http_1k_p99_us", "HTTP /1k p99 (wrk --latency)", "us", "lower"),
    ("idle10k_echoed", "10,000 concurrent idle connections held (connstorm), then each "
     "echoes once: how many did", "conns", "higher"),
    ("idle10k_mem_kib", "memory in use for those 10,000 held (while held less before)",
     "KiB", "lower"),
    ("idle_mem_kib", "idle memory in use (unisock: monitor mem; Linux: MemTotal - MemFree)", "KiB", "lower"),
    ("image_kib", "image (unisock: kernel.elf loaded sections, size -A, with %d embedded "
     "programs; Linux: vmlinuz + initramfs.cpio.gz)" % len(embedded_programs()), "KiB", "lower"),
    ("image_noapps_kib", "image without programs (unisock: less the embedded programs; "
     "Linux: vmlinuz alone, compressed)", "KiB", "lower"),
]


def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 100:
        return "%.0f" % v
    return "%.3g" % v


def ratio(row, res):
    u, l = res.get("unisock", {}).get(row[0]), res.get("linux", {}).get(row[0])
    if u is None or l is None or l == 0:
        return None
    return u / l


def write_outputs(res, header, outdir):
    os.makedirs(outdir, exist_ok=True)
    md = [header, "",
          "| figure | unit | unisock | Linux | unisock/Linux | better |",
          "|---|---|---:|---:|---:|---|"]
    csv = ["figure,unit,unisock,linux,ratio,better"]
    for row in ROWS:
        u = res.get("unisock", {}).get(row[0])
        l = res.get("linux", {}).get(row[0])
        q = ratio(row, res)
        md.append("| %s | %s | %s | %s | %s | %s |" % (row[1], row[2], fmt(u), fmt(l),
                                                       "-" if q is None else "%.2f" % q, row[3]))
        csv.append(",".join([row[0], row[2]] + ["" if x is None else "%.6g" % x
                                                for x in (u, l, q)] + [row[3]]))
    text = "\n".join(md) + "\n"
    with open(os.path.join(outdir, "bench.md"), "w") as f:
        f.write(text)
    with open(os.path.join(outdir, "bench.csv"), "w") as f:
        f.write("\n".join(csv) + "\n")
    print(text)


def write_chart(res, outdir):
    """bench.png: how many times better unisock does per figure (log scale)."""
    if subprocess.run(["which", "gnuplot"], capture_output=True).returncode != 0:
        print("bench: no gnuplot, no chart")
        return
    data = os.path.join(outdir, "bench-chart.dat")
    with open(data, "w") as f:
        for row in ROWS:
            q = ratio(row, res)
            if q:
                f.write('"%s" %.6g\n' % (row[0], q if row[3] == "higher" else 1 / q))
    script = """
set terminal pngcairo size 1200,700 noenhanced
set bmargin 9
set output '%s'
set title 'unisock vs Linux guest, same QEMU (TCG), same netd: times better (>1: unisock better)'
set logscale y
set style fill solid 0.8
set boxwidth 0.7
set xtics rotate by -45 font ',9'
set grid ytics
set key off
set yrange [0.1:*]
plot '%s' using 0:2:xtic(1) with boxes, 1 with lines lc rgb 'black'
""" % (os.path.join(outdir, "bench.png"), data)
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    os.unlink(data)


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    accel = subprocess.run(["bash", os.path.join(ROOT, "scripts", "accel.sh")],
                           capture_output=True, text=True).stdout.strip()
    qemu = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                          text=True).stdout.splitlines()[0]
    return "nproc %d, CPU %s, %s, %s, accel %s" % (os.cpu_count(), model, platform.release(),
                                                    qemu, accel)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "client":
        return client_main(sys.argv[2:])
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--guests", default="unisock,linux")
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    a = ap.parse_args()
    res = {}
    for kind in a.guests.split(","):
        if kind == "linux" and not os.path.exists(os.path.join(LINUX_DIR, "vmlinuz")):
            print("bench: no Linux guest in %s, column left empty" % LINUX_DIR)
            continue
        print("bench: %s guest, %d reps of %.0f s each ..." % (kind, a.reps, a.seconds),
              flush=True)
        try:
            res[kind] = measure(kind, a.reps, a.seconds)
        except Exception as e:      # a measurement, not a test: report and go on
            print("bench: %s guest failed: %s" % (kind, e))
            continue
        sizes = image_sizes_kib() if kind == "unisock" else linux_sizes_kib()
        res[kind]["image_kib"], res[kind]["image_noapps_kib"] = sizes
    header = ("# make bench\n\n%s UTC; %s.\n\nCommand: `make bench` (`%s`); each figure the median of %d "
              "runs of %.0f s; TCG, virtio-net on a tap in the bench's own namespace, "
              "netd (build/user/netd) serving in both guests." %
              (time.strftime("%Y-%m-%d %H:%M", time.gmtime()), machine(),
               " ".join(["tests/bench/bench.py"] + sys.argv[1:]), a.reps, a.seconds))
    write_outputs(res, header, a.out)
    write_chart(res, a.out)
    with open(os.path.join(a.out, "bench.json"), "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
