package frl.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import frl.config.LabConfig;
import frl.resilience.Deadline;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One inbound request, already read and checked by {@link ServiceServer}: the body is within the
 * size limit, the configuration header names a real configuration and the deadline header (if any)
 * is a number. Handlers only ask questions of it. Confined to the handling thread.
 */
public final class Request {
    private final HttpExchange exchange;
    private final Map<String, String> pathParams;
    private final byte[] body;
    private final String requestId;
    private final LabConfig config;
    private final Deadline deadline;
    private final long run;

    Request(HttpExchange exchange, Map<String, String> pathParams, byte[] body, String requestId,
            LabConfig config, Deadline deadline, long run) {
        this.exchange = exchange;
        this.pathParams = pathParams;
        this.body = body;
        this.requestId = requestId;
        this.config = config;
        this.deadline = deadline;
        this.run = run;
    }

    /** The run this request arrived in: {@link ServiceServer#run()} at that moment (see {@link CallContext}). */
    public long run() {
        return run;
    }

    public String method() {
        return exchange.getRequestMethod();
    }

    public String path() {
        return exchange.getRequestURI().getPath();
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as a JSON object; anything else is a 400 that says what was wrong. */
    public JsonNode json() {
        if (body.length == 0) {
            throw ApiException.badRequest("request body is empty; expected a JSON object");
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("unreadable body: " + e.getMessage());
        }
    }

    public String requestId() {
        return requestId;
    }

    /** The configuration (A..G) serving this request. */
    public LabConfig config() {
        return config;
    }

    /**
     * The caller's deadline, or null when it sent none. In configurations without timeouts it is
     * only recorded (to count work finished after the caller gave up), never enforced.
     */
    public Deadline deadline() {
        return deadline;
    }
}
