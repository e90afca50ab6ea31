package frl.sim;

/**
 * The time things take outside the patterns and the processor: one network hop (one way), one
 * database statement, one Redis command. Each is a log-normal draw (means and sigma in
 * {@link Model}) from one seeded stream, then an event.
 *
 * <p>Not thread-safe: one run, one thread.
 */
final class Delays {
    private final EventLoop loop;
    private final Draws draws;
    private final double hopNanos;
    private final double dbNanos;
    private final double redisNanos;
    private final double sigma;

    Delays(EventLoop loop, Draws draws, Model model) {
        this.loop = loop;
        this.draws = draws;
        this.hopNanos = model.hopMean().toNanos();
        this.dbNanos = model.dbMean().toNanos();
        this.redisNanos = model.redisMean().toNanos();
        this.sigma = model.latencySigma();
    }

    /** Runs {@code then} after one network hop. */
    void hop(Runnable then) {
        loop.after(draws.logNormalNanos(hopNanos, sigma), then);
    }

    /** Runs {@code then} after one database round trip. */
    void db(Runnable then) {
        loop.after(draws.logNormalNanos(dbNanos, sigma), then);
    }

    /** How long one database round trip takes (for work that holds a lock or a slot meanwhile). */
    long dbNanos() {
        return draws.logNormalNanos(dbNanos, sigma);
    }

    /** Runs {@code then} after one Redis command. */
    void redis(Runnable then) {
        loop.after(draws.logNormalNanos(redisNanos, sigma), then);
    }
}
