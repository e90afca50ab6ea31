package frl.services.orders;

import com.fasterxml.jackson.databind.JsonNode;
import frl.services.StackTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static frl.services.LabStack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Orders' {@code POST /orders/statuses}: the statuses of many orders in one request, which payments'
 * reconciliation asks a batch of charges at a time. Unknown ids are left out; a body it cannot
 * read, or more ids than {@link OrdersService#MAX_STATUS_IDS}, is a 400 that says why.
 */
class OrderStatusesTest extends StackTest {

    @Test
    void answersTheStatusOfEveryKnownOrderAndLeavesOutTheRest() throws Exception {
        // Given one order in each status, and an id that is no order
        UUID pending = order("PENDING"), confirmed = order("CONFIRMED"), failed = order("FAILED"), none = UUID.randomUUID();

        // When payments asks about all four, one of them twice
        HttpResponse<String> r = ask(ids(pending, confirmed, failed, none, pending));

        // Then each order's status comes back under its id, and the id with no order is absent
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(Map.of(pending.toString(), "PENDING", confirmed.toString(), "CONFIRMED", failed.toString(), "FAILED"),
                statuses(r));
    }

    @Test
    void anEmptyListGetsAnEmptyAnswerAndTheLimitItselfIsAccepted() throws Exception {
        HttpResponse<String> empty = ask("{\"ids\": []}");
        assertEquals(200, empty.statusCode(), empty.body());
        assertEquals(Map.of(), statuses(empty));

        UUID known = order("CONFIRMED");
        List<UUID> full = new ArrayList<>(Collections.nCopies(OrdersService.MAX_STATUS_IDS - 1, UUID.randomUUID()));
        full.add(known);
        HttpResponse<String> atLimit = ask(ids(full.toArray(UUID[]::new)));
        assertEquals(200, atLimit.statusCode(), atLimit.body());
        assertEquals(Map.of(known.toString(), "CONFIRMED"), statuses(atLimit));
    }

    @Test
    void moreIdsThanTheLimitAreRefusedNamingIt() throws Exception {
        UUID[] tooMany = Stream.generate(UUID::randomUUID).limit(OrdersService.MAX_STATUS_IDS + 1).toArray(UUID[]::new);
        HttpResponse<String> r = ask(ids(tooMany));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(json(r).path("detail").asText().contains("at most " + OrdersService.MAX_STATUS_IDS), r.body());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("{\"ids\": [", "malformed JSON"),
                Arguments.of("[]", "JSON object"),
                Arguments.of("{}", "missing field 'ids'"),
                Arguments.of("{\"ids\": null}", "missing field 'ids'"),
                Arguments.of("{\"ids\": \"" + UUID.randomUUID() + "\"}", "'ids' must be an array"),
                Arguments.of("{\"ids\": {}}", "'ids' must be an array"),
                Arguments.of("{\"ids\": [\"not-a-uuid\"]}", "'ids[0]' must be a UUID"),
                Arguments.of("{\"ids\": [\"" + UUID.randomUUID() + "\", 7]}", "'ids[1]' must be a UUID string, got number"),
                Arguments.of("{\"ids\": [null]}", "'ids[0]' must be a UUID string, got null"),
                Arguments.of("{\"ids\": [], \"status\": \"FAILED\"}", "unknown field 'status'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aBodyItCannotReadIsA400SayingWhy(String body, String because) throws Exception {
        HttpResponse<String> r = ask(body);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(json(r).path("detail").asText().contains(because), r.body());
    }

    private HttpResponse<String> ask(String body) throws Exception {
        return stack.send("orders", "POST", "/orders/statuses", body, "Content-Type", "application/json");
    }

    private static String ids(UUID... ids) {
        return "{\"ids\": [" + String.join(", ", Stream.of(ids).map(id -> "\"" + id + "\"").toList()) + "]}";
    }

    private static Map<String, String> statuses(HttpResponse<String> r) {
        JsonNode statuses = json(r).path("statuses");
        assertTrue(statuses.isObject(), r.body());
        Map<String, String> out = new java.util.HashMap<>();
        statuses.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** A stored order in {@code status}, written straight to orders' database. */
    private UUID order(String status) throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = stack.ordersDb.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO orders (id, customer_id, config, status, total_cents, items)
                VALUES (?, 'customer-1', 'F', ?, 500, '[]'::jsonb)""")) {
            ps.setObject(1, id);
            ps.setString(2, status);
            ps.executeUpdate();
        }
        return id;
    }
}
