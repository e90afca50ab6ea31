package frl.experiment.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;

/**
 * The mapper results files are written with: run.json, and LoadMain's {@code --json} summary.
 * Three choices serve the people and scripts that read results, and each would be wrong on the
 * wire, which is why this is not {@link frl.http.Json}, the services' mapper:
 * <ul>
 *   <li>Field names are snake_case, derived from record component names ({@code p99OkMs} ->
 *       {@code p99_ok_ms}), so a results file reads like the wire contract without an annotation
 *       on every field. On the wire every name is a contract and each service spells it out; a
 *       naming strategy there would silently rename whatever record a service serialises.
 *   <li>Output is indented, because people read and diff run.json. On the wire it is bytes paid
 *       on every request.
 *   <li>NaN and infinities are written as {@code null}: JSON has no NaN, and a results file that
 *       a strict parser rejects is worse than a missing value ("not measured" is null
 *       everywhere). A service has no "not measured"; a NaN there is a bug to see, not to hide.
 * </ul>
 * The wire mapper adds two strict reading rules this one has no use for (trailing tokens are an
 * error; decimals are read exactly, for prices). What the harness reads from the stack, where the
 * rule is the opposite (ignore what you do not know), goes through
 * {@link frl.experiment.stack.StackJson}.
 *
 * <p>Thread-safe once configured (ObjectMapper's documented contract).
 */
public final class ResultsJson {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new SimpleModule("finite-doubles")
                    .addSerializer(Double.class, new FiniteDouble())
                    .addSerializer(double.class, new FiniteDouble()));

    private ResultsJson() {
    }

    private static final class FiniteDouble extends JsonSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            if (value == null || value.isNaN() || value.isInfinite()) {
                gen.writeNull();
            } else {
                gen.writeNumber(value);
            }
        }
    }
}
