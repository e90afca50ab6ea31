package frl.config;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Typed reads of environment variables, with the variable's name in every error.
 *
 * <p>Services read their settings only through this class, so a typo in a value fails at start-up
 * with "LAB_PAYMENT_SLOTS must be a whole number, got 'eight'" rather than at the first request.
 * Thread-safe: immutable.
 */
public final class Env {
    private final Map<String, String> vars;

    public Env(Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public String get(String name, String fallback) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    public String require(String name) {
        String v = get(name, null);
        if (v == null) {
            throw new IllegalArgumentException(name + " must be set");
        }
        return v;
    }

    public int integer(String name, int fallback) {
        return parsed(name, fallback, Integer::parseInt, "a whole number");
    }

    public double decimal(String name, double fallback) {
        return parsed(name, fallback, Double::parseDouble, "a number");
    }

    /** A whole number of milliseconds. */
    public Duration millis(String name, Duration fallback) {
        return parsed(name, fallback, v -> Duration.ofMillis(Integer.parseInt(v)), "a whole number");
    }

    /** The one typed read: absent or blank is {@code fallback}; unparsable names the variable and quotes the value. */
    private <T> T parsed(String name, T fallback, Function<String, T> parse, String what) {
        String v = get(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return parse.apply(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be " + what + ", got '" + v + "'");
        }
    }

    public int port(String name, int fallback) {
        int p = integer(name, fallback);
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException(name + " must be a port 0..65535, got " + p);
        }
        return p;
    }
}
