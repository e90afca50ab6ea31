package frl.resilience.retry;

import frl.resilience.BulkheadFullException;
import frl.resilience.DeadlineExceededException;
import frl.resilience.breaker.CircuitOpenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP classifier as a table: status (+ Retry-After) -> may we retry? is the downstream at fault? */
class VerdictTest {

    @ParameterizedTest(name = "HTTP {0} Retry-After={1} -> {2}, retry after {3} s, downstream failure {4}")
    @CsvSource(nullValues = "-", textBlock = """
            200, -,   Success,      -,  false
            201, -,   Success,      -,  false
            304, -,   Success,      -,  false
            429, 2,   Retryable,    2,  true
            429, -,   Retryable,    -,  true
            503, 30,  Retryable,    30, true
            503, -,   Retryable,    -,  true
            502, 5,   Retryable,    -,  true
            504, -,   Retryable,    -,  true
            500, -,   NonRetryable, -,  true
            501, -,   NonRetryable, -,  true
            400, -,   NonRetryable, -,  false
            402, -,   NonRetryable, -,  false
            404, -,   NonRetryable, -,  false
            408, -,   NonRetryable, -,  false
            409, -,   NonRetryable, -,  false
            422, -,   NonRetryable, -,  false
            """)
    void httpStatusTable(int status, String retryAfter, String kind, Long retryAfterSeconds, boolean downstreamFailure) {
        // Given a response with this status, When classified
        Verdict v = Verdict.ofHttp(status, retryAfter);
        // Then the kind, the honoured Retry-After and the breaker's reading are as tabled
        assertEquals(kind, v.getClass().getSimpleName());
        if (v instanceof Verdict.Retryable r) {
            assertEquals(retryAfterSeconds == null ? null : Duration.ofSeconds(retryAfterSeconds), r.retryAfter());
        }
        assertEquals(downstreamFailure, v.isDownstreamFailure());
    }

    @ParameterizedTest(name = "Retry-After ''{0}'' -> {1}")
    @CsvSource(nullValues = "-", delimiter = '|', textBlock = """
            120                           | PT2M
            ' 7 '                         | PT7S
            0                             | PT0S
            -1                            | -
            1.5                           | -
            Wed, 21 Oct 2015 07:28:00 GMT | -
            ''                            | -
            """)
    void retryAfterIsReadAsDeltaSecondsOnly(String header, Duration expected) {
        assertEquals(expected, Verdict.parseRetryAfter(header));
    }

    @Test
    void connectionFailuresAndTimeoutsAreTransientAndTheDownstreamsFault() {
        for (Exception e : new Exception[]{new ConnectException("refused"), new HttpTimeoutException("timed out"),
                new IOException("reset"), new TimeoutException("slow")}) {
            Verdict v = Verdict.of(e);
            assertInstanceOf(Verdict.Retryable.class, v, e.toString());
            assertTrue(v.isDownstreamFailure(), e.toString());
        }
    }

    @Test
    void ourOwnRejectionsAreFinalAndSayNothingAboutTheDownstream() {
        for (Exception e : new Exception[]{new CircuitOpenException("payments", Duration.ofSeconds(3)),
                new BulkheadFullException("payments", 20), new DeadlineExceededException("spent"),
                new InterruptedException("stop")}) {
            Verdict v = Verdict.of(e);
            assertInstanceOf(Verdict.NonRetryable.class, v, e.toString());
            assertFalse(v.isDownstreamFailure(), e.toString());
        }
    }

    @Test
    void anUnknownExceptionIsFinalAndCountsAgainstTheDownstream() {
        Verdict v = Verdict.of(new IllegalStateException("bug"));
        assertEquals(new Verdict.NonRetryable("IllegalStateException: bug", true), v);
    }
}
