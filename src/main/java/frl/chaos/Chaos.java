package frl.chaos;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The fault switches of one service, set through {@code POST /admin/chaos} and read on every request.
 *
 * <p>Each service declares the switches it honours; setting one it does not know is refused with
 * a message that lists the known ones, so a typo never silently injects nothing. Values are
 * checked (a rate must be in 0..1, a latency must not be negative) before anything changes: a
 * request either applies all of its switches or none. Refusals are plain
 * {@link IllegalArgumentException}s; the admin routes answer them with 400. This package knows
 * nothing of HTTP.
 *
 * <p>Thread-safe: the current values are an immutable map behind an {@link AtomicReference};
 * readers never lock, writers swap the whole map.
 */
public final class Chaos {
    /** What a switch holds, and how its value is checked. */
    public enum Kind { RATE, MILLIS, FLAG, COUNT }

    public record Switch(String name, Kind kind, String meaning) {
    }

    private final Map<String, Switch> known = new LinkedHashMap<>();
    private final AtomicReference<Map<String, Object>> values = new AtomicReference<>(Map.of());

    public Chaos(List<Switch> switches) {
        switches.forEach(s -> known.put(s.name(), s));
    }

    public static Switch rate(String name, String meaning) {
        return new Switch(name, Kind.RATE, meaning);
    }

    public static Switch millis(String name, String meaning) {
        return new Switch(name, Kind.MILLIS, meaning);
    }

    public static Switch flag(String name, String meaning) {
        return new Switch(name, Kind.FLAG, meaning);
    }

    public static Switch count(String name, String meaning) {
        return new Switch(name, Kind.COUNT, meaning);
    }

    public double rate(String name) {
        Object v = values.get().get(name);
        return v == null ? 0.0 : (Double) v;
    }

    /** Milliseconds or a count; 0 when the switch is off. */
    public long number(String name) {
        Object v = values.get().get(name);
        return v == null ? 0L : (Long) v;
    }

    public boolean flag(String name) {
        return Boolean.TRUE.equals(values.get().get(name));
    }

    public boolean isSet(String name) {
        return values.get().containsKey(name);
    }

    public void clear() {
        values.set(Map.of());
    }

    /**
     * Applies a JSON object of switches, e.g. {@code {"error_rate": 0.2}}. A value of {@code null},
     * 0 or false turns a switch off; {@code {"reset": true}} turns all off first.
     *
     * @throws IllegalArgumentException naming the first bad switch or value; nothing changes then
     */
    public void apply(JsonNode body) {
        Map<String, Object> next = new LinkedHashMap<>(values.get());
        if (body.path("reset").asBoolean(false)) {
            next.clear();
        }
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            if (e.getKey().equals("reset")) {
                continue;
            }
            Switch s = known.get(e.getKey());
            if (s == null) {
                throw new IllegalArgumentException("unknown chaos switch '" + e.getKey() + "'; this service knows "
                        + (known.isEmpty() ? "none" : String.join(", ", known.keySet())));
            }
            Object v = parse(s, e.getValue());
            if (v == null) {
                next.remove(s.name());
            } else {
                next.put(s.name(), v);
            }
        }
        values.set(Map.copyOf(next));
    }

    private static Object parse(Switch s, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        return switch (s.kind()) {
            case RATE -> {
                if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 1) {
                    throw new IllegalArgumentException(s.name() + " must be a number from 0 to 1, got " + v);
                }
                yield v.asDouble() == 0 ? null : v.asDouble();
            }
            case MILLIS, COUNT -> {
                if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > 600_000) {
                    throw new IllegalArgumentException(s.name() + " must be a whole number from 0 to 600000, got " + v);
                }
                yield v.asLong() == 0 && s.kind() == Kind.MILLIS ? null : v.asLong();
            }
            case FLAG -> {
                if (!v.isBoolean()) {
                    throw new IllegalArgumentException(s.name() + " must be true or false, got " + v);
                }
                yield v.asBoolean() ? Boolean.TRUE : null;
            }
        };
    }

    /**
     * The current switches and the known ones, for {@code GET /admin/chaos}:
     * {@code {"active": {name: value}, "switches": {name: "kind: meaning"}}}.
     */
    public Map<String, Object> describe() {
        Map<String, String> switches = new LinkedHashMap<>();
        known.values().forEach(s -> switches.put(s.name(), s.kind().name().toLowerCase() + ": " + s.meaning()));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("active", values.get());
        o.put("switches", switches);
        return o;
    }
}
