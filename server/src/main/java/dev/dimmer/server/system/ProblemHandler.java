package dev.dimmer.server.system;

import java.net.URI;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidNullException;

/**
 * Turns every failure into an RFC 9457 {@code application/problem+json} answer. Bad fields are
 * listed under {@code errors} as {@code {pointer, detail}} so a client can show each next to its
 * input. A malformed body is a 400, never a 500.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> handleApiException(ApiException e) {
        return problem(e.status(), e.title(), e.getMessage(), e.errors());
    }

    @ExceptionHandler(OptimisticLockingFailureException.class)
    ResponseEntity<ProblemDetail> handleConcurrentUpdate(OptimisticLockingFailureException e) {
        return problem(
                HttpStatus.PRECONDITION_FAILED,
                "Precondition failed",
                "the entity was changed by someone else; fetch it again and retry",
                List.of());
    }

    /**
     * What PostgreSQL refused, by SQLSTATE: only a unique violation means "already exists" (services check for
     * duplicates first; this catches the race between two creators). A value the database cannot store (class 22:
     * out of range, invalid characters) is the caller's bad input, a 400. The SQL text is logged, never answered.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> handleIntegrity(DataIntegrityViolationException e) {
        log.info("integrity violation: {}", e.getMostSpecificCause().getMessage());
        String state = sqlState(e);
        if (state != null && state.startsWith("22")) {
            return problem(
                    HttpStatus.BAD_REQUEST,
                    "Invalid request",
                    "a value is outside the range or form that can be stored",
                    List.of());
        }
        if ("23502".equals(state)) {
            return problem(HttpStatus.BAD_REQUEST, "Invalid request", "a required value is missing", List.of());
        }
        if ("23503".equals(state)) {
            return problem(HttpStatus.CONFLICT, "Conflict", "the change conflicts with related data", List.of());
        }
        return problem(HttpStatus.CONFLICT, "Conflict", "an entity with this key already exists", List.of());
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> handleTypeMismatch(MethodArgumentTypeMismatchException e) {
        return problem(
                HttpStatus.BAD_REQUEST,
                "Invalid request",
                "parameter '" + e.getName() + "' has an invalid value",
                List.of(new InvalidField("/" + e.getName(), "has an invalid value")));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String pointer = "";
        String detail = "the request body is not valid JSON";
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof RequestBodyLimitFilter.BodyTooLargeException tooLarge) {
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                    .headers(problemHeaders())
                    .body(body(HttpStatus.CONTENT_TOO_LARGE, "Content too large", tooLarge.getMessage(), List.of()));
        }
        if (cause instanceof DatabindException databind) {
            pointer = databind.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null
                            ? escape(ref.getPropertyName())
                            : String.valueOf(ref.getIndex()))
                    .collect(Collectors.joining("/", "/", ""));
            detail = databind instanceof InvalidNullException
                    ? "must not be null"
                    : databind.getOriginalMessage() != null
                                    && databind.getOriginalMessage().contains("NUL character")
                            ? "must not contain the NUL character (U+0000)"
                            : "has a value of the wrong type or shape";
        } else if (cause instanceof JacksonException jackson) {
            detail = "the request body is not valid JSON: " + jackson.getOriginalMessage();
        } else if (e.getMessage() != null && e.getMessage().contains("Required request body is missing")) {
            detail = "a JSON request body is required";
        }
        ProblemDetail body = body(
                HttpStatus.BAD_REQUEST,
                "Malformed request body",
                pointer.isEmpty() ? detail : pointer + " " + detail,
                List.of(new InvalidField(pointer, detail)));
        return ResponseEntity.badRequest().headers(problemHeaders()).body(body);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<InvalidField> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new InvalidField(
                        "/" + f.getField().replace('.', '/').replaceAll("\\[(\\d+)]", "/$1"), f.getDefaultMessage()))
                .toList();
        return ResponseEntity.badRequest()
                .headers(problemHeaders())
                .body(body(HttpStatus.BAD_REQUEST, "Invalid request", errors.size() + " fields are invalid", errors));
    }

    @ExceptionHandler(RequestBodyLimitFilter.BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> handleTooLarge(RequestBodyLimitFilter.BodyTooLargeException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Content too large", e.getMessage(), List.of());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception e) {
        log.error("unexpected failure", e);
        return problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "Internal error",
                "an unexpected error occurred; it has been logged",
                List.of());
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static ResponseEntity<ProblemDetail> problem(
            HttpStatus status, String title, String detail, List<InvalidField> errors) {
        return ResponseEntity.status(status).headers(problemHeaders()).body(body(status, title, detail, errors));
    }

    private static ProblemDetail body(HttpStatus status, String title, String detail, List<InvalidField> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("about:blank"));
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        return problem;
    }

    private static HttpHeaders problemHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.CONTENT_TYPE, "application/problem+json");
        return headers;
    }
}
