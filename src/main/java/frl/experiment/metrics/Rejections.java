package frl.experiment.metrics;

import frl.experiment.stack.PromText;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Refusals split by the hop where they happened, over one window: bulkhead rejections, breaker
 * trips (transitions to OPEN) and calls an open breaker refused, each per caller -> downstream.
 * {@code /admin/counters} sums a service's bulkheads (payments and inventory together); the
 * services' Prometheus metrics keep the split in their labels, so this reads two scrapes of
 * {@code /metrics} and takes their difference, restricted to the run's configuration.
 *
 * <p>Families read (counters, cumulative since the process started):
 * <ul>
 *   <li>{@code lab_bulkhead_rejections_total{downstream, config}}: hop = scraped service -> downstream;
 *   <li>{@code lab_breaker_transitions_total{breaker, config, from, to}} with {@code to="OPEN"}:
 *       hop = the breaker's name ("orders->payments");
 *   <li>refused calls: any counter named {@code lab_breaker_*reject*_total} or
 *       {@code lab_breaker_*not_permitted*_total}, hop from its {@code breaker} label (or the
 *       service and its {@code downstream} label).
 * </ul>
 * A labelled Prometheus counter shows no line at all until its first increment, so an absent
 * family does not mean "not counted". The first two families are part of the services' metrics
 * contract: absent means 0. The refused-call family is not (yet) in every stack: it counts only
 * when some scrape of the run shows it, and is NaN ("not reported") otherwise, never a made-up 0.
 * A hop whose calling service could not be scraped twice is NaN too. Pure function of the texts.
 *
 * @param counts "kind caller->downstream" -> count in the window, NaN when not reported
 */
public record Rejections(Map<String, Double> counts) {
    public static final List<String> HOPS = List.of("gateway->orders", "orders->payments", "orders->inventory",
            "orders->notifications");
    public static final List<String> KINDS = List.of("bulkhead", "breaker_trips", "breaker_refused");
    public static final Rejections UNKNOWN = new Rejections(Map.of());
    /** The kinds every service's metrics declare (docs/architecture.md, observability). */
    private static final List<String> CONTRACT = List.of("bulkhead", "breaker_trips");

    private static final String BULKHEAD = "lab_bulkhead_rejections";
    private static final String TRANSITIONS = "lab_breaker_transitions";
    private static final Pattern REFUSED = Pattern.compile("lab_breaker_\\w*(reject|not_permitted)\\w*");

    public double count(String kind, String hop) {
        return counts.getOrDefault(kind + " " + hop, Double.NaN);
    }

    /**
     * @param before service -> /metrics text at the window's start (a service that failed is absent)
     * @param after  the same at its end
     */
    public static Rejections of(Map<String, String> before, Map<String, String> after, String config) {
        Map<String, Double> counts = new LinkedHashMap<>();
        List<String> all = new java.util.ArrayList<>(before.values());
        all.addAll(after.values());
        for (String kind : KINDS) {
            boolean reported = CONTRACT.contains(kind) || all.stream().anyMatch(text -> reported(kind, text));
            for (String hop : HOPS) {
                String caller = hop.substring(0, hop.indexOf("->"));
                String a = before.get(caller), b = after.get(caller);
                double v = Double.NaN;
                if (a != null && b != null && reported) {
                    v = sum(kind, hop, caller, b, config) - sum(kind, hop, caller, a, config);
                }
                counts.put(kind + " " + hop, v);
            }
        }
        return new Rejections(counts);
    }

    private static boolean reported(String kind, String text) {
        for (String family : PromText.families(text)) {
            String f = family.endsWith("_total") ? family.substring(0, family.length() - 6) : family;
            if (matches(kind, f)) {
                return true;
            }
        }
        return !PromText.parse(text, name -> matches(kind, stripTotal(name))).isEmpty();
    }

    private static boolean matches(String kind, String family) {
        return switch (kind) {
            case "bulkhead" -> family.equals(BULKHEAD);
            case "breaker_trips" -> family.equals(TRANSITIONS);
            default -> REFUSED.matcher(family).matches();
        };
    }

    private static String stripTotal(String name) {
        return name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
    }

    private static double sum(String kind, String hop, String caller, String text, String config) {
        double total = 0;
        for (PromText.Sample s : PromText.parse(text, name -> name.endsWith("_total") && matches(kind, stripTotal(name)))) {
            if (!s.label("config").equals(config)) {
                continue;
            }
            if (kind.equals("breaker_trips") && !s.label("to").equals("OPEN")) {
                continue;
            }
            String sampleHop = !s.label("breaker").isEmpty() ? s.label("breaker") : caller + "->" + s.label("downstream");
            if (sampleHop.equals(hop)) {
                total += s.value();
            }
        }
        return total;
    }
}
