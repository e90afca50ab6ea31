package frl.http;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Distributed tracing with OpenTelemetry: one SERVER span per request a service answers, one
 * CLIENT span per outgoing attempt (so a retried call shows each attempt), linked across services
 * by the W3C {@code traceparent} header.
 *
 * <p>Off unless {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set (compose.yaml points it at Jaeger): then
 * spans are batched to that OTLP/gRPC endpoint. Off means the no-op API: no allocation per request.
 * Thread-safe: OpenTelemetry's tracer and propagators are.
 */
public final class Tracing {
    private static final TextMapGetter<Map<String, List<String>>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, List<String>> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, List<String>> carrier, String key) {
            for (var e : carrier.entrySet()) { // header names arrive in any case
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(key) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    };

    private final OpenTelemetry otel;
    private final Tracer tracer;
    private final boolean on;

    public Tracing(OpenTelemetry otel) {
        this.otel = otel;
        this.tracer = otel.getTracer("frl");
        this.on = otel != OpenTelemetry.noop();
    }

    /** False for {@link #off()}: callers may then skip building span names and attributes. */
    public boolean isOn() {
        return on;
    }

    public static Tracing off() {
        return new Tracing(OpenTelemetry.noop());
    }

    /** Tracing for {@code service}: exporting to {@code OTEL_EXPORTER_OTLP_ENDPOINT} if it is set, else off. */
    public static Tracing fromEnv(String service, String otlpEndpoint) {
        if (otlpEndpoint == null || otlpEndpoint.isBlank()) {
            return off();
        }
        return exportingTo(service, OtlpGrpcSpanExporter.builder().setEndpoint(otlpEndpoint).build());
    }

    /** Tracing that hands every finished span to {@code exporter} (tests pass a collecting one). */
    public static Tracing exportingTo(String service, SpanExporter exporter) {
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), service))))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(java.time.Duration.ofMillis(500)).build())
                .build();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(provider::close)); // flush on exit
        return new Tracing(OpenTelemetrySdk.builder().setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build());
    }

    /** Starts the SERVER span of an inbound request, continuing the caller's trace if it sent one. */
    public Span serverSpan(String name, Map<String, List<String>> requestHeaders) {
        Context parent = otel.getPropagators().getTextMapPropagator().extract(Context.root(), requestHeaders, HEADERS);
        return tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.SERVER).startSpan();
    }

    /** Starts the CLIENT span of one outgoing attempt and writes its context into the request's headers. */
    public Span clientSpan(String name, BiConsumer<String, String> setHeader) {
        Span span = tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT).startSpan();
        otel.getPropagators().getTextMapPropagator().inject(Context.current().with(span), setHeader,
                (sink, key, value) -> sink.accept(key, value));
        return span;
    }

    /** Ends a span with the HTTP status it produced (5xx marks it as an error). */
    public static void end(Span span, int status) {
        span.setAttribute("http.response.status_code", status);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }
}
