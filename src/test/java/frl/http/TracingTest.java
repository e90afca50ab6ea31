package frl.http;

import frl.config.ConfigTable;
import frl.resilience.NanoClock;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A call from one service to another is one trace: server span, client span, downstream server span. */
class TracingTest {
    /** Keeps every span it is given. */
    static final class Collecting implements SpanExporter {
        final List<SpanData> spans = new CopyOnWriteArrayList<>();

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    @Test
    void traceparentLinksCallerAndCalleeIntoOneTrace() throws Exception {
        ConfigTable table = ConfigTable.defaults();
        Collecting exported = new Collecting();
        var ctx = new frl.services.ServiceContext(table, table.get('A'), NanoClock.system(), frl.resilience.Sleeper.system(),
                "tracing-test-token", 1, null);

        ServiceServer callee = ctx.server("callee");
        callee.setTracing(Tracing.exportingTo("callee", exported));
        callee.route("GET", "/hello", r -> Response.ok(Json.object().put("traceparent", r.header("traceparent"))));
        int calleePort = callee.start("127.0.0.1", 0);

        ServiceServer caller = ctx.server("caller");
        Tracing callerTracing = Tracing.exportingTo("caller", exported);
        caller.setTracing(callerTracing);
        Downstream down = new Downstream("callee", URI.create("http://127.0.0.1:" + calleePort), Downstream.newClient(),
                ctx.patterns(caller), caller);
        caller.route("GET", "/call", r -> Response.ok(down.call(CallContext.of(r), "GET", "/hello", null).json()));
        int callerPort = caller.start("127.0.0.1", 0);
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + callerPort + "/call")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(Json.read(r.body()).get("traceparent").asText().startsWith("00-"), r.body());
        } finally {
            caller.stop(Duration.ZERO);
            callee.stop(Duration.ZERO);
        }
        frl.services.Poll.until(() -> exported.spans.size(), n -> n >= 3, 10_000); // batch processor exports async

        SpanData server = find(exported, SpanKind.SERVER, "GET /call");
        SpanData client = find(exported, SpanKind.CLIENT, "GET callee /hello (attempt 1)");
        SpanData downstream = find(exported, SpanKind.SERVER, "GET /hello");
        assertEquals(server.getTraceId(), client.getTraceId());
        assertEquals(server.getTraceId(), downstream.getTraceId());
        assertEquals(server.getSpanId(), client.getParentSpanId());
        assertEquals(client.getSpanId(), downstream.getParentSpanId());
    }

    private static SpanData find(Collecting c, SpanKind kind, String name) {
        return c.spans.stream().filter(s -> s.getKind() == kind && s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " span '" + name + "' in " + c.spans.stream().map(SpanData::getName).toList()));
    }
}
