package frl.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpHeaders;

/** A downstream's answer: status, body text and headers. Immutable. */
public record HttpResult(int status, String body, HttpHeaders headers) {

    public JsonNode json() {
        return Json.read(body);
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
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
