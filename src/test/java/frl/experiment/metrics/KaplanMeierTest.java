package frl.experiment.metrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kaplan-Meier on the textbook case: the 6-MP arm of the Freireich et al. (1963) leukaemia trial
 * (21 patients, weeks in remission, "+" censored), as tabulated by Gehan (1965) and in Kleinbaum &
 * Klein, "Survival Analysis", ch. 2. Published curve: S = 0.857 after week 6, 0.807 (7),
 * 0.753 (10), 0.690 (13), 0.627 (16), 0.538 (22), 0.448 (23); median 23 weeks.
 */
class KaplanMeierTest {
    private static final String SIX_MP = "6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+";

    private static List<KaplanMeier.Observation> parse(String text) {
        List<KaplanMeier.Observation> out = new ArrayList<>();
        for (String t : text.split(" ")) {
            boolean censored = t.endsWith("+");
            out.add(new KaplanMeier.Observation(Double.parseDouble(censored ? t.substring(0, t.length() - 1) : t), !censored));
        }
        return out;
    }

    @Test
    void theSixMpArmGivesThePublishedCurveAndMedian() {
        List<KaplanMeier.Step> curve = KaplanMeier.curve(parse(SIX_MP));

        double[][] expected = {{6, 21, 3, 0.857}, {7, 17, 1, 0.807}, {10, 15, 1, 0.753}, {13, 12, 1, 0.690},
                {16, 11, 1, 0.627}, {22, 7, 1, 0.538}, {23, 6, 1, 0.448}};
        assertEquals(expected.length, curve.size());
        for (int i = 0; i < expected.length; i++) {
            KaplanMeier.Step s = curve.get(i);
            assertEquals(expected[i][0], s.time());
            assertEquals((int) expected[i][1], s.atRisk(), "at risk before week " + s.time());
            assertEquals((int) expected[i][2], s.events());
            assertEquals(expected[i][3], s.survival(), 0.0005, "S after week " + s.time());
        }
        assertEquals(23, KaplanMeier.median(parse(SIX_MP)));
    }

    @Test
    void theMedianIsNotReachedWhileHalfOrMoreAreStillCensored() {
        // Given 5 runs: 2 recovered (12 s, 20 s), 3 did not recover in a window whose longest MTTR is 61 s
        List<KaplanMeier.Observation> runs = parse("12 20 61+ 61+ 61+");

        // Then S never falls to 0.5 (0.8, then 0.6): "not reached", never the mean of 12 and 20
        assertTrue(Double.isNaN(KaplanMeier.median(runs)));
        assertEquals(0.6, KaplanMeier.curve(runs).get(1).survival(), 1e-12);
    }

    @Test
    void aCensoringAtAnEventTimeStillCountsAsAtRisk() {
        // Given one recovery and one censoring at the same 10 s, and one recovery at 30 s
        List<KaplanMeier.Step> curve = KaplanMeier.curve(parse("10 10+ 30"));

        assertEquals(3, curve.get(0).atRisk(), "the censored run was still at risk at 10 s");
        assertEquals(2.0 / 3, curve.get(0).survival(), 1e-12);
        assertEquals(1, curve.get(1).atRisk());
        assertEquals(0, curve.get(1).survival(), 1e-12);
        assertEquals(30, KaplanMeier.median(parse("10 10+ 30")));
    }
}
