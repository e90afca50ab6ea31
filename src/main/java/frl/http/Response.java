package frl.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler returns: a status, a body (any Jackson-serialisable value, or a pre-serialised
 * JSON string via {@link #raw}) and extra headers. Immutable.
 */
public record Response(int status, Object body, Map<String, String> headers, boolean rawJson) {

    public static Response ok(Object body) {
        return new Response(200, body, Map.of(), false);
    }

    public static Response created(Object body) {
        return new Response(201, body, Map.of(), false);
    }

    public static Response of(int status, Object body) {
        return new Response(status, body, Map.of(), false);
    }

    /** A body that is already JSON text, e.g. a response stored for an idempotent replay. */
    public static Response raw(int status, String json) {
        return new Response(status, json, Map.of(), true);
    }

    public Response withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Response(status, body, h, rawJson);
    }

    public String bodyText() {
        return rawJson ? (String) body : Json.write(body);
    }
}
