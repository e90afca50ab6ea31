package frl.services.orders;

import com.fasterxml.jackson.databind.JsonNode;
import frl.http.ApiException;
import frl.http.CallContext;
import frl.http.Downstream;
import frl.http.HttpResult;

import java.util.Set;
import java.util.TreeSet;

/**
 * The product ids orders accepts, fetched from inventory's {@code GET /products} once and kept.
 * The catalogue is fixed for the lab's lifetime, so one fetch is enough; a failed fetch is retried
 * on the next order. Thread-safe: the set is immutable behind a volatile reference.
 */
final class Catalogue {
    private final Downstream inventory;
    private volatile Set<String> ids;

    Catalogue(Downstream inventory) {
        this.inventory = inventory;
    }

    Set<String> productIds(CallContext call) {
        Set<String> known = ids;
        if (known != null) {
            return known;
        }
        HttpResult r;
        try {
            r = inventory.call(call, "GET", "/products", null);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new ApiException(503, "catalogue_unavailable", "cannot validate products: inventory unreachable ("
                    + OrdersService.describe(e) + ")");
        }
        if (!r.is(200)) {
            throw new ApiException(503, "catalogue_unavailable", "cannot validate products: inventory answered " + r.status());
        }
        Set<String> fetched = new TreeSet<>();
        for (JsonNode p : r.json().path("products")) {
            fetched.add(p.path("product_id").asText());
        }
        ids = Set.copyOf(fetched);
        return ids;
    }
}
