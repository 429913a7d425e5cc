package dev.dimmer.server.security;

import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** A throttled sign-in or password check is a problem with {@code Retry-After} (seconds). */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class SignInRefusedHandler {

    @ExceptionHandler(SignIn.Refused.class)
    ResponseEntity<ProblemDetail> refused(SignIn.Refused e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        problem.setTitle(e.title());
        problem.setType(URI.create("about:blank"));
        return ResponseEntity.status(e.status())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                .header(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                .body(problem);
    }
}
