package frl.services.orders;

import frl.http.CallContext;
import frl.http.Downstream;
import frl.http.HttpResult;
import frl.services.ServiceContext;

import java.time.Duration;

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
 * <p>Thread-safe: one loop on one virtual thread; {@link #sweepOnce()} may also be called directly
 * (tests do, instead of waiting for the loop).
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
    private final Duration after;
    private volatile Thread loop;

    RecoverySweep(OrderStore store, Downstream inventory, Downstream payments, Notifier notifier,
                  ServiceContext ctx, Duration after) {
        this.store = store;
        this.inventory = inventory;
        this.payments = payments;
        this.notifier = notifier;
        this.ctx = ctx;
        this.after = after;
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

    /** One pass; returns how many orders it finished. */
    int sweepOnce() throws Exception {
        int finished = 0;
        for (OrderStore.Order o : store.stuck(after, BATCH)) {
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
            var event = notifier.event(o.id(), "ORDER_CONFIRMED", o.customerId(), o.totalCents());
            boolean outbox = call.config().outbox();
            if (store.confirm(o.id(), outbox ? event : null) && !outbox) {
                notifier.direct(call, event);
            }
            return true;
        }
        HttpResult released = inventory.call(call, "DELETE", Downstream.path("reservations", o.id().toString()), null);
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
