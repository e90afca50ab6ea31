package frl.experiment.load;

import java.util.List;

/**
 * Receives the fate of every scheduled arrival exactly once.
 *
 * <p>Called concurrently from many virtual threads: implementations must be thread-safe.
 */
@FunctionalInterface
public interface ResultSink {
    void record(RequestResult result);

    /** A sink that hands each result to every one of {@code sinks}, in order. */
    static ResultSink all(ResultSink... sinks) {
        List<ResultSink> copy = List.of(sinks);
        return r -> copy.forEach(s -> s.record(r));
    }
}
