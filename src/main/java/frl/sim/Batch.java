package frl.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Runs independent simulated runs side by side, one per platform thread, and returns their
 * results in the order given. Each run builds its own stack and event loop and shares nothing
 * mutable, so how the threads interleave cannot change a number: results are the same with one
 * thread or eight.
 */
final class Batch {
    private Batch() {
    }

    /** Threads to use: the machine's processors, unless {@code LAB_SIM_THREADS} says otherwise. */
    static int defaultThreads() {
        String v = System.getenv("LAB_SIM_THREADS");
        if (v != null && v.matches("[1-9][0-9]{0,2}")) {
            return Integer.parseInt(v);
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * @param done told how many items have finished, after each one (from the worker threads, one at a time)
     */
    static <T, R> List<R> map(List<T> items, int threads, Function<T, R> run, IntConsumer done) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, items.size())));
        int[] finished = {0};
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    R r = run.apply(item);
                    synchronized (finished) {
                        done.accept(++finished[0]);
                    }
                    return r;
                }));
            }
            List<R> out = new ArrayList<>(items.size());
            for (Future<R> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a simulated run failed: " + e.getCause(), e.getCause());
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
