package frl.services.orders;

import frl.http.CallContext;
import frl.http.Downstream;
import frl.http.HttpResult;
import frl.services.ServiceContext;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * Finishes orders left PENDING: by a crash between two steps of the saga, or by a compensation
 * that could not reach inventory. Without it such an order would wait forever and hold its stock.
 *
 * <p>For each order PENDING longer than {@code after} (far beyond any deadline, so the request
 * thread is surely gone): ask payments whether a charge exists. A charge means the customer paid,
 * so the order is CONFIRMED (and notified). No charge: release the reservation, then FAILED. If a
 * dependency does not answer, the order is left for the next round. The status change is guarded
 * by {@code status = 'PENDING'} (see {@link OrderStore}), so sweeps on several instances, or a
 * late request thread, cannot both decide.
 *
 * <p>Orders whose request is still running in this process are never touched, whatever their
 * age: their saga may yet charge or release, and a sweep deciding first would turn that charge
 * into an orphan.
 *
 * <p>{@code POST /admin/sweep} runs {@link #sweepNow(Duration)} with a horizon of the caller's
 * choosing, by default {@link #longestCall}: an order older than that has no call left in flight
 * anywhere that could still charge it. A caller that has seen the stack idle (payments'
 * {@code queue_length} and {@code busy_slots} 0, orders' {@code in_flight_orders} 0) knows no call
 * is in flight at all, and may sweep with horizon 0.
 *
 * <p>Thread-safe: one loop on one virtual thread; {@link #sweepOnce()} and {@link #sweepNow} may
 * also be called directly, at the same time as the loop: each status change is guarded, so two
 * sweeps of one order decide once (the release they may both send is idempotent).
 */
final class RecoverySweep implements AutoCloseable {
    /** How often the loop looks for stuck orders. */
    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final int BATCH = 100;

    private final OrderStore store;
    private final Downstream inventory;
    private final Downstream payments;
    private final Notifier notifier;
    private final ServiceContext ctx;
    /**
     * The longest a call of a configuration without enforced deadlines (A, B) can keep a payment in
     * flight: payments' queue bound ({@code PaymentProcessor.MAX_QUEUE_WAIT}, 60 s) plus 5 s for
     * the attempt itself. Configurations with deadlines are bounded by their budget instead.
     */
    static final Duration UNBOUNDED_CALL = Duration.ofSeconds(65);
    /** {@link #sweepNow} stops after this many full batches, so one admin call stays bounded. */
    static final int MAX_BATCHES = 50;

    /** What one {@link #sweepNow} did: orders it settled, and orders still PENDING afterwards. */
    record Result(int settled, long stillPending, Duration horizon) {
    }

    private final Duration after;
    private final Set<UUID> inFlight;
    private volatile Thread loop;

    /** @param inFlight ids of the orders whose request is still running here: never swept */
    RecoverySweep(OrderStore store, Downstream inventory, Downstream payments, Notifier notifier,
                  ServiceContext ctx, Duration after, Set<UUID> inFlight) {
        this.store = store;
        this.inventory = inventory;
        this.payments = payments;
        this.notifier = notifier;
        this.ctx = ctx;
        this.after = after;
        this.inFlight = inFlight;
    }

    /**
     * The longest any call can stay in flight, over every configuration of {@code configs}: the
     * deadline budget where deadlines are enforced, {@link #UNBOUNDED_CALL} where they are not.
     */
    static Duration longestCall(frl.config.ConfigTable configs) {
        Duration longest = Duration.ZERO;
        for (var c : configs.all()) {
            Duration d = c.timeouts().enabled() ? c.timeouts().config().budget() : UNBOUNDED_CALL;
            longest = d.compareTo(longest) > 0 ? d : longest;
        }
        return longest;
    }

    /** Starts the loop on a virtual thread, and returns that thread (tests join it). */
    Thread start() {
        loop = Thread.ofVirtual().name("orders-recovery-sweep").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    sweepOnce();
                    ctx.sleeper().sleep(INTERVAL);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // close() asked: say so to whoever looks next, and stop
                    return;
                } catch (Exception e) {
                    System.getLogger(RecoverySweep.class.getName())
                            .log(System.Logger.Level.WARNING, "recovery sweep round failed: " + e.getMessage());
                }
            }
        });
        return loop;
    }

    /** One pass of the loop's own horizon; returns how many orders it finished. */
    int sweepOnce() throws Exception {
        return pass(store.stuck(after, BATCH, Set.copyOf(inFlight)));
    }

    /**
     * Sweeps every order PENDING for longer than {@code horizon} now, batch after batch (at most
     * {@link #MAX_BATCHES}), and counts what is still PENDING afterwards (younger orders, orders in
     * flight, and orders a dependency did not let it finish).
     */
    Result sweepNow(Duration horizon) throws Exception {
        int settled = 0;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            var stuck = store.stuck(horizon, BATCH, Set.copyOf(inFlight));
            int finished = pass(stuck);
            settled += finished;
            if (stuck.size() < BATCH || finished == 0) {
                break; // all seen, or the rest cannot be finished now: the next call tries again
            }
        }
        return new Result(settled, store.countPending(), horizon);
    }

    private int pass(java.util.List<OrderStore.Order> stuck) throws Exception {
        int finished = 0;
        for (OrderStore.Order o : stuck) {
            if (inFlight.contains(o.id())) {
                continue; // its request began after the query's snapshot of the set (ids join before their row exists)
            }
            CallContext call = new CallContext(ctx.configs().get(o.config()), null, "sweep-" + o.id(), null);
            try {
                if (finish(call, o)) {
                    finished++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw e;
            } catch (Exception e) {
                store.note(o.id(), "recovery sweep could not finish it yet: " + OrdersService.describe(e));
            }
        }
        return finished;
    }

    private boolean finish(CallContext call, OrderStore.Order o) throws Exception {
        HttpResult charges = payments.call(call, "GET", Downstream.path("payments", o.id().toString()), null);
        if (!charges.is(200)) {
            throw new IllegalStateException("payments answered " + charges.status());
        }
        if (charges.json().path("charges").asLong() > 0) {
            var event = Notifier.event(o.id(), o.config(), "ORDER_CONFIRMED", o.customerId(), o.totalCents());
            boolean outbox = call.config().outbox();
            if (store.confirm(o.id(), outbox ? event : null) && !outbox) {
                notifier.direct(call, event);
            }
            return true;
        }
        HttpResult released = inventory.compensate(call, "DELETE", Downstream.path("reservations", o.id().toString()), null);
        if (!released.is(200)) {
            throw new IllegalStateException("inventory answered " + released.status() + " to the release");
        }
        return store.fail(o.id(), "recovered by sweep: abandoned mid-order, no charge found, reservation released"
                + (o.failureReason() == null ? "" : " (" + o.failureReason() + ")"));
    }

    @Override
    public void close() {
        Thread t = loop;
        if (t != null) {
            t.interrupt();
        }
    }
}
