package frl.resilience;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@code tasks} copies of a task on one kind of thread, all released at the same instant. */
final class Concurrently {
    private Concurrently() {
    }

    static void run(Threads threads, int tasks, Runnable task) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1), done = new CountDownLatch(tasks);
        try (ExecutorService pool = threads.executor()) {
            for (int i = 0; i < tasks; i++) {
                pool.submit(() -> {
                    start.await();
                    task.run();
                    done.countDown();
                    return null;
                });
            }
            start.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS), "tasks did not finish within 10 s");
        }
    }
}
