package dev.gavel.sidecar.http;

import dev.gavel.sidecar.metrics.Metrics;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors (a request line or headers it cannot parse, a URI too long) in the API's
 * JSON error format instead of Jetty's HTML page, with Jetty's status.
 */
final class ErrorResponder implements Request.Handler {

    private static final HttpField JSON_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");

    private final Metrics metrics;

    ErrorResponder(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer code ? code : 500;
        Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        ErrorCode code = status == 413 ? ErrorCode.PAYLOAD_TOO_LARGE
                : status == 404 ? ErrorCode.NOT_FOUND
                : status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
        ApiException error = new ApiException(code, null, "the HTTP request was refused: " + status
                + (message == null ? "" : " " + message));
        metrics.recordError(code.name());
        ApiHandler.send(response, callback, status, JSON_TYPE, ApiHandler.json(out -> {
            out.writeStartObject();
            ApiHandler.writeError(out, error);
            out.writeEndObject();
        }));
        return true;
    }
}
