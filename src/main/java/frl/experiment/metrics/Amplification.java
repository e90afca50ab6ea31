package frl.experiment.metrics;

import frl.experiment.stack.Counters;

import java.util.Map;

/**
 * Amplification per hop, exactly as EXPERIMENTS.md defines it: attempts received at that hop (the
 * receiving service's own counter) divided by client requests, over one window.
 *
 * <p>Client requests = arrivals the driver sent at least once in the window (re-sends are not new
 * requests; arrivals never sent are not requests). Every hop divides by that same number, so the
 * figures are cumulative from the user's point of view and compose like the SRE book's example
 * (3 retries at each of 3 layers: up to 4^3 = 64 attempts at the bottom per user request):
 * <ul>
 *   <li>client->gateway   = gateway.received  / client requests (above 1 only by client re-sends)
 *   <li>gateway->orders   = orders.received   / client requests
 *   <li>orders->payments  = payments.received / client requests (the spec's "retry amplification")
 *   <li>orders->inventory = inventory.received / client requests
 * </ul>
 * Counter snapshots are taken while load runs, so requests in flight at a window's edges are
 * counted in the neighbouring window: an error of about (rate x latency) attempts per edge.
 *
 * <p>NaN when the counters could not be read or there were no client requests.
 */
public record Amplification(double clientToGateway, double gatewayToOrders, double ordersToPayments,
                            double ordersToInventory) {

    public static final Amplification UNKNOWN = new Amplification(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** @param deltas counters over the window, by service; null if they could not be read */
    public static Amplification of(Map<String, Counters> deltas, long clientRequests) {
        if (deltas == null || clientRequests <= 0) {
            return UNKNOWN;
        }
        double n = clientRequests;
        return new Amplification(received(deltas, "gateway") / n, received(deltas, "orders") / n,
                received(deltas, "payments") / n, received(deltas, "inventory") / n);
    }

    private static double received(Map<String, Counters> deltas, String service) {
        Counters c = deltas.get(service);
        return c == null ? Double.NaN : c.received();
    }
}
