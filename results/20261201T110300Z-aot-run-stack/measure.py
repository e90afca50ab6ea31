#!/usr/bin/env python3
"""One make run-stack (BUILD=0) timed from outside: per service, process start -> first /health 200
(polled every 50 ms), the launcher's own lines, then the first make load; CPU busy of the machine."""
import json, os, subprocess, sys, time, urllib.request, threading, re
wt = sys.argv[3] if len(sys.argv) > 3 else "."; label = sys.argv[1]; out = sys.argv[2]
env = dict(os.environ)
env.update(LAB_GATEWAY_PORT="9110", LAB_ORDERS_PORT="9111", LAB_PAYMENTS_PORT="9112", LAB_INVENTORY_PORT="9113",
           LAB_NOTIFICATIONS_PORT="9114", LAB_PG_PORT="5132", LAB_INVENTORY_PG_PORT="5133", LAB_REDIS_PORT="6179")
if label == "off": env["LAB_AOT"] = "0"
ports = dict(gateway=9110, orders=9111, payments=9112, inventory=9113, notifications=9114)
HZ = os.sysconf("SC_CLK_TCK")
boot = next(float(l.split()[1]) for l in open("/proc/stat") if l.startswith("btime"))
def cpu():
    f = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return sum(f), f[3] + f[4]
def start_of(pid):
    return boot + int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[19]) / HZ
res = {"label": label, "healthy_ms": {}, "loadavg_before": open("/proc/loadavg").read().split()[:3]}
stop = False
def poll():
    seen = {}
    while not stop:
        for s, p in ports.items():
            try: pid = int(open(f"{wt}/.run/pids/{s}.pid").read())
            except Exception: continue
            if seen.get(s) == pid: continue
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{p}/health", timeout=1).status == 200:
                    t = time.time(); seen[s] = pid
                    try: res["healthy_ms"][s] = round((t - start_of(pid)) * 1000)
                    except Exception: pass
            except Exception: pass
        time.sleep(0.05)
th = threading.Thread(target=poll, daemon=True); th.start()
t0, (c0, i0) = time.time(), cpu()
r = subprocess.run(["make", "--no-print-directory", "run-stack", "BUILD=0"], cwd=wt, env=env, capture_output=True, text=True)
t1, (c1, i1) = time.time(), cpu()
stop = True
res["cpu_s_at_warm"] = {}
for sv in ports:
    try:
        pid = int(open(f"{wt}/.run/pids/{sv}.pid").read()); f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        res["cpu_s_at_warm"][sv] = round((int(f[11]) + int(f[12])) / HZ, 2)
    except Exception as e: res["cpu_s_at_warm"][sv] = str(e)
res["run_stack_s"] = round(t1 - t0, 1); res["machine_busy_pct_during_start"] = round(100 * (1 - (i1 - i0) / (c1 - c0)), 1)
for l in r.stdout.splitlines():
    if "started in " in l or "stack warm after" in l or l.startswith("AOT cache") or "is up" in l: res.setdefault("lines", []).append(l.strip())
m = re.search(r"stack warm after ([\d.]+) s", r.stdout); res["warm_s"] = float(m.group(1)) if m else None
m = re.search(r"started in ([\d.]+) s", r.stdout); res["started_s"] = float(m.group(1)) if m else None
c0, i0 = cpu()
l = subprocess.run(["make", "--no-print-directory", "load", "RATE=60", "DURATION=10s", "CONFIG=F"], cwd=wt, env=env, capture_output=True, text=True)
c1, i1 = cpu()
res["machine_busy_pct_during_load"] = round(100 * (1 - (i1 - i0) / (c1 - c0)), 1)
res["load"] = [x.strip() for x in l.stdout.replace("\r", "\n").splitlines() if x.strip() and not x.startswith("running")][-14:]
subprocess.run(["make", "--no-print-directory", "stop-stack"], cwd=wt, env=env, capture_output=True)
res["stdout"] = r.stdout[-3000:]
json.dump(res, open(out, "a")); open(out, "a").write("\n")
print(json.dumps({k: v for k, v in res.items() if k != "stdout"}, indent=1))
