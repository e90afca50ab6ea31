package frl.experiment.load;

import frl.experiment.metrics.WindowStats;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimelineTest {
    private static final long MS = 1_000_000;

    @Test
    void arrivalsAreBinnedByIntendedSecondAndEveryBinAddsUp() {
        // Given arrivals intended at 0.1, 0.5, 1.2 and 2.9 s
        Schedule s = Schedule.fixed(new long[]{100 * MS, 500 * MS, 1200 * MS, 2900 * MS}, Duration.ofSeconds(3));
        Timeline t = new Timeline(s);

        // When their fates arrive out of order, one finishing long after its second is over
        t.record(new RequestResult(2, 1200 * MS, 2500 * MS, Outcome.TIMEOUT, 1, 0, null));
        t.record(new RequestResult(0, 100 * MS, 40 * MS, Outcome.SUCCESS, 1, 201, "a"));
        t.record(new RequestResult(3, 2900 * MS, 3000 * MS, Outcome.NOT_SENT_ON_TIME, 0, 0, null));
        t.record(new RequestResult(1, 500 * MS, 60 * MS, Outcome.HTTP_5XX, 2, 503, null));

        // Then
        List<BinStats> bins = t.snapshot();
        assertEquals(3, bins.size());
        assertEquals(List.of(2L, 1L, 1L), bins.stream().map(BinStats::scheduled).toList());
        assertEquals(1, bins.get(0).succeeded());
        assertEquals(1, bins.get(0).count(Outcome.HTTP_5XX));
        assertEquals(3, bins.get(0).attempts(), "re-sends are counted as client attempts");
        assertEquals(1, bins.get(1).count(Outcome.TIMEOUT), "charged to the second it was intended in");
        assertEquals(0, bins.get(2).sent(), "never sent");
        for (BinStats b : bins) {
            assertEquals(b.scheduled(), b.finished(), "scheduled = succeeded + failed, second " + b.second());
        }
        assertEquals(2500.0, bins.get(1).all().getMaxValue() / 1000.0, 2.5);
        assertEquals(0.25, t.liveSuccessRate(), 1e-9);
    }

    @Test
    void windowsSumBinsAndTakePercentilesOverAllAndOverSuccesses() {
        // Given three seconds: 10 fast successes, then 10 timeouts at 3 s, then 10 successes at 200 ms
        List<BinStats> bins = List.of(BinStats.synthetic(0, 10, 10, 0, 20_000),
                BinStats.synthetic(1, 10, 0, 10, 3_000_000), BinStats.synthetic(2, 10, 10, 0, 200_000));

        WindowStats w = WindowStats.of(bins, 0, 3);
        WindowStats last = WindowStats.of(bins, 2, 3);

        assertEquals(30, w.scheduled());
        assertEquals(20.0 / 30, w.successRate(), 1e-9);
        assertEquals(20.0 / 3, w.goodputPerSecond(), 1e-9);
        assertEquals(3000, w.p99Ms(), 3000 * 0.001, "timeouts dominate p99 over all");
        assertEquals(200, w.p99OkMs(), 0.2, "successes only");
        assertEquals(1.0, last.successRate());
        assertTrue(Double.isNaN(WindowStats.of(bins, 5, 6).p99Ms()), "an empty window has no percentile, not 0");
    }
}
