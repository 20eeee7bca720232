#!/usr/bin/env python3
"""
make bench (issue 9): what unisock costs and delivers, next to a Linux
guest running the very same netd binary on the same QEMU set-up, and next
to the floor: the same unisock guest with "reflect" on its command line,
which turns UDP echo frames around where they enter the stack
(net/reflect.h), so what is left is QEMU's, the tap's and the driver's.

    bench.py [--reps N] [--seconds S] [--guests unisock,linux,floor]
             [--nics virtio,e1000] [--accel tcg,kvm] [--figures LIST]
             [--threads N] [--out DIR]

--figures picks among boot, mem, rr, conn, bulk, http, idle (default: all), so
a run can be short. Each guest boots in its own network namespace
(tests/guest/netns.py) on a tap at 10.0.2.2/24; every client runs inside
that namespace, so no traffic leaves it. Each figure is the median of
--reps runs of --seconds each. The load generators are the project's own
C programs (tests/bench/clients/, built by make into build/bench/clients/)
and wrk; the KVM column runs only where scripts/accel.sh finds KVM fast.

This is a measurement, never a test: it does not fail for being slow.
"""
import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "guest"))

from harness import ROOT, Guest, image_programs     # noqa: E402
from netns import GUEST_IP, NetNS                    # noqa: E402

PY = "/usr/bin/python3"
LINUX_DIR = os.path.join(ROOT, "build", "bench", "linux")
CLIENTS = os.path.join(ROOT, "build", "bench", "clients")
GUEST_KINDS = ("unisock", "linux", "floor")
NICS = {"virtio": "virtio-net", "e1000": "e1000"}
FIGURES = ("boot", "mem", "rr", "conn", "bulk", "http", "idle")
# The floor answers only UDP echo: the rest of its figures would be the stack's.
FLOOR_FIGURES = ("rr",)


# -- guests ----------------------------------------------------------------
class Config:
    """One column set: a NIC model under an accelerator."""

    def __init__(self, nic, accel):
        self.nic, self.accel = nic, accel

    @property
    def key(self):
        return "%s-%s" % (self.nic, self.accel)

    def env(self):
        return {"ACCEL": self.accel}


def unisock_guest(ns, cfg, append=""):
    """quiet, as the Linux guest boots: the boot log over an emulated UART
    costs more time than the boot itself."""
    return ns.guest("bench-unisock-" + cfg.key, nic=cfg.nic,
                    append=("quiet " + append).strip(), extra_env=cfg.env())


def floor_guest(ns, cfg):
    return unisock_guest(ns, cfg, append="reflect")


def linux_guest(ns, cfg):
    """Debian's kernel + a busybox initramfs that starts the same netd."""
    env = dict(TAP=ns.tap, MAC="52:54:00:12:34:56", **cfg.env())
    g = Guest("bench-linux-" + cfg.key, nic=cfg.nic, net="tap", extra_env=env,
              prefix=ns.argv([]))
    argv = g.argv[len(ns.argv([])):]
    for opt in ("-kernel", "-initrd", "-append"):
        if opt in argv:
            i = argv.index(opt)
            del argv[i:i + 2]
    argv += ["-kernel", os.path.join(LINUX_DIR, "vmlinuz"),
             "-initrd", os.path.join(LINUX_DIR, "initramfs.cpio.gz"),
             "-append", "console=ttyS0 quiet"]
    g.argv = ns.argv([]) + argv
    ns.guests.append(g)
    return g


GUESTS = {"unisock": unisock_guest, "linux": linux_guest, "floor": floor_guest}


# -- measuring ----------------------------------------------------------------
class Bench:
    def __init__(self, ns, reps, seconds, threads):
        self.ns, self.reps, self.seconds, self.threads = ns, reps, seconds, threads

    def client(self, prog, *args, timeout=None):
        """Run build/bench/clients/@prog inside the namespace; its JSON."""
        timeout = timeout or self.seconds + 60
        p = self.ns.run([os.path.join(CLIENTS, prog)] + [str(a) for a in args],
                        timeout=timeout)
        if p.returncode != 0:
            raise RuntimeError("%s %s: %s" % (prog, args, p.stderr.strip()[-400:]))
        return json.loads(p.stdout)

    def median(self, fn):
        runs = [fn() for _ in range(self.reps)]
        return {k: statistics.median(r[k] for r in runs) for k in runs[0]}

    def rr(self, proto, size):
        return self.median(lambda: self.client("rr", proto, GUEST_IP, 7, size, self.seconds))

    def conn_rate(self):
        return self.median(lambda: self.client("connrate", GUEST_IP, 7, self.threads,
                                               self.seconds))

    def bulk(self, way, port):
        return self.median(lambda: self.client("bulk", way, GUEST_IP, port, self.seconds))

    def wrk_once(self, close):
        hdr = ["-H", "Connection: close"] if close else []
        out = self.ns.run(["wrk", "-t1", "-c8", "-d%ds" % max(1, int(self.seconds)),
                           "--timeout", "5s", "--latency"] + hdr +
                          ["http://%s/1k" % GUEST_IP], timeout=self.seconds + 60).stdout
        rate = float(out.split("Requests/sec:")[1].split()[0])
        m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
        scale = {"us": 1, "ms": 1e3, "s": 1e6}[m.group(2)]
        return {"rps": rate, "p99_us": float(m.group(1)) * scale}

    def wrk(self, close=False):
        return self.median(lambda: self.wrk_once(close))


def boot_to_ready(ns, make_guest, cfg):
    """Seconds from QEMU start until TCP port 7 accepts; the guest, left running."""
    waiter = ns.popen([os.path.join(CLIENTS, "ready"), GUEST_IP, "7", "120"],
                      stdout=subprocess.PIPE, text=True)
    g = make_guest(ns, cfg)
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


def idle_memory_kib(kind, g):
    if kind == "linux":
        g.send("grep -E 'Mem(Total|Free)' /proc/meminfo")
        m = g.wait_for(r"MemTotal:\s+(\d+) kB\s+MemFree:\s+(\d+) kB", 30)
        return int(m.group(1)) - int(m.group(2))
    return int(g.command("mem", r"in use (\d+) KiB").group(1))


def measure_rr(b, r, protos):
    for proto in protos:
        for size in (1, 1024):
            x = b.rr(proto, size)
            name = "%s_rr_%d" % (proto, size)
            r[name + "_p50_us"], r[name + "_p99_us"] = x["p50_us"], x["p99_us"]
            r[name + "_tps"] = x["tps"]


def measure_figures(kind, b, g, figures, r):
    """The figures after boot, on the running guest @g."""
    if "mem" in figures:
        r["idle_mem_kib"] = idle_memory_kib(kind, g)
    if "rr" in figures:
        measure_rr(b, r, ("udp",) if kind == "floor" else ("tcp", "udp"))
    if "conn" in figures:
        r["tcp_conn_per_s"] = b.conn_rate()["cps"]
    if "bulk" in figures:
        r["tcp_host_to_guest_mbit"] = b.bulk("send", 9)["mbit"]
        r["tcp_guest_to_host_mbit"] = b.bulk("recv", 19)["mbit"]
    if "http" in figures:
        x = b.wrk()
        r["http_1k_rps"], r["http_1k_p99_us"] = x["rps"], x["p99_us"]
        x = b.wrk(close=True)
        r["http_close_rps"], r["http_close_p99_us"] = x["rps"], x["p99_us"]
    if "idle" in figures:        # last: 10,000 connections take a while to wind down
        r.update(idle_connections(b.ns, g, kind))


def measure(kind, cfg, figures, a):
    r = {}
    if kind == "floor":
        figures = [f for f in figures if f in FLOOR_FIGURES]
    with NetNS("bench") as ns:
        boots = []
        for i in range(a.reps if "boot" in figures else 1):
            t, g = boot_to_ready(ns, GUESTS[kind], cfg)
            boots.append(t)
            if i < a.reps - 1 and "boot" in figures:
                g.kill()
                ns.guests.remove(g)
        if "boot" in figures:
            r["boot_to_ready_s"] = statistics.median(boots)
        measure_figures(kind, Bench(ns, a.reps, a.seconds, a.threads), g, figures, r)
    return r


# -- image size ---------------------------------------------------------------
def pt_load_file_bytes(path):
    """What a boot loader copies from the file: the PT_LOAD segments' file
    sizes (.bss, zeroed memory, is not in the file)."""
    out = subprocess.run(["readelf", "-lW", path], capture_output=True, text=True,
                         check=True).stdout
    return sum(int(m.group(1), 16) for m in
               re.finditer(r"^\s+LOAD\s+\S+\s+\S+\s+\S+\s+0x([0-9a-f]+)", out, re.M))


def image_sizes_kib():
    """kernel.elf as loaded; the same with netd alone of its embedded
    programs; and the kernel without any."""
    image = pt_load_file_bytes(os.path.join(ROOT, "build", "kernel.elf"))
    size = {p: os.path.getsize(os.path.join(ROOT, "build", "user", p))
            for p in image_programs()}
    tools = sum(v for p, v in size.items() if p != "netd")
    return {"image_kib": image / 1024.0, "image_netd_kib": (image - tools) / 1024.0,
            "image_kernel_kib": (image - sum(size.values())) / 1024.0}


def linux_sizes_kib():
    kernel = os.path.getsize(os.path.join(LINUX_DIR, "vmlinuz")) / 1024.0
    both = kernel + os.path.getsize(os.path.join(LINUX_DIR, "initramfs.cpio.gz")) / 1024.0
    return {"image_kib": both, "image_netd_kib": both, "image_kernel_kib": kernel}


# -- output -------------------------------------------------------------------
# (key, figure, unit, better, --figures group)
ROWS = [
    ("boot_to_ready_s", "boot to ready (QEMU start to TCP connect on :7)", "s", "lower", "boot"),
    ("tcp_rr_1_p50_us", "TCP RR 1 B p50", "us", "lower", "rr"),
    ("tcp_rr_1_p99_us", "TCP RR 1 B p99", "us", "lower", "rr"),
    ("tcp_rr_1_tps", "TCP RR 1 B", "trans/s", "higher", "rr"),
    ("tcp_rr_1024_p50_us", "TCP RR 1 KiB p50", "us", "lower", "rr"),
    ("tcp_rr_1024_p99_us", "TCP RR 1 KiB p99", "us", "lower", "rr"),
    ("tcp_rr_1024_tps", "TCP RR 1 KiB", "trans/s", "higher", "rr"),
    ("udp_rr_1_p50_us", "UDP RR 1 B p50", "us", "lower", "rr"),
    ("udp_rr_1_p99_us", "UDP RR 1 B p99", "us", "lower", "rr"),
    ("udp_rr_1_tps", "UDP RR 1 B", "trans/s", "higher", "rr"),
    ("udp_rr_1024_p50_us", "UDP RR 1 KiB p50", "us", "lower", "rr"),
    ("udp_rr_1024_p99_us", "UDP RR 1 KiB p99", "us", "lower", "rr"),
    ("udp_rr_1024_tps", "UDP RR 1 KiB", "trans/s", "higher", "rr"),
    ("tcp_conn_per_s", "TCP connect+1 B echo+close (connrate, %(threads)d threads)",
     "conn/s", "higher", "conn"),
    ("tcp_host_to_guest_mbit", "TCP bulk host->guest (discard)", "Mbit/s", "higher", "bulk"),
    ("tcp_guest_to_host_mbit", "TCP bulk guest->host (chargen)", "Mbit/s", "higher", "bulk"),
    ("http_1k_rps", "HTTP /1k keep-alive (wrk -c8)", "req/s", "higher", "http"),
    ("http_1k_p99_us", "HTTP /1k keep-alive p99 (wrk --latency)", "us", "lower", "http"),
    ("http_close_rps", "HTTP /1k new connection per request (wrk -c8, Connection: close)",
     "req/s", "higher", "http"),
    ("http_close_p99_us", "HTTP /1k new connection per request p99", "us", "lower", "http"),
    ("idle10k_echoed", "10,000 concurrent idle connections held (connstorm), then each "
     "echoes once: how many did", "conns", "higher", "idle"),
    ("idle10k_mem_kib", "memory in use for those 10,000 held (while held less before)",
     "KiB", "lower", "idle"),
    ("idle_mem_kib", "idle memory in use (unisock: monitor mem; Linux: MemTotal - MemFree)",
     "KiB", "lower", "mem"),
    ("image_kib", "image as loaded from the file (unisock: kernel.elf PT_LOAD file bytes, "
     "embedding %(programs)s; Linux: vmlinuz + initramfs.cpio.gz)", "KiB", "lower", "image"),
    ("image_netd_kib", "image with netd alone (unisock: the above less the other programs; "
     "Linux: as above)", "KiB", "lower", "image"),
    ("image_kernel_kib", "kernel alone (unisock: the above less netd; Linux: vmlinuz, "
     "compressed)", "KiB", "lower", "image"),
]


def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 100:
        return "%.0f" % v
    return "%.3g" % v


def ratio(u, l):
    if u is None or l is None or l == 0:
        return None
    return u / l


def table(res, cfg, subst):
    """One Markdown table and its CSV lines for @cfg's columns."""
    col = {k: res.get("%s/%s" % (k, cfg.key), {}) for k in GUEST_KINDS}
    md = ["| figure | unit | unisock | Linux | unisock/Linux | floor | better |",
          "|---|---|---:|---:|---:|---:|---|"]
    csv = []
    for key, name, unit, better, _ in ROWS:
        u, l, f = (col[k].get(key) for k in GUEST_KINDS)
        if u is None and l is None and f is None:
            continue
        q = ratio(u, l)
        md.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            name % subst, unit, fmt(u), fmt(l), "-" if q is None else "%.2f" % q,
            fmt(f), better))
        csv.append(",".join([cfg.nic, cfg.accel, key, unit] +
                            ["" if x is None else "%.6g" % x for x in (u, l, q, f)] +
                            [better]))
    return md, csv


FLOOR_NOTE = ("floor: the same unisock guest and QEMU set-up booted with `reflect`: "
              "UDP echo frames are turned around where they enter the stack "
              "(net/reflect.c, before any layer), so the floor is what QEMU, the tap, "
              "the driver and the client cost for one round trip; a TCP round trip "
              "pays at least that as well.")


def write_outputs(res, header, configs, skipped, subst, outdir):
    os.makedirs(outdir, exist_ok=True)
    md = [header, "", FLOOR_NOTE]
    csv = ["nic,accel,figure,unit,unisock,linux,ratio,floor,better"]
    for cfg in configs:
        t, c = table(res, cfg, subst)
        md += ["", "## %s, %s" % (NICS[cfg.nic], cfg.accel.upper()), ""] + t
        csv += c
    for what, why in skipped:
        md += ["", "## %s" % what, "", "not run: %s" % why]
    text = "\n".join(md) + "\n"
    with open(os.path.join(outdir, "bench.md"), "w") as f:
        f.write(text)
    with open(os.path.join(outdir, "bench.csv"), "w") as f:
        f.write("\n".join(csv) + "\n")
    print(text)


def write_chart(res, configs, outdir):
    """bench.png: how many times better unisock does than the Linux guest
    per figure (log scale), one bar per NIC."""
    if subprocess.run(["which", "gnuplot"], capture_output=True).returncode != 0:
        print("bench: no gnuplot, no chart")
        return
    data = os.path.join(outdir, "bench-chart.dat")
    lines = 0
    with open(data, "w") as f:
        for key, _, _, better, _ in ROWS:
            vals = []
            for cfg in configs:
                q = ratio(res.get("unisock/" + cfg.key, {}).get(key),
                          res.get("linux/" + cfg.key, {}).get(key))
                vals.append("NaN" if not q else "%.6g" % (q if better == "higher" else 1 / q))
            if any(v != "NaN" for v in vals):
                f.write('"%s" %s\n' % (key, " ".join(vals)))
                lines += 1
    if not lines:
        os.unlink(data)
        return
    plots = ", ".join("'%s' using %d:xtic(1) title '%s, %s'" %
                      (data, i + 2, NICS[c.nic], c.accel.upper())
                      for i, c in enumerate(configs))
    script = """
set terminal pngcairo size 1200,700 noenhanced
set bmargin 9
set output '%s'
set title 'unisock vs Linux guest, same QEMU, same netd: times better (>1: unisock better)'
set logscale y
set datafile missing 'NaN'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8
set xtics rotate by -45 font ',9'
set grid ytics
set key top right
set yrange [0.1:*]
plot %s, 1 with lines lc rgb 'black' notitle
""" % (os.path.join(outdir, "bench.png"), plots)
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    os.unlink(data)


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    qemu = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                          text=True).stdout.splitlines()[0]
    return "nproc %d, CPU %s, %s, %s" % (os.cpu_count(), model, platform.release(), qemu)


def accel_probe():
    """scripts/accel.sh's choice and its reason ("kvm", "kvm (KVM ran ...)")."""
    p = subprocess.run(["bash", os.path.join(ROOT, "scripts", "accel.sh")],
                       capture_output=True, text=True, cwd=ROOT)
    m = re.search(r"accelerator: \S+ \((.*)\)", p.stderr)
    return p.stdout.strip(), m.group(1) if m else p.stderr.strip()


def split(arg, known, what):
    xs = [x for x in arg.split(",") if x]
    bad = [x for x in xs if x not in known]
    if bad:
        sys.exit("bench: unknown %s %s (known: %s)" % (what, ",".join(bad), ",".join(known)))
    return xs


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--guests", default=",".join(GUEST_KINDS))
    ap.add_argument("--nics", default=",".join(NICS))
    ap.add_argument("--accel", default="tcg,kvm")
    ap.add_argument("--figures", default=",".join(FIGURES))
    ap.add_argument("--threads", type=int, default=4, help="connection-rate client threads")
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    a = ap.parse_args()
    a.guests = split(a.guests, GUEST_KINDS, "guest")
    a.nics = split(a.nics, NICS, "NIC")
    a.accel = split(a.accel, ("tcg", "kvm"), "accelerator")
    a.figures = split(a.figures, FIGURES, "figure group")
    return a


def run_column(kind, cfg, a, res):
    if kind == "linux" and not os.path.exists(os.path.join(LINUX_DIR, "vmlinuz")):
        print("bench: no Linux guest in %s, column left empty" % LINUX_DIR)
        return
    print("bench: %s guest, %s, %s: %d reps of %.0f s each ..." %
          (kind, NICS[cfg.nic], cfg.accel, a.reps, a.seconds), flush=True)
    try:
        r = measure(kind, cfg, a.figures, a)
    except Exception as e:      # a measurement, not a test: report and go on
        print("bench: %s guest on %s failed: %s" % (kind, cfg.key, e))
        return
    if kind != "floor" and cfg.nic == a.nics[0]:
        r.update(image_sizes_kib() if kind == "unisock" else linux_sizes_kib())
    res["%s/%s" % (kind, cfg.key)] = r


def main():
    a = parse_args()
    choice, reason = accel_probe()
    configs, skipped, res = [], [], {}
    for accel in a.accel:
        if accel == "kvm" and choice != "kvm":
            skipped.append(("KVM", "scripts/accel.sh: " + reason))
            continue
        configs += [Config(nic, accel) for nic in a.nics]
    for cfg in configs:
        for kind in a.guests:
            run_column(kind, cfg, a, res)
    subst = {"threads": a.threads, "programs": ", ".join(image_programs())}
    header = ("# make bench\n\n%s UTC; %s; accelerator probe: %s.\n\nCommand: `make bench` "
              "(`%s`); each figure the median of %d runs of %.0f s; a tap in the bench's "
              "own namespace; netd (build/user/netd) serving in both guests; clients: "
              "build/bench/clients/{rr,connrate,bulk} and wrk. The machine is shared "
              "with other work, so absolute figures are noisy; the ratios hold better." %
              (time.strftime("%Y-%m-%d %H:%M", time.gmtime()), machine(), reason,
               " ".join(["tests/bench/bench.py"] + sys.argv[1:]), a.reps, a.seconds))
    write_outputs(res, header, configs, skipped, subst, a.out)
    write_chart(res, configs, a.out)
    with open(os.path.join(a.out, "bench.json"), "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
