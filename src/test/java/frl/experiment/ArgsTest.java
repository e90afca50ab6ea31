package frl.experiment;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ArgsTest {
    private static final List<String> KNOWN = List.of("rate", "seed", "load", "duration", "quiet!");

    private static Args args(String... argv) {
        return new Args(argv, KNOWN);
    }

    @Test
    void everyTypedReaderConvertsTheValueOrFallsBack() {
        Args a = args("--rate", "12.5", "--seed=7", "--load", "0.5, 0.85", "--duration", "2m", "--quiet");

        assertEquals(12.5, a.number("rate", 0));
        assertEquals(7, a.integer("seed", 42));
        assertEquals(List.of(0.5, 0.85), a.numbers("load", List.of()));
        assertEquals(Duration.ofMinutes(2), a.duration("duration", null));
        assertEquals("true", a.string("quiet", "false"), "a flag takes no value");

        Args none = args();
        assertEquals(3.0, none.number("rate", 3.0));
        assertEquals(42, none.integer("seed", 42));
        assertEquals(List.of(1.0), none.numbers("load", List.of(1.0)));
        assertEquals(Duration.ofSeconds(9), none.duration("duration", Duration.ofSeconds(9)));
    }

    @Test
    void durationsTakeTheirUnit() {
        // given, expected
        Object[][] table = {
                {"90", Duration.ofSeconds(90)},
                {"90s", Duration.ofSeconds(90)},
                {"2m", Duration.ofMinutes(2)},
                {"1h", Duration.ofHours(1)},
                {"500ms", Duration.ofMillis(500)},
                {" 30S ", Duration.ofSeconds(30)},
        };
        for (Object[] row : table) {
            assertEquals(row[1], args("--duration", (String) row[0]).duration("duration", null), "--duration " + row[0]);
        }
    }

    @Test
    void aBadValueIsAnErrorNamingTheOptionAndTheValue() {
        // option, bad value, reader, expected message
        record Bad(String option, String value, Function<Args, Object> read, String message) {
        }
        List<Bad> table = List.of(
                new Bad("rate", "fast", a -> a.number("rate", 0), "--rate must be a number, was \"fast\""),
                new Bad("seed", "4.2", a -> a.integer("seed", 0), "--seed must be an integer, was \"4.2\""),
                new Bad("load", "0.5,x", a -> a.numbers("load", List.of()), "--load must be comma-separated numbers, was \"0.5,x\""),
                new Bad("duration", "soon", a -> a.duration("duration", null),
                        "--duration must be a duration such as 90s, 2m, 1h or 500ms, was \"soon\""),
                new Bad("duration", "", a -> a.duration("duration", null),
                        "--duration must be a duration such as 90s, 2m, 1h or 500ms, was \"\""));
        for (Bad bad : table) {
            Args a = args("--" + bad.option(), bad.value());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bad.read().apply(a));
            assertEquals(bad.message(), e.getMessage());
        }
    }

    @Test
    void unknownOptionsAndMissingValuesAreRefused() {
        assertEquals("unknown option --rat", assertThrows(IllegalArgumentException.class, () -> args("--rat", "1")).getMessage());
        assertEquals("--rate needs a value", assertThrows(IllegalArgumentException.class, () -> args("--rate")).getMessage());
        assertEquals("--seed is required", assertThrows(IllegalArgumentException.class, () -> args().required("seed")).getMessage());
    }
}
