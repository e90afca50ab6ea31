package frl.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Map;

/**
 * A downstream's answer: status, body text and headers (names in lower case; a repeated header's
 * values joined by commas). Immutable.
 */
public record HttpResult(int status, String body, Map<String, String> headers) {

    public HttpResult {
        headers = Map.copyOf(headers);
    }

    public JsonNode json() {
        return Json.read(body);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The downstream's {@code detail} (or the whole body when it is not our error JSON). */
    public String detail() {
        try {
            JsonNode n = json();
            return n.hasNonNull("detail") ? n.get("detail").asText() : body;
        } catch (RuntimeException e) {
            return Json.abbreviate(body);
        }
    }

    public boolean is(int expected) {
        return status == expected;
    }
}
