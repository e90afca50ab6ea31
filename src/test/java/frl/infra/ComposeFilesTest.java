package frl.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import frl.services.ServiceMain;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps the Docker files honest against the code: compose.yaml's five services and ports against
 * {@link ServiceMain}'s constants, Prometheus' scrape targets against compose.yaml's services, and
 * every Grafana panel's PromQL against the metric names the services really register.
 *
 * <p>There is no YAML library on the test classpath, on purpose, so the YAML files are read as
 * text with line-based patterns; they are written in the plain block style these patterns expect.
 * Paths are relative to the project directory, where Surefire runs the tests.
 */
class ComposeFilesTest {
    static final Path COMPOSE = Path.of("compose.yaml");
    static final Path DOCKERFILE = Path.of("Dockerfile");
    static final Path PROMETHEUS = Path.of("infra/prometheus/prometheus.yml");
    static final Path DATASOURCE = Path.of("infra/grafana/provisioning/datasources/prometheus.yaml");
    static final Path DASHBOARD_PROVIDER = Path.of("infra/grafana/provisioning/dashboards/failure-recovery-lab.yaml");
    static final Path DASHBOARD = Path.of("infra/grafana/dashboards/failure-recovery-lab.json");
    /** Where metrics are registered: the shared set, and the outbox gauges orders adds. */
    static final List<Path> METRIC_SOURCES = List.of(
            Path.of("src/main/java/frl/http/ServiceMetrics.java"),
            Path.of("src/main/java/frl/services/orders/Notifier.java"));

    static final Map<String, Integer> LAB_SERVICES = new LinkedHashMap<>();

    static {
        LAB_SERVICES.put("gateway", ServiceMain.GATEWAY_PORT);
        LAB_SERVICES.put("orders", ServiceMain.ORDERS_PORT);
        LAB_SERVICES.put("payments", ServiceMain.PAYMENTS_PORT);
        LAB_SERVICES.put("inventory", ServiceMain.INVENTORY_PORT);
        LAB_SERVICES.put("notifications", ServiceMain.NOTIFICATIONS_PORT);
    }

    // ---- compose.yaml -----------------------------------------------------------------------------

    @Test
    void composeDefinesTheFiveServicesOnServiceMainsPorts() throws IOException {
        Map<String, String> services = composeServices();
        for (var s : LAB_SERVICES.entrySet()) {
            String name = s.getKey();
            int port = s.getValue();
            String block = services.get(name);
            assertTrue(block != null, "compose.yaml has no service '" + name + "'; it has " + services.keySet());
            assertTrue(block.contains("\n      LAB_SERVICE: " + name + "\n"), name + ": LAB_SERVICE must be " + name);
            assertTrue(block.contains("\n      OTEL_SERVICE_NAME: " + name + "\n"), name + ": OTEL_SERVICE_NAME must be " + name);
            int admin = port + ServiceMain.ADMIN_PORT_OFFSET;
            assertEquals(List.of(port + ":" + port, "127.0.0.1:" + admin + ":" + admin), publishedPorts(block),
                    name + " must publish its port " + port + ", and its management port " + admin + " on loopback only");
            assertTrue(block.contains("/dev/tcp/127.0.0.1/" + port + " "), name + "'s healthcheck must probe port " + port);
            assertTrue(block.contains("<<: *lab-service"), name + " must use the shared image (x-lab-service)");
        }
    }

    @Test
    void composeServiceUrlsUseServiceMainsPorts() throws IOException {
        String compose = Files.readString(COMPOSE);
        Matcher m = Pattern.compile("(?m)^\\s*LAB_([A-Z]+)_URL: http://([a-z-]+):(\\d+)\\s*$").matcher(compose);
        Set<String> seen = new TreeSet<>();
        while (m.find()) {
            String name = m.group(1).toLowerCase();
            assertTrue(LAB_SERVICES.containsKey(name), "LAB_" + m.group(1) + "_URL names no lab service");
            assertEquals(name, m.group(2), "LAB_" + m.group(1) + "_URL must point at the compose service " + name);
            assertEquals(LAB_SERVICES.get(name), Integer.parseInt(m.group(3)), "LAB_" + m.group(1) + "_URL's port");
            seen.add(name);
        }
        assertEquals(Set.of("inventory", "notifications", "orders", "payments"), seen,
                "compose.yaml must give the callers every downstream's URL");
    }

    @Test
    void composeUsesTheComposeSpecAndPublishesTheSpecsPorts() throws IOException {
        String compose = Files.readString(COMPOSE);
        assertFalse(compose.lines().anyMatch(l -> l.startsWith("version:")), "the Compose spec has no top-level version: key");
        Map<String, String> services = composeServices();
        Map<String, String> published = Map.of("postgres-orders", "5432:5432", "postgres-inventory", "5433:5432",
                "redis", "6379:6379", "prometheus", "9090:9090", "grafana", "3000:3000", "jaeger", "16686:16686");
        for (var e : published.entrySet()) {
            assertTrue(services.containsKey(e.getKey()), "compose.yaml has no service '" + e.getKey() + "'");
            assertTrue(publishedPorts(services.get(e.getKey())).contains(e.getValue()),
                    e.getKey() + " must publish " + e.getValue() + "; it publishes " + publishedPorts(services.get(e.getKey())));
        }
    }

    @Test
    void everyFileComposeMountsExists() throws IOException {
        Matcher m = Pattern.compile("(?m)^\\s*- (\\./[^:\\s]+):").matcher(Files.readString(COMPOSE));
        int mounts = 0;
        while (m.find()) {
            assertTrue(Files.exists(Path.of(m.group(1))), "compose.yaml mounts " + m.group(1) + ", which does not exist");
            mounts++;
        }
        assertTrue(mounts >= 4, "expected the postgres init script, Prometheus config and Grafana folders to be mounted");
    }

    @Test
    void dockerfileStartsEachServicesMainClass() throws Exception {
        String dockerfile = Files.readString(DOCKERFILE);
        for (String name : LAB_SERVICES.keySet()) {
            Matcher m = Pattern.compile("\\b" + name + "\\)\\s+main=([\\w.]+)").matcher(dockerfile);
            assertTrue(m.find(), "the Dockerfile's CMD does not map LAB_SERVICE=" + name + " to a main class");
            Class.forName(m.group(1), false, getClass().getClassLoader()).getMethod("main", String[].class); // throws if the class or main is missing
        }
    }

    // ---- Prometheus -------------------------------------------------------------------------------

    @Test
    void prometheusScrapesEachComposeServiceOnItsPortWithAServiceLabel() throws IOException {
        String prometheus = Files.readString(PROMETHEUS);
        assertTrue(prometheus.contains("\n  scrape_interval: 5s\n"), "Prometheus must scrape every 5 s");
        Set<String> composeServices = composeServices().keySet();
        String[] jobs = prometheus.split("\n  - job_name: ");
        Set<String> scraped = new TreeSet<>();
        for (int i = 1; i < jobs.length; i++) {
            String job = jobs[i].lines().findFirst().orElseThrow().trim();
            Matcher targets = Pattern.compile("targets: \\[([^\\]]*)\\]").matcher(jobs[i]);
            assertTrue(targets.find(), "job " + job + " has no targets: [...] line");
            for (String target : targets.group(1).split(",")) {
                String[] hostPort = target.trim().replace("\"", "").replace("'", "").split(":");
                String host = hostPort[0];
                assertTrue(composeServices.contains(host), "job " + job + " scrapes " + host + ", which compose.yaml does not define");
                if (LAB_SERVICES.containsKey(host)) { // the management listener: the data port answers /metrics with 404
                    assertEquals(LAB_SERVICES.get(host) + ServiceMain.ADMIN_PORT_OFFSET, Integer.parseInt(hostPort[1]),
                            "job " + job + ": " + host + "'s management port");
                }
                scraped.add(host);
            }
            assertTrue(jobs[i].contains("\n          service: " + job + "\n"), "job " + job + " must label its series service=" + job);
        }
        assertEquals(new TreeSet<>(LAB_SERVICES.keySet()), scraped, "Prometheus must scrape exactly the five services");
    }

    // ---- Grafana ----------------------------------------------------------------------------------

    @Test
    void dashboardParsesAndUsesTheProvisionedDatasource() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertEquals("Failure Recovery Lab", dashboard.path("title").asText());
        Matcher uid = Pattern.compile("(?m)^\\s+uid: (\\S+)$").matcher(Files.readString(DATASOURCE));
        assertTrue(uid.find(), "the provisioned datasource needs a fixed uid");
        for (JsonNode panel : panels(dashboard)) {
            assertEquals(uid.group(1), panel.path("datasource").path("uid").asText(),
                    "panel '" + panel.path("title").asText() + "' must use the provisioned datasource");
            assertFalse(panel.path("targets").isEmpty(), "panel '" + panel.path("title").asText() + "' has no query");
        }
        // The provider reads the folder compose.yaml mounts the dashboards into.
        Matcher path = Pattern.compile("(?m)^\\s+path: (\\S+)$").matcher(Files.readString(DASHBOARD_PROVIDER));
        assertTrue(path.find(), "the dashboard provider needs a path");
        assertTrue(Files.readString(COMPOSE).contains("- ./infra/grafana/dashboards:" + path.group(1) + ":ro"),
                "compose.yaml must mount infra/grafana/dashboards at " + path.group(1));
    }

    @Test
    void everyPanelQueriesOnlyMetricsTheServicesRegister() throws IOException {
        Set<String> known = registeredMetrics();
        Set<String> used = new TreeSet<>();
        for (JsonNode panel : panels(new ObjectMapper().readTree(DASHBOARD.toFile()))) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                Set<String> names = metricNames(expr);
                assertFalse(names.isEmpty(), "panel '" + panel.path("title").asText() + "': no metric in " + expr);
                for (String name : names) {
                    assertTrue(known.contains(name), "panel '" + panel.path("title").asText() + "' queries " + name
                            + ", which no service registers (known: " + known + ")");
                }
                used.addAll(names);
            }
        }
        for (String wanted : List.of("lab_http_requests_total", "lab_http_request_duration_seconds_bucket", "lab_retries_total",
                "lab_outgoing_attempts_total", "lab_breaker_state", "lab_shed_total", "lab_bulkhead_rejections_total",
                "lab_wasted_work_total", "lab_outbox_pending", "lab_outbox_lag_seconds", "lab_idempotency_total",
                "lab_adaptive_limit", "lab_retry_budget_refusals_total")) {
            assertTrue(used.contains(wanted), "no panel charts " + wanted);
        }
    }

    @Test
    void registeredMetricsAreReadWithTheirExposedNames() throws IOException {
        Set<String> known = registeredMetrics();
        assertTrue(known.containsAll(Set.of("lab_http_requests_total", "lab_http_request_duration_seconds_bucket",
                "lab_http_request_duration_seconds_sum", "lab_http_request_duration_seconds_count", "lab_breaker_state",
                "lab_outbox_pending", "lab_outbox_lag_seconds")), known.toString());
        assertFalse(known.contains("lab_http_request_duration_seconds"), "a histogram is queried by its _bucket/_sum/_count");
    }

    @Test
    void metricNamesSkipsFunctionsLabelsKeywordsAndNumbers() {
        assertEquals(Set.of("lab_http_request_duration_seconds_bucket"), metricNames(
                "histogram_quantile(0.95, sum by (le, service) (rate(lab_http_request_duration_seconds_bucket"
                        + "{route!=\"/health\", config=~\"A|up\"}[$__rate_interval])))"));
        assertEquals(Set.of("a_total", "b"), metricNames("sum without (x) (a_total) / on (y) group_left b * 1e3 > bool 2"));
        assertEquals(Set.of("up"), metricNames("up offset 5m"));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** compose.yaml's services, name to its block of lines (each service a two-space key under services:). */
    static Map<String, String> composeServices() throws IOException {
        Map<String, String> services = new LinkedHashMap<>();
        Pattern key = Pattern.compile("^  ([a-z0-9][a-z0-9_.-]*):\\s*(#.*)?$");
        boolean inServices = false;
        String current = null;
        StringBuilder block = new StringBuilder();
        for (String line : Files.readAllLines(COMPOSE)) {
            boolean topLevel = !line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#");
            Matcher m = key.matcher(line);
            boolean serviceKey = inServices && m.matches();
            if (topLevel || serviceKey) {
                if (current != null) {
                    services.put(current, block.toString());
                }
                current = serviceKey ? m.group(1) : null;
                block.setLength(0);
            }
            if (topLevel) {
                inServices = line.startsWith("services:");
            }
            if (current != null) {
                block.append(line).append('\n');
            }
        }
        if (current != null) {
            services.put(current, block.toString());
        }
        return services;
    }

    /** The "host:container" entries of a service block's ports: list. */
    static List<String> publishedPorts(String block) {
        List<String> ports = new ArrayList<>();
        boolean inPorts = false;
        Pattern entry = Pattern.compile("^      - \"((?:127\\.0\\.0\\.1:)?\\d+:\\d+)\"(\\s+#.*)?$");
        for (String line : block.lines().toList()) {
            if (line.equals("    ports:")) {
                inPorts = true;
            } else if (inPorts) {
                Matcher m = entry.matcher(line);
                if (!m.matches()) {
                    break;
                }
                ports.add(m.group(1));
            }
        }
        return ports;
    }

    /** Every panel, rows' nested panels included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add);
        }
        out.removeIf(p -> "row".equals(p.path("type").asText()));
        return out;
    }

    /**
     * The series names the services expose, read from the sources that register them: a counter
     * as name_total, a histogram as name_bucket/_sum/_count, a summary as name_sum/_count, a gauge
     * as its name.
     */
    static Set<String> registeredMetrics() throws IOException {
        Pattern builder = Pattern.compile("\\b(Counter|CounterWithCallback|Gauge|GaugeWithCallback|Histogram|Summary)\\.builder\\(\\)");
        Pattern named = Pattern.compile(builder.pattern() + "\\s*\\.name\\(\"([a-zA-Z_:][a-zA-Z0-9_:]*)\"\\)");
        Set<String> names = new TreeSet<>();
        for (Path source : METRIC_SOURCES) {
            String java = Files.readString(source);
            Matcher m = named.matcher(java);
            int found = 0;
            while (m.find()) {
                found++;
                String name = m.group(2);
                switch (m.group(1)) {
                    case "Counter", "CounterWithCallback" -> names.add(name.endsWith("_total") ? name : name + "_total");
                    case "Histogram" -> List.of("_bucket", "_sum", "_count").forEach(s -> names.add(name + s));
                    case "Summary" -> List.of("", "_sum", "_count").forEach(s -> names.add(name + s));
                    default -> names.add(name);
                }
            }
            long builders = builder.matcher(java).results().count();
            assertEquals(builders, found, source + ": a metric builder whose .name(\"...\") this test cannot read");
            if (found == 0) {
                fail(source + " registers no metric; is METRIC_SOURCES out of date?");
            }
        }
        return names;
    }

    private static final Set<String> PROMQL_KEYWORDS = Set.of("bool", "and", "or", "unless", "offset",
            "group_left", "group_right", "inf", "nan");

    /**
     * The metric names a PromQL expression selects: what is left once strings, label matchers,
     * ranges, label lists and Grafana variables are removed, minus functions and aggregations
     * (followed by "("), keywords and numbers.
     */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")                                   // string literals
                .replaceAll("\\{[^}]*\\}", " ")                                                    // label matchers
                .replaceAll("\\[[^\\]]*\\]", " ")                                                  // ranges, subqueries
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ") // label lists
                .replaceAll("\\$\\{?\\w+\\}?", " ");                                               // Grafana variables
        Set<String> names = new TreeSet<>();
        // Possessive, so "sum(" is never read as the metric "su"; the look-behind skips 1e3's "e3" and 5m's "m".
        Matcher m = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()").matcher(s);
        while (m.find()) {
            if (!PROMQL_KEYWORDS.contains(m.group(1).toLowerCase())) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
