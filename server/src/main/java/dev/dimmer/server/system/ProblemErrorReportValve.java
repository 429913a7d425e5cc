package dev.dimmer.server.system;

import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error report, as an RFC 9457 problem instead of an HTML page. Tomcat answers some
 * requests itself, before any filter or controller runs (an invalid character in the request
 * target or a header, a malformed request line, a body the connector refuses); those answers
 * come from the host's error report valve, which this one replaces. It writes only when nothing
 * else wrote a body, and never a stack trace or server version.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    public ProblemErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = status == 400
                ? "the request is malformed (for example an invalid character in the path, query or a header)"
                : status >= 500 ? "an unexpected error occurred; it has been logged" : title;
        try {
            Problems.write(response, status, title, detail);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response already committed: nothing more to tell it
        }
    }
}
