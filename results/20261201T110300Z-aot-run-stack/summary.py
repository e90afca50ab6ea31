import json, sys, statistics as st
runs = [json.loads(l) for l in open(sys.argv[1])]
svc = ["gateway", "orders", "payments", "inventory", "notifications"]
def succ(r):
    return next((x.split(":",1)[1].split()[0] for x in r["load"] if x.startswith("succeeded")), "?")
def p99(r):
    return next((x.split("p(99)=")[1].split()[0] for x in r["load"] if x.startswith("latency (all)")), "?")
out = []
out.append("| # | run | AOT line | " + " | ".join(f"{s} start->healthy ms" for s in svc) + " | launcher 'started in' s | warm-up s | services' CPU s at warm | run-stack wall s | machine busy % (start) | first load F 60/s 10 s: success, p99 | machine busy % (load) | load avg before |")
out.append("|" + "---|" * 17)
for i, r in enumerate(runs, 1):
    aot = next((l for l in r["lines"] if l.startswith("AOT cache") and ("trained" in l or "using" in l or "off" in l)), "")
    cpu = sum(v for v in r.get("cpu_s_at_warm", {}).values() if isinstance(v, (int, float)))
    out.append(f"| {i} | {r['label']} | {aot} | " + " | ".join(str(r['healthy_ms'].get(s, '?')) for s in svc)
               + f" | {r['started_s']} | {r['warm_s']} | {cpu:.1f} | {r['run_stack_s']} | {r['machine_busy_pct_during_start']} | {succ(r)}, {p99(r)} | {r['machine_busy_pct_during_load']} | {' '.join(r['loadavg_before'])} |")
print("\n".join(out))
def med(label, f):
    xs = [f(r) for r in runs if r["label"] == label and not any("trained" in l for l in r["lines"])]
    return st.median(xs), xs
print()
for label in ["off", "on"]:
    m = lambda f: med(label, f)
    print(label, "healthy median per service", {s: m(lambda r: r["healthy_ms"][s]) for s in svc})
    print(label, "warm", m(lambda r: r["warm_s"]), "started", m(lambda r: r["started_s"]), "cpu", m(lambda r: round(sum(r.get("cpu_s_at_warm", {}).values()), 1)), "wall", m(lambda r: r["run_stack_s"]))
