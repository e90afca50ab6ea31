package frl.experiment.stack;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * The mapper the harness reads the stack with: {@code .run/stack.json}, {@code /admin/counters},
 * {@code /admin/config}, the body of a 201, a chaos payload. A tolerant reader:
 * <ul>
 *   <li>unknown fields are ignored, so the stack launcher and the services may add fields
 *       without breaking the harness (which would otherwise refuse to run against a newer stack);
 *   <li>snake_case names map onto record components ({@code admin_token_file} ->
 *       {@code adminTokenFile}), as the wire contract spells them.
 * </ul>
 * The services' own mapper ({@link frl.http.Json}) is strict instead (trailing tokens are an
 * error, decimals exact), because it guards the services against bad requests; the harness only
 * needs to read what a running stack answers. Results are written by
 * {@link frl.experiment.report.ResultsJson}.
 *
 * <p>Thread-safe once configured (ObjectMapper's documented contract).
 */
public final class StackJson {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private StackJson() {
    }
}
