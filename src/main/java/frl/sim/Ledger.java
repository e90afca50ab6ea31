package frl.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lab's databases and Redis, as far as the services' decisions and the correctness audit
 * need them: orders, charges, stock and reservations, deliveries, the outbox, idempotency keys.
 * Rows are kept as the real tables keep them, so the harness's own {@code Audit.reconcile} counts
 * duplicate charges, orphans and stock drift from them (see {@code SimRun}).
 *
 * <p>Every write is instant here; the time it takes is the caller's {@link Delays#db}. One
 * difference from the real orders table, on purpose: every order keeps the client's
 * Idempotency-Key, so duplicate charges are counted per client key in every configuration (the
 * real OrdersService stores it only in F, where it acts on it).
 *
 * <p>Not thread-safe: one run, one thread.
 */
final class Ledger {
    static final String PENDING = "PENDING";
    static final String CONFIRMED = "CONFIRMED";
    static final String FAILED = "FAILED";
    static final String RESERVED = "RESERVED";
    static final String RELEASED = "RELEASED";

    static final class Order {
        final long id;
        final String key;
        String status = PENDING;

        Order(long id, String key) {
            this.id = id;
            this.key = key;
        }
    }

    record Charge(long id, long orderId, long amountCents) {
    }

    static final class Reservation {
        final long orderId;
        final int product;
        final int quantity;
        String status = RESERVED;

        Reservation(long orderId, int product, int quantity) {
            this.orderId = orderId;
            this.product = product;
            this.quantity = quantity;
        }
    }

    record Delivery(long eventId, long orderId) {
    }

    /** An idempotency key in Redis: IN_FLIGHT (claimed at {@code since}, by {@code token}) or COMPLETED. */
    private static final class Key {
        long token;
        long since;
        Reply completed; // null while IN_FLIGHT
    }

    final List<Order> orders = new ArrayList<>();
    final List<Charge> charges = new ArrayList<>();
    final List<Reservation> reservations = new ArrayList<>();
    final List<Delivery> deliveries = new ArrayList<>();
    final int[] stock;
    final int[] initialStock;
    final ArrayDeque<long[]> outbox = new ArrayDeque<>(); // {event id, order id}, oldest first
    private final Map<Long, Order> ordersById = new HashMap<>();
    private final Map<String, Order> fOrdersByKey = new HashMap<>();
    private final Map<Long, Long> firstCharge = new HashMap<>();
    private final Map<Long, List<Reservation>> reservationsByOrder = new HashMap<>();
    private final Set<Long> deliveredEvents = new HashSet<>();
    private final Map<String, Key> keys = new HashMap<>();
    private long nextId = 1;

    Ledger(int products, int stockEach) {
        stock = new int[products];
        initialStock = new int[products];
        java.util.Arrays.fill(stock, stockEach);
        java.util.Arrays.fill(initialStock, stockEach);
    }

    long nextId() {
        return nextId++;
    }

    // ---- orders -------------------------------------------------------------------------------

    /** INSERT ... PENDING; in F the key is unique, so a second insert finds the first order. */
    Order insertPending(String key, boolean uniqueKey) {
        if (uniqueKey) {
            Order existing = fOrdersByKey.get(key);
            if (existing != null) {
                return existing;
            }
        }
        Order o = new Order(nextId(), key);
        orders.add(o);
        ordersById.put(o.id, o);
        if (uniqueKey) {
            fOrdersByKey.put(key, o);
        }
        return o;
    }

    Order order(long id) {
        return ordersById.get(id);
    }

    // ---- payments -----------------------------------------------------------------------------

    void charge(long orderId, long amountCents) {
        long id = nextId();
        charges.add(new Charge(id, orderId, amountCents));
        firstCharge.putIfAbsent(orderId, id);
    }

    /** The order's first charge id, or null (F's replay check). */
    Long chargeOf(long orderId) {
        return firstCharge.get(orderId);
    }

    // ---- inventory ----------------------------------------------------------------------------

    boolean reserved(long orderId) {
        List<Reservation> rs = reservationsByOrder.get(orderId);
        return rs != null && !rs.isEmpty();
    }

    /** Takes the stock and records the reservation (one transaction: stock + reserved stays initial). */
    boolean reserve(long orderId, int product, int quantity) {
        if (stock[product] < quantity) {
            return false;
        }
        stock[product] -= quantity;
        Reservation r = new Reservation(orderId, product, quantity);
        reservations.add(r);
        reservationsByOrder.computeIfAbsent(orderId, k -> new ArrayList<>(1)).add(r);
        return true;
    }

    /** The product of the order's first reservation still RESERVED, or -1. */
    int reservedProduct(long orderId) {
        for (Reservation r : reservationsByOrder.getOrDefault(orderId, List.of())) {
            if (r.status.equals(RESERVED)) {
                return r.product;
            }
        }
        return -1;
    }

    /** Compensation: every RESERVED row of the order RELEASED, its stock given back. */
    void release(long orderId) {
        for (Reservation r : reservationsByOrder.getOrDefault(orderId, List.of())) {
            if (r.status.equals(RESERVED)) {
                r.status = RELEASED;
                stock[r.product] += r.quantity;
            }
        }
    }

    // ---- notifications and the outbox ----------------------------------------------------------

    /** One delivery row; with {@code dedupe} (F) a second delivery of an event is not stored. */
    void deliver(long eventId, long orderId, boolean dedupe) {
        if (dedupe && !deliveredEvents.add(eventId)) {
            return;
        }
        deliveries.add(new Delivery(eventId, orderId));
    }

    // ---- idempotency keys (Redis) --------------------------------------------------------------

    /**
     * {@code IdempotencyStore.claim}: ABSENT (or IN_FLIGHT past its lock timeout) gives a claim
     * token (positive); IN_FLIGHT gives 0 (409); COMPLETED gives -1, and {@link #replay} the answer.
     */
    long claim(String key, long now, long lockTimeoutNanos) {
        Key k = keys.get(key);
        if (k != null && k.completed != null) {
            return -1;
        }
        if (k != null && now - k.since < lockTimeoutNanos) {
            return 0;
        }
        if (k == null) {
            k = new Key();
            keys.put(key, k);
        }
        k.token = nextId();
        k.since = now;
        return k.token;
    }

    Reply replay(String key) {
        return keys.get(key).completed;
    }

    /** {@code IdempotencyStore.complete}: stores the answer if the claim is still ours. */
    void complete(String key, long token, Reply answer) {
        Key k = keys.get(key);
        if (k != null && k.completed == null && k.token == token) {
            k.completed = answer;
        }
    }
}
