#!/bin/bash
# usage: measure.sh CONFIG RATE DURATION_S [label]
cd /work/wt/i8-perf
CFG=$1; RATE=$2; DUR=$3; LABEL=${4:-run}
CP="target/classes:$(cat target/classpath.txt)"
/tmp/perf/ticks.sh > /tmp/perf/before
/usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp "$CP" frl.experiment.LoadMain --url http://127.0.0.1:9000/orders --rate $RATE --duration ${DUR}s --config $CFG --json /tmp/perf/$LABEL.json > /tmp/perf/$LABEL.out 2>&1 &
LP=$!
sleep 1.5  # skip the preflight roughly
/tmp/perf/ticks.sh > /tmp/perf/before
d0=$(awk '{sub(/.*\) /,""); print $12+$13}' /proc/$LP/stat)
wait $LP
/tmp/perf/ticks.sh > /tmp/perf/after
python3 - "$LABEL" <<'PY'
import json,sys
lab=sys.argv[1]
j=json.load(open(f'/tmp/perf/{lab}.json'))
b=dict(l.split() for l in open('/tmp/perf/before')); a=dict(l.split() for l in open('/tmp/perf/after'))
n=j['sent']; ok=j['succeeded']
tot=0; parts=[]
for k in b:
    ms=(int(a[k])-int(b[k]))*10.0/n; tot+=ms; parts.append(f"{k}={ms:.2f}")
print(f"{lab}: sent={n} ok={ok} ({j['success_rate']*100:.1f}%) p50={j['p50_ms']:.1f} p99={j['p99_ms']:.1f} total={tot:.2f} ms/order :: "+" ".join(parts))
PY
