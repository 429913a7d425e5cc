package dev.dimmer.server.system;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * An expected failure of an API call, turned into an RFC 9457 problem by {@link ProblemHandler}.
 * Stackless: these are answers to bad requests, not bugs, and they are cheap to throw.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final List<InvalidField> errors;

    public ApiException(HttpStatus status, String title, String detail, List<InvalidField> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public ApiException(HttpStatus status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "Not found", what + " does not exist");
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, "Conflict", detail);
    }

    public static ApiException preconditionFailed(String detail) {
        return new ApiException(HttpStatus.PRECONDITION_FAILED, "Precondition failed", detail);
    }

    public static ApiException invalid(List<InvalidField> errors) {
        return new ApiException(
                HttpStatus.BAD_REQUEST,
                "Invalid request",
                errors.size() == 1 ? errors.get(0).detail() : errors.size() + " fields are invalid",
                errors);
    }

    public static ApiException invalid(String pointer, String detail) {
        return invalid(List.of(new InvalidField(pointer, detail)));
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "Forbidden", detail);
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
    }

    /** The detail followed by every invalid field, for automation that records why a change was refused. */
    public String describe() {
        StringBuilder s = new StringBuilder(getMessage());
        errors.forEach(f -> s.append("; ").append(f.pointer()).append(": ").append(f.detail()));
        return s.toString();
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<InvalidField> errors() {
        return errors;
    }
}
