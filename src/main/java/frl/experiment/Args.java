package frl.experiment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A minimal "--name value" / "--flag" command-line reader shared by the two mains, with errors
 * that quote the bad value. Unknown options are errors (a typo must not silently run the default
 * experiment for 15 minutes).
 *
 * <p>Not thread-safe; used once at start-up.
 */
final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();

    /**
     * @param known option names without "--"; a name ending in "!" is a flag that takes no value
     */
    Args(String[] argv, List<String> known) {
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument \"" + a + "\" (options start with --)");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (known.contains(name + "!")) {
                values.put(name, "true");
                continue;
            }
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            if (value == null) {
                if (i + 1 >= argv.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = argv[++i];
            }
            values.put(name, value);
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    double number(String name, double fallback) {
        return typed(name, fallback, Double::parseDouble, "a number");
    }

    long integer(String name, long fallback) {
        return typed(name, fallback, Long::parseLong, "an integer");
    }

    List<Double> numbers(String name, List<Double> fallback) {
        return typed(name, fallback, Args::numberList, "comma-separated numbers");
    }

    /** "90s", "2m", "1h", "500ms" or plain seconds. */
    Duration duration(String name, Duration fallback) {
        return typed(name, fallback, Args::parseDuration, "a duration such as 90s, 2m, 1h or 500ms");
    }

    /**
     * The one typed reader: the value of {@code --name} converted by {@code parse}, or
     * {@code fallback} when the option was not given. Any exception from {@code parse} becomes
     * an error that names the option, what it expects and the value it got.
     */
    private <T> T typed(String name, T fallback, Function<String, T> parse, String expected) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return parse.apply(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--" + name + " must be " + expected + ", was \"" + v + "\"");
        }
    }

    private static List<Double> numberList(String text) {
        List<Double> out = new ArrayList<>();
        for (String p : text.split(",")) {
            out.add(Double.parseDouble(p.trim()));
        }
        return List.copyOf(out);
    }

    private static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long unit = t.endsWith("h") ? 3600 : t.endsWith("m") ? 60 : 1;
        String digits = Character.isDigit(t.charAt(t.length() - 1)) ? t : t.substring(0, t.length() - 1);
        return Duration.ofSeconds(Long.parseLong(digits) * unit);
    }
}
