package frl.http;

import frl.config.ConfigTable;
import frl.config.LabConfig;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The Prometheus metrics of one service (Prometheus Java client 1.x). Each service has its own
 * registry, so several services can share a JVM in tests without mixing their numbers; the
 * {@code service} label is added by Prometheus' scrape job, not here.
 *
 * <p>Prometheus counters never go down, which is what a scraper wants. An experiment wants
 * "since the last reset" numbers instead, so the same events are also counted in
 * {@link RunCounters}, which {@code POST /admin/reset} clears. Thread-safe: the client's metrics are.
 *
 * <p>Known label sets start at 0 (the {@code initialise*} methods), as the Prometheus docs advise:
 * a series that appears only at its first increment is invisible to {@code rate()}, to dashboards
 * and to a {@code grep} during an incident, exactly when "zero so far" is the answer wanted.
 */
public final class ServiceMetrics {
    public final PrometheusRegistry registry = new PrometheusRegistry();

    public final Counter requests = Counter.builder().name("lab_http_requests_total")
            .help("Requests served, by route, method, status and configuration")
            .labelNames("route", "method", "status", "config").register(registry);
    public final Histogram latency = Histogram.builder().name("lab_http_request_duration_seconds")
            .help("Time to answer a request").unit(Unit.SECONDS)
            .classicUpperBounds(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 25)
            .labelNames("route", "config").register(registry);
    public final Counter attemptsReceived = Counter.builder().name("lab_attempts_received_total")
            .help("Attempts received on a business route (the numerator of amplification)")
            .labelNames("route", "config").register(registry);
    public final Counter wastedWork = Counter.builder().name("lab_wasted_work_total")
            .help("Requests this service finished after its caller's deadline had passed")
            .labelNames("route", "config").register(registry);
    public final Counter outgoingAttempts = Counter.builder().name("lab_outgoing_attempts_total")
            .help("Calls made to a downstream, every retry included, by outcome")
            .labelNames("downstream", "config", "outcome").register(registry);
    public final Counter retries = Counter.builder().name("lab_retries_total")
            .help("Retries made to a downstream (attempts after the first)")
            .labelNames("downstream", "config").register(registry);
    public final Gauge breakerState = Gauge.builder().name("lab_breaker_state")
            .help("Circuit breaker state: 0 closed, 1 open, 2 half-open")
            .labelNames("breaker", "config").register(registry);
    public final Counter breakerTransitions = Counter.builder().name("lab_breaker_transitions_total")
            .help("Circuit breaker state changes").labelNames("breaker", "config", "from", "to").register(registry);
    public final Counter bulkheadRejections = Counter.builder().name("lab_bulkhead_rejections_total")
            .help("Calls rejected because a bulkhead was full").labelNames("downstream", "config").register(registry);
    public final Counter shed = Counter.builder().name("lab_shed_total")
            .help("Requests shed by the gateway's in-flight limit").labelNames("config").register(registry);
    public final Counter idempotency = Counter.builder().name("lab_idempotency_total")
            .help("Idempotency-key outcomes: claimed, replayed, in_flight, mismatch").labelNames("outcome").register(registry);

    public ServiceMetrics() {
        JvmMetrics.builder().register(registry);
    }

    /** Zero series for a business route that counts attempts received and wasted work, per configuration. */
    public void initialiseRoute(String route, ConfigTable configs) {
        for (LabConfig c : configs.all()) {
            attemptsReceived.initLabelValues(route, String.valueOf(c.name()));
            wastedWork.initLabelValues(route, String.valueOf(c.name()));
        }
    }

    /** Zero series for calls to {@code downstream}: retries where a configuration retries, rejections where it has a bulkhead. */
    public void initialiseDownstream(String downstream, ConfigTable configs) {
        for (LabConfig c : configs.all()) {
            String cfg = String.valueOf(c.name());
            if (c.retry().maxAttempts() > 1) {
                retries.initLabelValues(downstream, cfg);
            }
            if (c.bulkheads().enabled() && c.bulkheads().config().forDownstream(downstream) != null) {
                bulkheadRejections.initLabelValues(downstream, cfg);
            }
        }
    }

    /** Zero series for the configurations that shed load. */
    public void initialiseShedding(ConfigTable configs) {
        for (LabConfig c : configs.all()) {
            if (c.shedding().enabled()) {
                shed.initLabelValues(String.valueOf(c.name()));
            }
        }
    }
}
