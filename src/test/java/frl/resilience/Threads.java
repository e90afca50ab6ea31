package frl.resilience;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** The two kinds of thread every concurrency test runs under. */
public enum Threads {
    PLATFORM(() -> Executors.newFixedThreadPool(16)),
    VIRTUAL(Executors::newVirtualThreadPerTaskExecutor);

    private final Supplier<ExecutorService> factory;

    Threads(Supplier<ExecutorService> factory) {
        this.factory = factory;
    }

    public ExecutorService executor() {
        return factory.get();
    }
}
