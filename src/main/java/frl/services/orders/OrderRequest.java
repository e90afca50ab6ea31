package frl.services.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import frl.http.ApiException;
import frl.http.Json;
import frl.services.Validation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A validated order: 1..64-character customer id, 1..50 items, each a known product, an integer
 * quantity 1..1000 and a unit price above 0 with at most 2 decimals. The total is computed here,
 * in cents, never taken from the client. Immutable.
 */
public record OrderRequest(String customerId, List<Item> items, long totalCents) {
    public static final int MAX_ITEMS = 50;

    public record Item(String productId, int quantity, long unitPriceCents) {
    }

    public static OrderRequest parse(JsonNode body, Set<String> catalogue) {
        String customer = Validation.text(body, "customer_id", 1, 64);
        JsonNode items = Validation.field(body, "items");
        if (!items.isArray()) {
            throw ApiException.badRequest("'items' must be an array");
        }
        if (items.isEmpty() || items.size() > MAX_ITEMS) {
            throw ApiException.unprocessable("'items' must hold 1 to " + MAX_ITEMS + " items, got " + items.size());
        }
        List<Item> list = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                throw ApiException.badRequest("items[" + i + "] must be an object");
            }
            try {
                String product = Validation.text(item, "product_id", 1, 64);
                if (!catalogue.contains(product)) {
                    throw new ApiException(422, "unknown_product", "items[" + i + "].product_id '" + product
                            + "' is not in the catalogue");
                }
                int quantity = Validation.intInRange(item, "quantity", 1, 1000);
                long price = Validation.priceCents(item, "unit_price");
                list.add(new Item(product, quantity, price));
                total = Math.addExact(total, Math.multiplyExact(price, quantity));
            } catch (ApiException e) {
                throw e.getMessage().startsWith("items[") ? e
                        : new ApiException(e.status(), e.code(), "items[" + i + "]: " + e.getMessage());
            }
        }
        return new OrderRequest(customer, List.copyOf(list), total);
    }

    public ArrayNode itemsJson() {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (Item i : items) {
            a.addObject().put("product_id", i.productId()).put("quantity", i.quantity())
                    .put("unit_price", BigDecimal.valueOf(i.unitPriceCents(), 2));
        }
        return a;
    }

    /** The body inventory expects. */
    public ObjectNode reservationJson(java.util.UUID orderId) {
        ObjectNode o = Json.object().put("order_id", orderId.toString());
        ArrayNode a = o.putArray("items");
        for (Item i : items) {
            a.addObject().put("product_id", i.productId()).put("quantity", i.quantity());
        }
        return o;
    }

    public static BigDecimal money(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }
}
