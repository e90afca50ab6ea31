package frl.experiment.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KneeTest {
    private static Knee.Step step(double offered, double goodput) {
        return new Knee.Step(offered, goodput);
    }

    @Test
    void theKneeIsTheFirstStepWhoseGoodputStopsFollowing() {
        // Given goodput follows up to 120/s and flattens at 160/s
        List<Knee.Step> steps = List.of(step(40, 40), step(60, 59), step(90, 88), step(120, 118), step(180, 158));

        Knee.Result r = Knee.find(steps, 0.10);

        assertTrue(r.found());
        assertEquals(4, r.kneeIndex());
        assertEquals(158, r.capacity(), "the knee step pushed goodput highest");
    }

    @Test
    void aCollapseAfterTheKneeDoesNotLowerTheCapacity() {
        // Given the knee at 200/s (goodput 150) and a later collapse: the test stops reading at the knee
        List<Knee.Step> steps = List.of(step(100, 99), step(150, 147), step(200, 150), step(300, 40));

        Knee.Result r = Knee.find(steps, 0.10);

        assertEquals(2, r.kneeIndex());
        assertEquals(150, r.capacity());
    }

    @Test
    void noiseWithinToleranceIsStillFollowing() {
        List<Knee.Step> steps = List.of(step(50, 46), step(75, 69));

        Knee.Result r = Knee.find(steps, 0.10);

        assertFalse(r.found(), "92% of offered is within a 10% tolerance");
        assertEquals(-1, r.kneeIndex());
        assertEquals(69, r.capacity(), "a lower bound when no knee was found");
        assertTrue(Knee.find(steps, 0.05).found(), "but not within 5%");
    }
}
