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

    /** The query as sent (still percent-encoded), or null when the target has none. */
    public String rawQuery() {
        return exchange.getRequestURI().getRawQuery();
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

    /**
     * The body as a JSON object; anything else is a 4xx that says what was wrong: 415 when the
     * request declares a Content-Type other than JSON (none at all is taken as JSON, as curl's
     * {@code --json} and most scripts send it), 400 for an empty body, malformed JSON (invalid
     * UTF-8 included), anything but an object, or a NUL character in any string or field name
     * (PostgreSQL's text cannot hold one: refused here, it never becomes a 500 at an INSERT).
     */
    public JsonNode json() {
        requireJsonContentType();
        if (body.length == 0) {
            throw ApiException.badRequest("request body is empty; expected a JSON object");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("unreadable body: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        String nul = nulAt(node, "");
        if (nul != null) {
            throw ApiException.badRequest("a NUL character (\\u0000) at " + nul + "; strings may not contain one");
        }
        return node;
    }

    /** A 415 unless the declared Content-Type (if any) is JSON; for a handler that forwards the body unparsed. */
    public void requireJsonContentType() {
        String type = header("Content-Type");
        if (type != null && !isJson(type)) {
            throw new ApiException(415, "unsupported_media_type",
                    "Content-Type must be application/json, got '" + abbreviate(type) + "'");
        }
    }

    /** {@code application/json}, any {@code +json} type, with or without parameters ({@code ; charset=utf-8}). */
    private static boolean isJson(String contentType) {
        int semicolon = contentType.indexOf(';');
        String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(java.util.Locale.ROOT);
        return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
    }

    /** The JSON pointer of the first string or field name holding U+0000, or null. Bodies are at most 64 KB. */
    private static String nulAt(JsonNode node, String at) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0 ? (at.isEmpty() ? "/" : at) : null;
        }
        var fields = node.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            String here = at + "/" + f.getKey();
            if (f.getKey().indexOf('\0') >= 0) {
                return here;
            }
            String inside = nulAt(f.getValue(), here);
            if (inside != null) {
                return inside;
            }
        }
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            String inside = nulAt(node.get(i), at + "/" + i);
            if (inside != null) {
                return inside;
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
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
