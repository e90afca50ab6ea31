import sys,re,collections
# aggregate jfr print --events jdk.CPUTimeSample output: by thread kind, top frame, and inclusive categories
text=open(sys.argv[1]).read()
events=text.split('jdk.CPUTimeSample {')[1:]
top=collections.Counter(); thr=collections.Counter(); inc=collections.Counter(); total=0
cats=[('json(jackson)','com.fasterxml.jackson'),('prometheus','io.prometheus'),('otel/tracing','io.opentelemetry'),
      ('jdk http client','jdk.internal.net.http'),('jdk http server','sun.net.httpserver'),('jdbc(pgjdbc)','org.postgresql'),
      ('hikari','com.zaxxer'),('jedis','redis.clients'),('frl.resilience','frl.resilience'),('frl.http','frl.http'),('frl.services','frl.services'),
      ('vthread sched','java.lang.VirtualThread'),('forkjoin','java.util.concurrent.ForkJoin'),('UUID','java.util.UUID'),('logging','System$Logger'),
      ('URI','java.net.URI'),('nio','sun.nio.ch'),('regex','java.util.regex'),('sha/digest','MessageDigest'),('ssl',"sun.security")]
for e in events:
    m=re.search(r'samplingPeriod = ([\d.]+) ms',e); w=float(m.group(1)) if m else 0
    t=re.search(r'eventThread = "(.*?)"',e).group(1); t=re.sub(r'\d+','N',t) or 'virtual'
    frames=re.findall(r'^\s{4}(\S.*?)(?: line: \d+)?(?:\s+bci.*)?$', e.split('stackTrace = [')[1].split(']')[0] if 'stackTrace = [' in e else '', re.M)
    total+=w; thr[t]+=w
    if frames: top[frames[0][:110]]+=w
    seen=set()
    for name,pat in cats:
        if any(pat in f for f in frames): seen.add(name)
    for s in seen: inc[s]+=w
print(f"total sampled cpu {total:.0f} ms")
print("-- by thread"); [print(f"{v:8.0f} {v/total*100:5.1f}% {k}") for k,v in thr.most_common(10)]
print("-- inclusive by category"); [print(f"{v:8.0f} {v/total*100:5.1f}% {k}") for k,v in inc.most_common(25)]
print("-- top frames"); [print(f"{v:8.0f} {v/total*100:5.1f}% {k}") for k,v in top.most_common(int(sys.argv[2]) if len(sys.argv)>2 else 25)]
