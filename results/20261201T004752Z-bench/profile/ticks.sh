#!/bin/bash
# prints "group ticks" for each process group of the stack in the given worktree
cd /work/wt/i8-perf
t() { awk '{sub(/.*\) /,""); print $12+$13}' /proc/$1/stat 2>/dev/null || echo 0; }
tc() { awk '{sub(/.*\) /,""); print $12+$13+$14+$15}' /proc/$1/stat 2>/dev/null || echo 0; }
for s in gateway orders payments inventory notifications; do echo "$s $(t $(cat .run/pids/$s.pid))"; done
for port in 5532 5533; do
  pm=$(ps -eo pid,args | awk -v p="-p $port" 'index($0,p) && /bin\/postgres/ {print $1}')
  sum=$(tc $pm); for c in $(ps -o pid= --ppid $pm); do sum=$((sum + $(t $c))); done
  echo "pg$port $sum"
done
r=$(ps -eo pid,args | awk '/redis-server.*:6479/ && !/awk/ {print $1}'); echo "redis $(t $r)"
