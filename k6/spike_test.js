// NOTE: k6 is not installed on the lab's build machine, so this script has never been run there.
// The Java driver is the reference; this is the spec's spike test (backpressure) for k6 users:
//
//   k6 run --env CLIENT_CONFIG=E --env BASE_RATE=50 --env SPIKE_RATE=400 k6/spike_test.js
//
// Open model with a spike: BASE_RATE orders/s, a 5 s ramp to SPIKE_RATE held for SPIKE (20s),
// then back to BASE_RATE for RECOVER (40s). With load shedding (E, F) the gateway should answer
// the excess quickly with 503 + Retry-After instead of letting latency grow for everyone.
// Env: CLIENT_CONFIG, BASE_RATE (50), SPIKE_RATE (400), SPIKE (20s), RECOVER (40s), VUS (50),
// GATEWAY_URL, TIMEOUT_MS, RESENDS, SUMMARY.
import { Rate } from 'k6/metrics';
import { placeOrder, summary } from './common.js';

const BASE = parseInt(__ENV.BASE_RATE || '50', 10);
const SPIKE = parseInt(__ENV.SPIKE_RATE || '400', 10);
const VUS = parseInt(__ENV.VUS || '50', 10);
export const shedFast = new Rate('shed_503');

export const options = {
  scenarios: {
    spike: {
      executor: 'ramping-arrival-rate',
      startRate: BASE,
      timeUnit: '1s',
      preAllocatedVUs: VUS,
      maxVUs: VUS * 20,
      stages: [
        { target: BASE, duration: '20s' },
        { target: SPIKE, duration: '5s' },
        { target: SPIKE, duration: __ENV.SPIKE || '20s' },
        { target: BASE, duration: '5s' },
        { target: BASE, duration: __ENV.RECOVER || '40s' },
      ],
    },
  },
  thresholds: {
    order_confirmed: ['rate>0.50'],                               // some goodput survives the spike
    'http_req_duration{expected_response:true}': ['p(99)<2000'],  // those who are served are served fast
    'http_req_duration{status:503}': ['p(95)<200'],               // shedding is a quick "no"
  },
};

export default function () {
  placeOrder();
}

export function handleSummary(data) {
  return summary(data, 'spike_test');
}
