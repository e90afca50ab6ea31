# Failure Recovery Lab. Everything runs through this file; it needs only a JDK >= 21 and Maven.
#
#   make build        compile and write the runtime classpath
#   make test         the whole test suite (real PostgreSQL and Redis, started from Maven artifacts)
#   make run-stack    start PostgreSQL, Redis and the five services; `make stop-stack` stops them
#   make experiment   run configs A-F against one chaos scenario and write results/
#   make notebook NB=01   step through a JShell notebook (notebooks/01-*.jsh)

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

.PHONY: help jdk build test run-stack stop-stack experiment experiment-all load notebook clean

help:
	@sed -n 's/^#   //p' Makefile

jdk:
	@if [ -z "$(JDK)" ]; then \
	  echo "No JDK 21 or newer found (looked at JAVA_HOME and /usr/lib/jvm). Install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21+, then run make again." >&2; \
	  exit 1; fi

build: jdk
	@$(MVN) compile dependency:build-classpath -Dmdep.outputFile=$(CLASSPATH_FILE) -Dmdep.includeScope=runtime
	@echo "built with $(JDK)"

test: jdk
	mvn -B -ntp -Dstyle.color=never verify 2>&1 | grep -v -e '^WARNING: ' -e '^\[INFO\] *$$' ; exit $${PIPESTATUS[0]}

run-stack: build
	@if [ -f .run/stack.pid ] && kill -0 "$$(cat .run/stack.pid)" 2>/dev/null; then \
	  echo "The stack is already running (launcher pid $$(cat .run/stack.pid)); 'make stop-stack' stops it."; exit 0; fi
	@mkdir -p .run/logs; rm -f .run/ready
	@nohup "$(JAVA)" -XX:+UseSerialGC -cp "$(RUN_CP)" frl.stack.StackMain > .run/logs/stack.log 2>&1 & echo $$! > .run/stack.pid
	@pid=$$(cat .run/stack.pid); tail -n +1 -f .run/logs/stack.log --pid=$$pid & tailer=$$!; \
	  while [ ! -f .run/ready ] && kill -0 $$pid 2>/dev/null; do sleep 0.3; done; \
	  sleep 0.3; kill $$tailer 2>/dev/null; wait $$tailer 2>/dev/null; \
	  if [ ! -f .run/ready ]; then echo "run-stack failed; see .run/logs/" >&2; rm -f .run/stack.pid; exit 1; fi

# Stops exactly what run-stack started: the launcher (which stops the services, Redis and
# PostgreSQL in that order), then any service whose pid file is left (a launcher killed with -9).
stop-stack:
	@if [ -f .run/stack.pid ] && kill -0 "$$(cat .run/stack.pid)" 2>/dev/null; then \
	  pid=$$(cat .run/stack.pid); kill -TERM $$pid; \
	  for i in $$(seq 1 150); do kill -0 $$pid 2>/dev/null || break; sleep 0.2; done; \
	  kill -0 $$pid 2>/dev/null && { echo "launcher $$pid did not stop in 30 s; killing it" >&2; kill -KILL $$pid; }; \
	  echo "stopped the stack (launcher pid $$pid)"; \
	else echo "no stack running"; fi
	@for f in .run/pids/*.pid; do [ -f "$$f" ] || continue; p=$$(cat $$f); \
	  if tr '\0' ' ' < /proc/$$p/cmdline 2>/dev/null | grep -q 'frl.services'; then kill -TERM $$p && echo "stopped leftover $$(basename $$f .pid) (pid $$p)"; fi; \
	  rm -f $$f; done
	@rm -f .run/stack.pid .run/ready

# make experiment SCENARIO=payment_errors [PROFILE=quick|standard|paper] [LOAD=0.85] [REPS=n] [DURATION=120s]
# Also CONFIGS=A,D  SEED=7  PHASES=3,10,10,120,5 (warm-up,baseline,fault,recovery,drain seconds)
# CLIENT_TIMEOUT_MS=10000 (the load driver's patience; default 3000)
# CAPACITY=79 (skip calibration and use a capacity measured before; run.json
# records it as given). Uses the running stack, or starts one and stops it afterwards.
SCENARIO ?= payment_errors
PROFILE ?= standard
EXPERIMENT_ARGS = --scenario $(SCENARIO) --profile $(PROFILE) $(if $(LOAD),--load $(LOAD)) $(if $(REPS),--reps $(REPS)) \
  $(if $(DURATION),--duration $(DURATION)) $(if $(CONFIGS),--configs $(CONFIGS)) $(if $(SEED),--seed $(SEED)) \
  $(if $(CAPACITY),--capacity $(CAPACITY)) $(if $(PHASES),--phases $(PHASES)) \
  $(if $(CLIENT_TIMEOUT_MS),--client-timeout-ms $(CLIENT_TIMEOUT_MS)) \
  --stack .run/stack.json --results results

experiment: build
	@started=0; if [ ! -f .run/ready ]; then $(MAKE) --no-print-directory run-stack || exit 1; started=1; fi; \
	  "$(JAVA)" -XX:+UseSerialGC -cp "$(RUN_CP)" frl.experiment.ExperimentMain $(EXPERIMENT_ARGS); rc=$$?; \
	  if [ $$started = 1 ]; then $(MAKE) --no-print-directory stop-stack; fi; exit $$rc

# Every scenario at both loads (0.5 and 0.85 of measured capacity).
experiment-all: build
	@started=0; if [ ! -f .run/ready ]; then $(MAKE) --no-print-directory run-stack || exit 1; started=1; fi; rc=0; \
	  for s in none payment_errors payment_slow inventory_lock retry_storm; do \
	    "$(JAVA)" -XX:+UseSerialGC -cp "$(RUN_CP)" frl.experiment.ExperimentMain --scenario $$s --profile $(PROFILE) \
	      --load 0.5,0.85 $(if $(REPS),--reps $(REPS)) --stack .run/stack.json --results results || rc=$$?; \
	  done; if [ $$started = 1 ]; then $(MAKE) --no-print-directory stop-stack; fi; exit $$rc

# make load RATE=40 DURATION=30s CONFIG=D : the open-model driver alone, with a k6-like summary.
RATE ?= 20
CONFIG ?= F
load: build
	@"$(JAVA)" -cp "$(RUN_CP)" frl.experiment.LoadMain --url $(or $(URL),http://127.0.0.1:8000/orders) --rate $(RATE) \
	  --duration $(or $(DURATION),30s) --config $(CONFIG)

notebook: build
	@nb=$$(ls notebooks/$(NB)*.jsh 2>/dev/null | head -1); \
	  if [ -z "$$nb" ]; then echo "no notebook matches NB=$(NB); choose one of:"; ls notebooks/*.jsh; exit 2; fi; \
	  echo "jshell $$nb  (lines marked '// expect:' show what each step prints)"; \
	  "$(JDK)/bin/jshell" --class-path "$(RUN_CP)" "$$nb"

clean:
	$(MVN) clean

# ---- Simulation (frl.sim): the same experiments in virtual time, driven by the real pattern classes ----
#   make simulate SCENARIO=payment_errors   the matrix in virtual time (REPS=50, LOAD=0.85, paper timeline); seconds, not hours
#   make metastability-map   fraction of runs that do not recover, per load x trigger length (CONFIGS=A,B,D,F)
# simulate takes experiment's options (CONFIGS, SEED, PHASES, DURATION, CLIENT_TIMEOUT_MS, CAPACITY; PROFILE
# defaults to paper here: its 150 s recovery window lets MTTR show slow recoveries) and writes
# results/<timestamp>-sim-<scenario>/. metastability-map also takes SEEDS=20, LOADS=0.3,...,1.1,
# TRIGGERS=0,5,...,30 and writes results/<timestamp>-metastability-map/. Model knobs: LAB_PAYMENT_*,
# LAB_SIM_HOP_US, LAB_SIM_DB_US, LAB_SIM_REDIS_US; LAB_SIM_THREADS runs in parallel (default: CPUs).
SIM_PROFILE = $(if $(filter file,$(origin PROFILE)),paper,$(PROFILE))
MAP_CONFIGS := A,B,D,F
SIMULATE_ARGS = --scenario $(SCENARIO) --profile $(SIM_PROFILE) --load $(or $(LOAD),0.85) --reps $(or $(REPS),50) \
  $(if $(CONFIGS),--configs $(CONFIGS)) $(if $(SEED),--seed $(SEED)) $(if $(PHASES),--phases $(PHASES)) \
  $(if $(DURATION),--duration $(DURATION)) $(if $(CLIENT_TIMEOUT_MS),--client-timeout-ms $(CLIENT_TIMEOUT_MS)) \
  $(if $(CAPACITY),--capacity $(CAPACITY)) --results results
MAP_ARGS = --configs $(or $(CONFIGS),$(MAP_CONFIGS)) $(if $(SEEDS),--seeds $(SEEDS)) $(if $(LOADS),--loads $(LOADS)) \
  $(if $(TRIGGERS),--triggers $(TRIGGERS)) $(if $(SEED),--seed $(SEED)) --results results

.PHONY: simulate metastability-map

simulate: build
	@"$(JAVA)" -cp "$(RUN_CP)" frl.sim.SimMain $(SIMULATE_ARGS)

metastability-map: build
	@"$(JAVA)" -cp "$(RUN_CP)" frl.sim.MetastabilityMap $(MAP_ARGS)
