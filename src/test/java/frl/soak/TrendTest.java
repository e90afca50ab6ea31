package frl.soak;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trends are fitted over the second half only, and the report shows them. */
class TrendTest {
    /** 61 samples 10 s apart; heap climbs for the first 300 s (warm-up) then holds; fds climb throughout. */
    private static List<Sampler.Sample> samples() {
        List<Sampler.Sample> out = new ArrayList<>();
        for (int i = 0; i <= 60; i++) {
            double t = 10 * i;
            out.add(new Sampler.Sample(t, (i / 6) % 2 == 1, List.of(
                    new Sampler.Reading(SoakMetric.LIVE_HEAP, "orders", Math.min(t, 300) / 10 + (i % 2)),
                    new Sampler.Reading(SoakMetric.OPEN_FDS, "orders", 100 + t / 10),
                    new Sampler.Reading(SoakMetric.REDIS_KEYS, "redis", 50 * t),
                    new Sampler.Reading(SoakMetric.THREADS, "gateway", i == 7 ? Double.NaN : 40)), List.of()));
        }
        return out;
    }

    @Test
    void warmUpGrowthInTheFirstHalfIsNotALeakButGrowthThroughoutIs() {
        List<Trend> trends = Trend.of(samples(), 300);
        Trend heap = trends.get(0), fds = trends.get(1), keys = trends.get(2), threads = trends.get(3);
        assertEquals(0, heap.first());
        assertEquals(30, heap.last());
        assertEquals(Slope.Verdict.FLAT, heap.verdict());
        assertTrue(heap.passes());
        // one fd every 10 s is 8,640 a day, over the bound of 64
        assertEquals(Slope.Verdict.GROWS, fds.verdict());
        assertFalse(fds.passes());
        // Redis keys grow too, but are not judged (every key has a TTL)
        assertEquals(Slope.Verdict.GROWS, keys.verdict());
        assertTrue(keys.passes());
        assertEquals(31, threads.slope().points());
    }

    @Test
    void theReportHasACsvRowPerReadingATablePerMetricAndAPlotLinePerSeries() {
        List<Sampler.Sample> s = samples();
        String csv = SoakReport.csv(s);
        assertEquals(1 + 61 * 4, csv.lines().count());
        assertTrue(csv.contains("\n70.0,1,threads,gateway,\n"), "a missing reading is an empty value");

        String md = SoakReport.trendTables(Trend.of(s, 300), 300);
        assertTrue(md.contains("| orders | 100 | 160 |"), md);
        assertTrue(md.contains("| grows |"), md);
        assertTrue(md.contains("| not judged |"), md);

        String svg = SoakReport.svg(SoakMetric.THREADS, s, 600, 300);
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
        assertTrue(svg.strip().endsWith("</svg>"));
        // the NaN at t=70 breaks the line: two "move to" commands in one path
        String path = svg.substring(svg.indexOf("<path d=\""), svg.indexOf("\" fill=\"none\""));
        assertEquals(2, path.split("M").length - 1, path);
        assertTrue(svg.contains("fill=\"#f2c6c6\""), "fault minutes are shaded");
    }

    @Test
    void niceCeilingsAndNumbers() {
        assertEquals(1, SoakReport.niceCeiling(0));
        assertEquals(200, SoakReport.niceCeiling(160));
        assertEquals(50, SoakReport.niceCeiling(41));
        assertEquals("12", SoakReport.number(12.0));
        assertEquals("1.50", SoakReport.number(1.5));
        assertEquals("n/a", SoakReport.number(Double.NaN));
    }
}
