package frl.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps (method, path) to a handler. Templates are literal segments and {@code {name}} captures:
 * {@code /reservations/{orderId}}. Linear matching: each service has about ten routes, so a trie
 * would only add code. Routes are added before the server starts and only read afterwards, so
 * the list is safely published by {@code HttpServer.start()}.
 *
 * <p>The path is split on its raw {@code /} first and each segment percent-decoded after, so an
 * encoded slash is part of a value ({@code /orders/a%2Fb} captures {@code a/b}) and never a new
 * segment: a value a caller forwards with {@link Downstream#path} arrives as it was sent.
 */
public final class Router {
    /** Handles one request; throwing {@link ApiException} gives a 4xx/5xx JSON answer. */
    @FunctionalInterface
    public interface Handler {
        Response handle(Request request) throws Exception;
    }

    record Route(String method, String template, String[] segments, Handler handler, boolean admin) {
    }

    /** The outcome of matching: a route and its captures, or why nothing matched. */
    record Match(Route route, Map<String, String> params, Set<String> allowedMethods) {
    }

    private final List<Route> routes = new ArrayList<>();

    void add(String method, String template, Handler handler, boolean admin) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("route template must start with '/', got '" + template + "'");
        }
        routes.add(new Route(method, template, split(template), handler, admin));
    }

    /** Every route as {@code "METHOD /template"}, in the order added (tests check each has a case). */
    public List<String> describe() {
        return routes.stream().map(r -> r.method() + " " + r.template()).toList();
    }

    /**
     * Returns a match, or a Match with a null route and the methods that would have matched the path.
     *
     * @param rawPath the request's path as sent, still percent-encoded (null, as in an opaque URI, matches nothing)
     */
    Match match(String method, String rawPath) {
        String[] parts = split(rawPath == null ? "" : rawPath);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = decode(parts[i]);
        }
        Set<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Map<String, String> params = capture(r.segments(), parts);
            if (params == null) {
                continue;
            }
            if (r.method().equals(method) || (method.equals("HEAD") && r.method().equals("GET"))) {
                return new Match(r, params, Set.of());
            }
            allowed.add(r.method());
        }
        return new Match(null, Map.of(), allowed);
    }

    private static Map<String, String> capture(String[] template, String[] parts) {
        if (template.length != parts.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                params.put(t.substring(1, t.length() - 1), parts[i]);
            } else if (!t.equals(parts[i])) {
                return null;
            }
        }
        return params;
    }

    /**
     * Percent-decodes one segment as UTF-8; bytes that are not UTF-8 become U+FFFD. A {@code +} is a
     * plus here (only form bodies use it for a space). Malformed escapes never get this far: the
     * JDK server refuses a request line that is not a URI with its own 400.
     */
    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            throw ApiException.badRequest("malformed percent-encoding in path segment '" + segment + "'");
        }
    }

    /** The non-empty segments of a path: "/a//b/" gives [a, b]. A loop, not a regex: it runs per request. */
    private static String[] split(String path) {
        List<String> parts = new ArrayList<>(4);
        int start = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                if (i > start) {
                    parts.add(path.substring(start, i));
                }
                start = i + 1;
            }
        }
        return parts.toArray(new String[0]);
    }
}
