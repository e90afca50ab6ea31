// NOTE: k6 is not installed on the lab's build machine, so this file has never been run there.
// The reference load driver is the Java one (frl.experiment.LoadMain / ExperimentMain); these
// scripts are for people who already use k6 and hit the same endpoint with the same headers.
//
// Shared by steady_state.js and spike_test.js: one order, with the wire contract's headers
// (docs/architecture.md), an optional re-send on timeout with the same Idempotency-Key, and a
// JSON summary that states the success definition.
import http from 'k6/http';
import exec from 'k6/execution';
import { Rate, Counter } from 'k6/metrics';

export const GATEWAY = __ENV.GATEWAY_URL || 'http://127.0.0.1:8000';
export const CONFIG = __ENV.CLIENT_CONFIG || 'F';
export const TIMEOUT_MS = parseInt(__ENV.TIMEOUT_MS || '3000', 10);
export const RESENDS = parseInt(__ENV.RESENDS || '0', 10);
const RUN_ID = __ENV.RUN_ID || `k6-${Date.now().toString(36)}`;
const BODY = JSON.stringify({
  customer_id: 'customer-1',
  items: [{ product_id: 'prod-001', quantity: 2, unit_price: 29.99 }],
});

// success = HTTP 201 within the client timeout; k6 counts it per iteration (one iteration = one order)
export const confirmed = new Rate('order_confirmed');
export const attempts = new Counter('client_attempts');

// k6's own status code for a request timeout
const K6_TIMEOUT = 1050;

export function placeOrder() {
  const key = `${RUN_ID}-${CONFIG}-${exec.scenario.iterationInTest}`;
  let res;
  for (let attempt = 1; attempt <= 1 + RESENDS; attempt++) {
    attempts.add(1);
    res = http.post(`${GATEWAY}/orders`, BODY, {
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': key,
        'X-Request-Id': `${key}/${attempt}`,
        'X-Client-Config': CONFIG,
        'X-Deadline-Remaining-Ms': String(TIMEOUT_MS),
      },
      timeout: `${TIMEOUT_MS}ms`,
      tags: { config: CONFIG },
    });
    if (res.error_code !== K6_TIMEOUT) {
      break; // only a timeout is re-sent, like the Java driver
    }
  }
  confirmed.add(res.status === 201);
}

// Success over SCHEDULED arrivals: k6 drops iterations it could not start on time
// (dropped_iterations) and never counts them in order_confirmed, so they are added back here.
export function summary(data, name) {
  const m = data.metrics;
  const ok = m.order_confirmed ? m.order_confirmed.values.passes : 0;
  const done = m.iterations ? m.iterations.values.count : 0;
  const dropped = m.dropped_iterations ? m.dropped_iterations.values.count : 0;
  const scheduled = done + dropped;
  const d = m.http_req_duration ? m.http_req_duration.values : {};
  const out = {
    script: name,
    config: CONFIG,
    success_definition: 'HTTP 201 within the client timeout, over scheduled arrivals (iterations + dropped_iterations)',
    scheduled,
    dropped_iterations: dropped,
    succeeded: ok,
    success_rate: scheduled ? ok / scheduled : null,
    client_attempts: m.client_attempts ? m.client_attempts.values.count : 0,
    latency_ms_from_actual_send: { p50: d['med'], p95: d['p(95)'], p99: d['p(99)'], max: d['max'] },
    caveat: 'k6 measures latency from the actual send, not the intended one, and spaces arrivals evenly (not Poisson): '
      + 'use the Java driver for numbers you publish',
    thresholds_passed: Object.fromEntries(Object.entries(m).filter(([, v]) => v.thresholds)
      .map(([k, v]) => [k, Object.values(v.thresholds).every((t) => t.ok)])),
  };
  const text = `\n     ${name} config ${CONFIG}: success ${(100 * (out.success_rate || 0)).toFixed(1)}% `
    + `(${ok}/${scheduled} scheduled, ${dropped} not sent on time), p95 ${d['p(95)']} ms from actual send\n`;
  const path = __ENV.SUMMARY || `k6-${name}-${CONFIG}.json`;
  return { stdout: text, [path]: JSON.stringify(out, null, 2) };
}
