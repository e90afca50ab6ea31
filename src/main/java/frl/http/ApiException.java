package frl.http;

import java.util.Map;

/**
 * A failure that has an HTTP answer: status, a stable machine-readable code and a human sentence.
 * The server turns it into {@code {"error": code, "detail": detail}} with the given headers.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, String> headers;

    public ApiException(int status, String code, String detail) {
        this(status, code, detail, Map.of());
    }

    public ApiException(int status, String code, String detail, Map<String, String> headers) {
        super(detail, null, false, false); // no stack trace: these are answers, not bugs
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "bad_request", detail);
    }

    public static ApiException unprocessable(String detail) {
        return new ApiException(422, "invalid_request", detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "not_found", detail);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
