package frl.experiment;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;

/**
 * The harness's one JSON mapper. Three choices matter for results files:
 * <ul>
 *   <li>field names are snake_case, as in the wire contract ({@code admin_token_file});
 *   <li>NaN and infinities are written as {@code null}: JSON has no NaN, and a results file that a
 *       strict parser rejects is worse than a missing value ("not measured" is null everywhere);
 *   <li>unknown fields are ignored when reading, so the stack launcher and the services may add
 *       fields without breaking the harness.
 * </ul>
 * Thread-safe once configured (ObjectMapper's documented contract).
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new SimpleModule("finite-doubles")
                    .addSerializer(Double.class, new FiniteDouble())
                    .addSerializer(double.class, new FiniteDouble()));

    private Json() {
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
