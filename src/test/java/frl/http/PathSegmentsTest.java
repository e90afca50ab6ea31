package frl.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A value forwarded in a path stays one segment: Downstream.path encodes it, Router decodes it back. */
class PathSegmentsTest {

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            6b1f0b2e-4a4b-4c6d-9e8f-0a1b2c3d4e5f | /orders/6b1f0b2e-4a4b-4c6d-9e8f-0a1b2c3d4e5f
            a/b                                  | /orders/a%2Fb
            a b                                  | /orders/a%20b
            ..                                   | /orders/%2E%2E
            .                                    | /orders/%2E
            x.y~z_w-v                            | /orders/x.y~z_w-v
            100%                                 | /orders/100%25
            a+b?c#d                              | /orders/a%2Bb%3Fc%23d
            été                                  | /orders/%C3%A9t%C3%A9
            ''                                   | /orders/
            """)
    void eachValueIsEncodedAsOneSegment(String value, String path) {
        assertEquals(path, Downstream.path("orders", value));
        // and it is a URI path a client can send as it is
        assertEquals(path, URI.create("http://127.0.0.1:1").resolve(path).getRawPath());
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"a/b", "a%2Fb", "..", "100%", "a+b", "a b", "été", "日本", "\u0000", "x;y=z", "?#[]@!$&'()*,"})
    void theRouterGivesTheHandlerTheValueThatWasEncoded(String value) {
        Router router = new Router();
        router.add("GET", "/orders/{id}", r -> null, false);
        Router.Match match = router.match("GET", Downstream.path("orders", value));
        assertEquals(value, match.params().get("id"));
    }
}
