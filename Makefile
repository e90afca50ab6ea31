# Failure Recovery Lab. Everything runs through this file; it needs only a JDK >= 21 and Maven.
#
#   make build        compile and write the runtime classpath (target/classpath.txt)
#   make test         the whole test suite (real PostgreSQL and Redis, started from Maven artifacts)
#   make run-stack    start PostgreSQL, Redis and the five services, warmed before it says so (WARM=0 skips; LAB_AOT=0: no AOT cache on JDK 25); changes nothing if they are up
#   make stop-stack   stop every process of this checkout's stack, even one whose launcher died
#   make load         the load driver alone, k6-style summary (RATE=20 DURATION=30s CONFIG=F; RESET=0 skips the reset)
#   make experiment   configs A-F against one chaos scenario, results in results/ (SCENARIO=payment_errors PROFILE=standard ...)
#   make experiment-all   every scenario at 0.5 and 0.85 of measured capacity (PROFILE=, REPS=)
#   make simulate     the experiment in virtual time on the real patterns: seconds, not hours (SCENARIO=payment_errors REPS=50 LOAD=0.85)
#   make metastability-map   fraction of runs that never recover, per load x trigger length (CONFIGS=A,B,D,F SEEDS=20)
#   make admin-probe  a config-B storm with GET /admin/counters timed on every management listener beside it (RATE=2x capacity DURATION=70s)
#   make crossval     the simulator against a real results folder, side by side with 95% intervals (REAL=results/<folder> SEEDS=50)
#   make soak         config F at 0.7 of capacity, payment_errors on and off every minute; leak trends and the audit (DURATION=10m CAPACITY=)
#   make fault-suite  config F under load while each fault of issue 12 strikes, then the audit (~20 min; FAULT_ARGS="--cases kill,redis")
#   make audit        the correctness audit of the running stack's databases (CONFIGS=A,F SINCE=... DRAIN=1)
#   make notebook NB=01   step through a JShell notebook (notebooks/01-*.jsh); prints the exact jshell command
#   make paper        the paper's figures, tables and paper.html from the results folders paper/sources.md names
#   make bench        stack CPU per order, its ceiling, the load driver, and the pattern benchmarks (~13 min)
#   make bench-patterns   only the JMH pattern benchmarks beside Resilience4j (~3 min)
#   make jdk          print the JDK this Makefile uses (JAVA_HOME if >= 21, else the newest under /usr/lib/jvm)
#   make clean        delete target/ (refused while the stack runs from it)
#   make help         this list

SHELL := /bin/bash
.DEFAULT_GOAL := help

# ---- Find a JDK >= 21: JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm. ----------
# Each candidate prints "rank major path" (rank 0 for JAVA_HOME); the first after sorting wins.
JDK := $(shell \
  for h in "$$JAVA_HOME" /usr/lib/jvm/*; do \
    [ -n "$$h" ] && [ -x "$$h/bin/javac" ] || continue; \
    v=$$("$$h/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'); \
    [ "$${v%%.*}" -ge 21 ] 2>/dev/null || continue; \
    if [ "$$h" = "$$JAVA_HOME" ]; then r=0; else r=1; fi; echo "$$r $${v%%.*} $$h"; \
  done | sort -k1,1n -k2,2rn | head -1 | cut -d' ' -f3-)
JDK_MAJOR := $(shell "$(JDK)/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')

export JAVA_HOME := $(JDK)
JAVA := $(JDK)/bin/java
MVN  := mvn -B -q -Dstyle.color=never
# Maven's own Guava warns about sun.misc.Unsafe on JDK 24+; that noise is Maven's, not ours.
ifneq ($(filter 24 25 26 27 28 29 30,$(JDK_MAJOR)),)
export MAVEN_OPTS += --sun-misc-unsafe-memory-access=allow
endif

CLASSPATH_FILE := target/classpath.txt
RUN_CP = target/classes:$$(cat $(CLASSPATH_FILE))

# ---- The stack's run directory, and how to find its processes ---------------------------------
# .run/ (or LAB_RUN_DIR) holds the pid files, logs, admin token, stack.json and the databases' data.
RUN_SHOWN := $(or $(LAB_RUN_DIR),.run)
RUN := $(abspath $(RUN_SHOWN))

# LAB_PROCS defines lab_procs, which prints "pid kind" for every live process of the stack that
# keeps its files in $(RUN), whatever is left of those files: the JVMs (launcher and services)
# carry -Dlab.run=$(RUN) on their command line; each embedded PostgreSQL's postmaster was started
# with its data directory $(RUN)/pg/<name>; the embedded Redis is the pid in $(RUN)/pids/redis.pid
# if that process is still a redis-server on the address written beside it. Another checkout's
# stack has another run directory, so nothing of it ever matches. (The patterns go to grep on
# stdin: as arguments they would match grep's own command line.) Zombies are not alive.
LAB_PROCS = \
  alive() { local s; s=$$(sed 's/.*) //' /proc/$$1/stat 2>/dev/null | cut -c1); [ -n "$$s" ] && [ "$$s" != Z ]; }; \
  lab_procs() { \
    for p in $$(printf '%s\n' '-Dlab.run=$(RUN)' '$(RUN)/pg/orders' '$(RUN)/pg/inventory' \
                | grep -lsxzF -f - /proc/[0-9]*/cmdline | cut -d/ -f3); do \
      alive $$p || continue; \
      args=$$(tr '\0' ' ' < /proc/$$p/cmdline 2>/dev/null); \
      case "$$args" in \
        *frl.stack.StackMain*) echo "$$p launcher";; \
        *frl.services.*) echo "$$p service $$(sed -n 's/.*frl\.services\.\([a-z]*\)\..*/\1/p' <<< "$$args")";; \
        *postgres*) echo "$$p postgres $$(sed -n 's|.*$(RUN)/pg/\([a-z]*\).*|\1|p' <<< "$$args")";; \
      esac; \
    done; \
    if [ -f $(RUN)/pids/redis.pid ] && read -r p addr < $(RUN)/pids/redis.pid && alive $$p \
       && tr '\0' ' ' < /proc/$$p/cmdline 2>/dev/null | grep -q "redis-server.* $$addr"; then echo "$$p redis"; fi; \
  }; \
  await_gone() { local n=$$(( $$1 * 5 )) p busy; shift; while [ $$n -gt 0 ]; do busy=; \
    for p in "$$@"; do alive $$p && busy=1; done; [ -z "$$busy" ] && return 0; sleep 0.2; n=$$((n - 1)); done; return 1; }

.PHONY: help jdk build test run-stack stop-stack experiment experiment-all load admin-probe audit notebook clean bench bench-patterns paper soak fault-suite

help:
	@sed -n 's/^#   //p' Makefile

# Checks there is a JDK; `make jdk` itself prints its path (so `"$$(make -s jdk)/bin/jshell"` works).
jdk:
	@if [ -z "$(JDK)" ]; then \
	  echo "No JDK 21 or newer found (looked at JAVA_HOME and /usr/lib/jvm). Install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21+, then run make again." >&2; \
	  exit 1; fi
	@$(if $(filter jdk,$(MAKECMDGOALS)),echo "$(JDK)")

build: jdk
	@$(MVN) compile dependency:build-classpath -Dmdep.outputFile=$(CLASSPATH_FILE) -DincludeScope=runtime
	@echo "built with $(JDK)"

test: jdk
	mvn -B -ntp -Dstyle.color=never verify 2>&1 | grep -v -e '^WARNING: ' -e '^\[INFO\] *$$' ; exit $${PIPESTATUS[0]}

# Idempotent: if this checkout's stack is up (or starting), say so and change nothing, not even
# target/classes, which its JVMs still load classes from. Remains of a stack that did not stop
# cleanly stop the start with a message rather than a second launcher fighting them for ports.
# BUILD=0 starts from the classes and CLASSPATH_FILE as they are (the tests do, mid-build).
# On JDK 25 the services run from an AOT cache of this build (frl/stack/AotCache.java), trained by
# the first start that finds none; WARM=0 never trains one (LAB_AOT_TRAIN=0), LAB_AOT=0 turns it off.
run-stack: jdk
	@$(LAB_PROCS); procs=$$(lab_procs); launcher=$$(awk '$$2 == "launcher" {print $$1}' <<< "$$procs"); \
	  if [ -n "$$launcher" ]; then \
	    echo "The stack is already running here (launcher pid $$launcher$$([ -f $(RUN)/ready ] || echo ', still starting')); nothing changed. 'make stop-stack' stops it."; \
	    exit 0; fi; \
	  if [ -n "$$procs" ]; then \
	    echo "Part of a stack that did not stop cleanly is still running ($$(tr '\n' ',' <<< "$$procs" | sed 's/,$$//; s/,/, /g')); 'make stop-stack' stops it, then run this again." >&2; \
	    exit 1; fi; \
	  $(if $(filter 0,$(BUILD)),,$(MAKE) --no-print-directory build || exit 1;) \
	  mkdir -p $(RUN)/logs; rm -f $(RUN)/ready; : > $(RUN)/logs/stack.log; \
	  $(if $(filter 0,$(WARM)),LAB_AOT_TRAIN=0) nohup "$(JAVA)" -XX:+UseSerialGC -Dlab.run=$(RUN) -cp "$(RUN_CP)" frl.stack.StackMain > $(RUN)/logs/stack.log 2>&1 & \
	  pid=$$!; echo $$pid > $(RUN)/stack.pid; \
	  tail -n +1 -f $(RUN)/logs/stack.log --pid=$$pid & tailer=$$!; \
	  while [ ! -f $(RUN)/ready ] && kill -0 $$pid 2>/dev/null; do sleep 0.3; done; \
	  sleep 0.3; kill $$tailer 2>/dev/null; wait $$tailer 2>/dev/null; \
	  if [ ! -f $(RUN)/ready ]; then echo "run-stack failed; see $(RUN_SHOWN)/logs/" >&2; \
	    $(MAKE) --no-print-directory stop-stack > /dev/null; exit 1; fi; \
	  if [ "$(WARM)" = 0 ]; then echo "Failure Recovery Lab is up, cold (WARM=0): the first loads will meet unwarmed JVMs."; \
	  else "$(JAVA)" -cp "$(RUN_CP)" frl.experiment.WarmupMain --stack $(RUN)/stack.json \
	      && echo "Failure Recovery Lab is up, warm." || echo "Failure Recovery Lab is up, but the warm-up failed (see above): expect a cold first load." >&2; fi

# Stops every process lab_procs finds, with or without .run/stack.pid: the launcher first (it stops
# the services, Redis and PostgreSQL in that order), then whatever is left (a launcher killed with
# -9 leaves all of it): services and Redis get SIGTERM, PostgreSQL SIGINT (fast shutdown), and
# anything still there after 20 s is killed. Exits 1 only if something survived all that.
stop-stack:
	@$(LAB_PROCS); procs=$$(lab_procs); \
	  if [ -z "$$procs" ]; then echo "No stack running from $(RUN_SHOWN)/ (no launcher, service, PostgreSQL or Redis of it found)."; \
	    rm -f $(RUN)/stack.pid $(RUN)/ready; exit 0; fi; \
	  launcher=$$(awk '$$2 == "launcher" {print $$1}' <<< "$$procs"); \
	  if [ -n "$$launcher" ]; then kill -TERM $$launcher; \
	    await_gone 30 $$launcher || { echo "launcher $$launcher did not stop in 30 s; killing it" >&2; kill -KILL $$launcher; }; \
	    echo "stopped the stack (launcher pid $$launcher)"; fi; \
	  left=$$(lab_procs); \
	  if [ -n "$$left" ]; then \
	    while read -r p kind name; do echo "stopping leftover $$kind$${name:+ $$name} (pid $$p)"; \
	      if [ $$kind = postgres ]; then kill -INT $$p; else kill -TERM $$p; fi; done <<< "$$left"; \
	    await_gone 20 $$(cut -d' ' -f1 <<< "$$left") || for p in $$(cut -d' ' -f1 <<< "$$(lab_procs)"); do \
	      echo "pid $$p did not stop in 20 s; killing it" >&2; kill -KILL $$p; done; \
	    await_gone 5 $$(cut -d' ' -f1 <<< "$$left"); fi; \
	  rest=$$(lab_procs); if [ -n "$$rest" ]; then echo "still running: $$rest" >&2; exit 1; fi; \
	  rm -f $(RUN)/stack.pid $(RUN)/ready $(RUN)/pids/*.pid; rm -rf $(RUN)/pg

# make experiment SCENARIO=payment_errors [PROFILE=quick|standard|paper] [LOAD=0.85] [REPS=n] [DURATION=120s]
# Also CONFIGS=A,D  SEED=7  PHASES=3,10,10,120,5 (warm-up,baseline,fault,recovery,drain seconds)
# CLIENT_TIMEOUT_MS=10000 (the load driver's patience; default 3000)
# CAPACITY=79 (skip calibration and use a capacity measured before; run.json
# records it as given). Uses the running stack, or starts one and stops it afterwards.
SCENARIO ?= payment_errors
PROFILE ?= standard
EXPERIMENT_ARGS = --scenario $(SCENARIO) --profile $(PROFILE) $(if $(LOAD),--load $(LOAD)) $(if $(REPS),--reps $(REPS)) \
  $(if $(DURATION),--duration $(DURATION)) $(if $(CONFIGS),--configs $(CONFIGS)) $(if $(SEED),--seed $(SEED)) \
  $(if $(CAPACITY),--capacity $(CAPACITY)) $(if $(TRIGGER),--trigger $(TRIGGER)) $(if $(PHASES),--phases $(PHASES)) \
  $(if $(CLIENT_TIMEOUT_MS),--client-timeout-ms $(CLIENT_TIMEOUT_MS)) \
  --stack $(RUN)/stack.json --results results

experiment: build
	@started=0; if [ ! -f $(RUN)/ready ]; then $(MAKE) --no-print-directory run-stack BUILD=0 || exit 1; started=1; fi; \
	  "$(JAVA)" -XX:+UseSerialGC -cp "$(RUN_CP)" frl.experiment.ExperimentMain $(EXPERIMENT_ARGS); rc=$$?; \
	  if [ $$started = 1 ]; then $(MAKE) --no-print-directory stop-stack; fi; exit $$rc

# Every scenario at both loads (0.5 and 0.85 of measured capacity).
experiment-all: build
	@started=0; if [ ! -f $(RUN)/ready ]; then $(MAKE) --no-print-directory run-stack BUILD=0 || exit 1; started=1; fi; rc=0; \
	  for s in none payment_errors payment_slow inventory_lock retry_storm; do \
	    "$(JAVA)" -XX:+UseSerialGC -cp "$(RUN_CP)" frl.experiment.ExperimentMain --scenario $$s --profile $(PROFILE) \
	      --load 0.5,0.85 $(if $(REPS),--reps $(REPS)) --stack $(RUN)/stack.json --results results || rc=$$?; \
	  done; if [ $$started = 1 ]; then $(MAKE) --no-print-directory stop-stack; fi; exit $$rc

# make load RATE=40 DURATION=30s CONFIG=D : the open-model driver alone, with a k6-like summary.
# First it waits for the stack to finish earlier work and resets every service (breakers,
# bulkheads, shedders, counters, stock; chaos switches are kept), so a load after an overload
# measures the same stack as a load after `reset_all.sh`. RESET=0 measures the stack as it is.
# URL=... aims at another service (with RESET=0 unless it is this stack's gateway).
RATE ?= 20
CONFIG ?= F
RESET ?= 1
load: build
	@"$(JAVA)" -cp "$(RUN_CP)" frl.experiment.LoadMain $(if $(URL),--url $(URL)) --rate $(RATE) \
	  --duration $(or $(DURATION),30s) --config $(CONFIG) \
	  $(if $(filter 0,$(RESET)),--no-reset) --stack $(RUN)/stack.json

# make admin-probe RATE=162 [DURATION=70s] [CONFIG=B]: "the admin plane outlives the data plane",
# measured. A storm (make load's driver, config B unless CONFIG= is given; its summary goes to
# $(RUN_SHOWN)/logs/admin-probe-load.txt) and beside it AdminLatencyProbe, which asks every
# management listener for /admin/counters every 200 ms from 5 s into the storm until 5 s before
# its end. RATE is required: twice the calibrated capacity is the storm the docs quote.
admin-probe: build
	@$(if $(filter command line,$(origin RATE)),,$(error give RATE=, e.g. twice the calibrated capacity))
	@$(MVN) test-compile
	@storm=$(or $(DURATION),70s); secs=$${storm%s}; \
	  "$(JAVA)" -cp "$(RUN_CP)" frl.experiment.LoadMain --rate $(RATE) --duration $$storm \
	    --config $(if $(filter command line,$(origin CONFIG)),$(CONFIG),B) --stack $(RUN)/stack.json \
	    > $(RUN)/logs/admin-probe-load.txt 2>&1 & load=$$!; \
	  sleep 5; "$(JAVA)" -cp "target/test-classes:$(RUN_CP)" frl.stack.AdminLatencyProbe $(RUN)/stack.json $$((secs - 10)) 200; \
	  wait $$load; grep -E 'model|succeeded|failed by kind|latency \(all' $(RUN)/logs/admin-probe-load.txt

# make soak DURATION=10m [CAPACITY=80] [LOAD=0.7] [SEED=42]: config F for DURATION at LOAD x capacity
# (one calibration pass unless CAPACITY is given), payment_errors switched on and off every minute;
# every 10 s each service's live heap, threads, fds, PostgreSQL sessions and Redis keys. Pass when
# no series grows over the second half and the audit is clean: results/<timestamp>-soak/. Uses the
# running stack, or starts one and stops it afterwards.
soak: build
	@started=0; if [ ! -f $(RUN)/ready ]; then $(MAKE) --no-print-directory run-stack BUILD=0 || exit 1; started=1; fi; \
	  "$(JAVA)" -XX:+UseSerialGC -cp "$(RUN_CP)" frl.soak.SoakMain --stack $(RUN)/stack.json --duration $(or $(DURATION),10m) \
	    $(if $(CAPACITY),--capacity $(CAPACITY)) $(if $(LOAD),--load $(LOAD)) $(if $(SEED),--seed $(SEED)) --results results; rc=$$?; \
	  if [ $$started = 1 ]; then $(MAKE) --no-print-directory stop-stack; fi; exit $$rc

# make audit [CONFIGS=A,F] [SINCE=2026-12-01T00:00:00Z] [DRAIN=1]: what the harness's audit computes, for the
# running stack's databases (duplicate charges per order and per client key, orphans, stock drift, ...).
audit: build
	@"$(JAVA)" -cp "$(RUN_CP)" frl.experiment.AuditMain --stack $(RUN)/stack.json $(if $(CONFIGS),--configs $(CONFIGS)) \
	  $(if $(SINCE),--since $(SINCE)) $(if $(DRAIN),--drain)

# make fault-suite [FAULT_ARGS="--capacity 80.9 --load 0.5 --cases kill,redis ..."]: frl.fault.FaultSuiteMain
# (its --help lists every option); results/<timestamp>-fault-suite/summary.md and fault-suite.csv.
# Uses the running stack, or starts one with the payments proxy (LAB_PAYMENTS_PROXY=1) and stops it
# afterwards; a running stack without the proxy gets every case but the payments-hop ones.
fault-suite: build
	@started=0; if [ ! -f $(RUN)/ready ]; then LAB_PAYMENTS_PROXY=1 $(MAKE) --no-print-directory run-stack BUILD=0 || exit 1; started=1; fi; \
	  "$(JAVA)" -XX:+UseSerialGC -cp "$(RUN_CP)" frl.fault.FaultSuiteMain --stack $(RUN)/stack.json --results results $(FAULT_ARGS); rc=$$?; \
	  if [ $$started = 1 ]; then $(MAKE) --no-print-directory stop-stack; fi; exit $$rc

notebook: build
	@nb=$$(ls notebooks/$(NB)*.jsh 2>/dev/null | head -1); \
	  if [ -z "$$nb" ]; then echo "no notebook matches NB=$(NB); choose one of:"; ls notebooks/*.jsh; exit 2; fi; \
	  echo "$(JDK)/bin/jshell --class-path target/classes:\$$(cat $(CLASSPATH_FILE)) $$nb"; \
	  echo "(lines marked '// expect:' show what each step prints)"; \
	  "$(JDK)/bin/jshell" --class-path "$(RUN_CP)" "$$nb"

clean:
	@$(LAB_PROCS); if [ -n "$$(lab_procs)" ]; then \
	  echo "The stack is running from target/classes; 'make stop-stack' first, then 'make clean'." >&2; exit 1; fi
	$(MVN) clean

# ---- Benchmarks: results/<timestamp>-bench/summary.md ------------------------------------------
# make bench: the stack (its own ports 9100-9104, 5632/5633, 6579: a running stack is left alone),
# then the JMH pattern benchmarks. BENCH_ARGS passes options to frl.bench.StackBench, e.g.
# BENCH_ARGS="--rate 60 --warmup-s 90 --window-s 30 --reps 2 --steps 100,200,300".
# make bench-patterns alone writes results/<timestamp>-bench-patterns/. On a shared machine,
# BENCH_WAIT_S=600 waits (at most that long) for the 1-minute load average to fall below
# BENCH_MAX_LOAD (default 1.5) before JMH starts; /proc/loadavg before and after goes into the summary.
ifndef BENCH_DIR
BENCH_DIR := results/$(shell date -u +%Y%m%dT%H%M%SZ)-bench$(if $(filter bench-patterns,$(MAKECMDGOALS)),-patterns)
endif
BENCH_WAIT_S ?= 0
BENCH_MAX_LOAD ?= 1.5
BENCH_CP_FILE := target/bench-classpath.txt
JMH_ARGS ?= -prof gc

bench: build
	@mkdir -p $(BENCH_DIR)
	"$(JAVA)" -XX:+UseSerialGC -cp "$(RUN_CP)" frl.bench.StackBench --out $(BENCH_DIR) $(BENCH_ARGS)
	@$(MAKE) --no-print-directory bench-patterns BENCH_DIR=$(BENCH_DIR)

# JMH and Resilience4j come in through the bench profile's test scope only (pom.xml).
bench-patterns: jdk
	@mkdir -p $(BENCH_DIR)
	@$(MVN) -Pbench test-compile dependency:build-classpath -Dmdep.outputFile=$(BENCH_CP_FILE) -DincludeScope=test
	@end=$$(( $$(date +%s) + $(BENCH_WAIT_S) )); \
	while awk -v max=$(BENCH_MAX_LOAD) '{ exit !($$1 >= max) }' /proc/loadavg && [ $$(date +%s) -lt $$end ]; do sleep 10; done
	@cp /proc/loadavg $(BENCH_DIR)/loadavg-before.txt
	"$(JAVA)" -cp "target/test-classes:target/classes:$$(cat $(BENCH_CP_FILE))" org.openjdk.jmh.Main \
	  'frl.bench.PatternBenchmarks' $(JMH_ARGS) -rf json -rff $(BENCH_DIR)/jmh.json | tee $(BENCH_DIR)/jmh.txt | grep -E '^# Benchmark:|ns/op|B/op'
	@cp /proc/loadavg $(BENCH_DIR)/loadavg-after.txt
	"$(JAVA)" -cp "target/classes:$$(cat $(BENCH_CP_FILE))" frl.bench.BenchSummary $(BENCH_DIR) > /dev/null
	@echo "wrote $(BENCH_DIR)/summary.md"

# ---- Simulation (frl.sim): the same experiments in virtual time, driven by the real pattern classes ----
# (listed in make help above). simulate takes experiment's options (CONFIGS, SEED, PHASES, DURATION, CLIENT_TIMEOUT_MS, CAPACITY, TRIGGER; PROFILE
# defaults to paper here: A,B,D,F with a 90 s recovery window, so MTTR can show slow recoveries) and writes
# results/<timestamp>-sim-<scenario>/. metastability-map also takes SEEDS=20, LOADS=0.3,...,1.1,
# TRIGGERS=0,5,...,30 and writes results/<timestamp>-metastability-map/. Model knobs: LAB_PAYMENT_*,
# LAB_SIM_HOP_US, LAB_SIM_DB_US, LAB_SIM_REDIS_US; LAB_SIM_THREADS runs in parallel (default: CPUs).
SIM_PROFILE = $(if $(filter file,$(origin PROFILE)),paper,$(PROFILE))
MAP_CONFIGS := A,B,D,F
SIMULATE_ARGS = --scenario $(SCENARIO) --profile $(SIM_PROFILE) --load $(or $(LOAD),0.85) --reps $(or $(REPS),50) \
  $(if $(CONFIGS),--configs $(CONFIGS)) $(if $(SEED),--seed $(SEED)) $(if $(PHASES),--phases $(PHASES)) \
  $(if $(DURATION),--duration $(DURATION)) $(if $(CLIENT_TIMEOUT_MS),--client-timeout-ms $(CLIENT_TIMEOUT_MS)) \
  $(if $(CAPACITY),--capacity $(CAPACITY)) $(if $(TRIGGER),--trigger $(TRIGGER)) --results results
MAP_ARGS = --configs $(or $(CONFIGS),$(MAP_CONFIGS)) $(if $(SEEDS),--seeds $(SEEDS)) $(if $(LOADS),--loads $(LOADS)) \
  $(if $(TRIGGERS),--triggers $(TRIGGERS)) $(if $(SEED),--seed $(SEED)) --results results

CROSSVAL_ARGS = --real $(REAL) $(if $(SEEDS),--seeds $(SEEDS)) --results results

.PHONY: simulate metastability-map crossval

simulate: build
	@"$(JAVA)" -cp "$(RUN_CP)" frl.sim.SimMain $(SIMULATE_ARGS)

metastability-map: build
	@"$(JAVA)" -cp "$(RUN_CP)" frl.sim.MetastabilityMap $(MAP_ARGS)

# make crossval REAL=results/<folder> [SEEDS=50]: plays the real folder's experiment (run.json) in the simulator,
# calibrated from its measurements, and writes results/<timestamp>-crossval/ (summary.md, summary.csv, run.json, sim/).
crossval: build
	@test -n "$(REAL)" || { echo "usage: make crossval REAL=results/<folder> [SEEDS=50]"; exit 2; }
	@"$(JAVA)" -cp "$(RUN_CP)" frl.sim.CrossValidation $(CROSSVAL_ARGS)

# ---- The paper (frl.paper): figures, tables and paper.html from the committed results/ ---------
# paper/sources.md names the results folder behind each figure and table; nothing else is read.
paper: build
	@"$(JAVA)" -cp "$(RUN_CP)" frl.paper.PaperMain --paper paper --root .
