package frl.services;

import com.fasterxml.jackson.databind.JsonNode;
import frl.http.ApiException;
import frl.resilience.idempotency.StoredKey;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * Field checks for request bodies. Every failure is a 400 (wrong type or missing) or 422 (right
 * type, unacceptable value) whose message names the field and quotes what was sent.
 */
public final class Validation {
    private Validation() {
    }

    public static JsonNode field(JsonNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            throw ApiException.badRequest("missing field '" + name + "'");
        }
        return v;
    }

    public static String text(JsonNode body, String name, int minLength, int maxLength) {
        JsonNode v = field(body, name);
        if (!v.isTextual()) {
            throw ApiException.badRequest("'" + name + "' must be a string, got " + v.getNodeType().name().toLowerCase());
        }
        String s = v.asText();
        if (s.length() < minLength || s.length() > maxLength || s.isBlank()) {
            throw ApiException.unprocessable("'" + name + "' must be " + minLength + " to " + maxLength
                    + " characters and not blank, got " + s.length());
        }
        return s;
    }

    public static UUID uuid(JsonNode body, String name) {
        JsonNode v = field(body, name);
        if (!v.isTextual()) {
            throw ApiException.badRequest("'" + name + "' must be a UUID string");
        }
        return uuid(v.asText(), name);
    }

    public static UUID uuid(String value, String name) {
        try {
            if (value == null || value.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'" + name + "' must be a UUID, got '" + abbreviate(value) + "'");
        }
    }

    public static long positiveLong(JsonNode body, String name) {
        JsonNode v = field(body, name);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.badRequest("'" + name + "' must be a whole number, got " + v);
        }
        if (v.asLong() <= 0) {
            throw ApiException.unprocessable("'" + name + "' must be greater than 0, got " + v.asLong());
        }
        return v.asLong();
    }

    public static int intInRange(JsonNode body, String name, int min, int max) {
        JsonNode v = field(body, name);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.badRequest("'" + name + "' must be a whole number, got " + v);
        }
        if (v.asInt() < min || v.asInt() > max) {
            throw ApiException.unprocessable("'" + name + "' must be " + min + " to " + max + ", got " + v.asInt());
        }
        return v.asInt();
    }

    /** A price: a positive number with at most two decimals, returned in cents. */
    public static long priceCents(JsonNode body, String name) {
        JsonNode v = field(body, name);
        if (!v.isNumber()) {
            throw ApiException.badRequest("'" + name + "' must be a number, got " + v);
        }
        BigDecimal d = v.decimalValue().stripTrailingZeros();
        if (d.signum() <= 0) {
            throw ApiException.unprocessable("'" + name + "' must be greater than 0, got " + d.toPlainString());
        }
        if (d.scale() > 2) {
            throw ApiException.unprocessable("'" + name + "' must have at most 2 decimals, got " + d.toPlainString());
        }
        if (d.compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
            throw ApiException.unprocessable("'" + name + "' must be at most 1000000, got " + d.toPlainString());
        }
        return d.movePointRight(2).longValueExact();
    }

    /** An Idempotency-Key header that may be stored and read back (1..200 printable ASCII), else a 400 naming it. */
    public static void idempotencyKey(String key) {
        try {
            StoredKey.requireValid(key);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_idempotency_key", "Idempotency-Key: " + e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
