package org.pisbridge.sandbox.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pisbridge.sandbox.ApiTraffic;
import org.pisbridge.sandbox.Faults;
import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.SandboxError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mTLS API host's one handler: routes a request to its endpoint, applies any armed fault,
 * turns refusals into OP's (or OAuth's) error bodies, signs business responses and logs one line
 * per request (method, path, status; never headers, bodies or tokens).
 */
public final class ApiHost implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHost.class);

    private record Route(String method, Pattern path, Function<ApiRequest, ApiResponse> endpoint) {
    }

    /** Thrown to make the JDK server close the connection without an answer: it does so for any handler exception. */
    private static final class DroppedConnection extends IOException {
        DroppedConnection() {
            super("connection dropped by fault injection");
        }
    }

    private final SandboxContext ctx;
    private final ApiTraffic traffic;
    /** The response signer of the key ring's current key (made again after a rollover). */
    private volatile ResponseSignature signature;
    private final List<Route> routes = new ArrayList<>();

    /** @param developerApiKey the developer-portal app key that may register clients at /tpp-registration */
    public ApiHost(SandboxContext ctx, Bookings bookings, ApiTraffic traffic, String developerApiKey) {
        this.ctx = ctx;
        this.traffic = traffic;
        this.signature = new ResponseSignature(ctx.paymentsKeys().signingKey());
        TokenEndpoint token = new TokenEndpoint(ctx);
        RevocationEndpoint revocation = new RevocationEndpoint(ctx);
        RegistrationEndpoint registration = new RegistrationEndpoint(ctx, developerApiKey);
        PaymentsEndpoint payments = new PaymentsEndpoint(ctx);
        SubmissionsEndpoint submissions = new SubmissionsEndpoint(ctx, bookings);
        AuthorizationsEndpoint authorizations = new AuthorizationsEndpoint(ctx);
        route("POST", "/oauth/token", token::handle);
        route("POST", "/oauth/revoke", revocation::handle);
        route("POST", "/tpp-registration", registration::create);
        route("GET", "/tpp-registration/{clientId}", registration::read);
        route("PUT", "/tpp-registration/{clientId}", registration::update);
        route("DELETE", "/tpp-registration/{clientId}", registration::delete);
        route("POST", "/payments-psd2/v1/sepa-payments", payments::create);
        route("GET", "/payments-psd2/v1/sepa-payments/{paymentId}", payments::read);
        route("DELETE", "/payments-psd2/v1/sepa-payments/{paymentId}", payments::delete);
        route("PUT", "/payments-psd2/v1/sepa-payments/{paymentId}/submissions/{submissionId}", submissions::submit);
        route("GET", "/payments-psd2/v1/sepa-payments/{paymentId}/submissions/{submissionId}", submissions::read);
        route("GET", "/payments-psd2/v1/authorizations/{authorizationId}", authorizations::read);
        route("DELETE", "/payments-psd2/v1/authorizations/{authorizationId}", authorizations::revoke);
    }

    private void route(String method, String template, Function<ApiRequest, ApiResponse> endpoint) {
        routes.add(new Route(method, Pattern.compile(template.replaceAll("\\{[^}]+}", "([^/]+)")), endpoint));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String outcome = "dropped";
        traffic.request(exchange.getRemoteAddress());
        try {
            int stayAway = ctx.faults().retryAfterSecondsLeft();
            if (stayAway > 0) {
                traffic.tooEarly();
                ApiResponse refused = errorBody(429, "TECHNICAL", "too many requests: Retry-After was not over", null)
                        .withHeader("Retry-After", Integer.toString(stayAway));
                send(exchange, refused, null);
                outcome = "429 (within Retry-After)";
                return;
            }
            Optional<Faults.Fault> fault = ctx.faults().take(method, path);
            Faults.Kind kind = fault.map(Faults.Fault::kind).orElse(null);
            if (kind == Faults.Kind.DROP_CONNECTION) {
                throw new DroppedConnection();
            }
            if (kind == Faults.Kind.DELAY) {
                pause(fault.get());
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            ApiResponse response = kind == Faults.Kind.STATUS ? injected(fault.get()) : dispatch(exchange, method, path, body);
            if (kind == Faults.Kind.DROP_AFTER_PROCESSING) {
                throw new DroppedConnection();
            }
            // opened before the answer leaves: a client acting on it at once (or a test clearing the faults) finds it open
            if (kind == Faults.Kind.STATUS && fault.get().retryAfterSeconds() > 0) {
                ctx.faults().retryAfterGiven(fault.get().retryAfterSeconds());
            }
            send(exchange, response, kind);
            outcome = Integer.toString(response.status());
        } finally {
            traffic.answered();
            LOG.info("{} {} -> {}", method, path, outcome);
        }
    }

    private ApiResponse dispatch(HttpExchange exchange, String method, String path, byte[] body) {
        try {
            boolean pathKnown = false;
            for (Route route : routes) {
                Matcher m = route.path().matcher(path);
                if (!m.matches()) {
                    continue;
                }
                pathKnown = true;
                if (route.method().equals(method)) {
                    List<String> params = new ArrayList<>();
                    for (int i = 1; i <= m.groupCount(); i++) {
                        params.add(m.group(i));
                    }
                    return route.endpoint().apply(new ApiRequest(exchange.getRequestHeaders(), body, params,
                            ((HttpsExchange) exchange).getSSLSession()));
                }
            }
            throw pathKnown
                    ? new SandboxError(405, SandboxError.Type.VALIDATION, null, method + " is not allowed on " + path)
                    : new SandboxError(404, SandboxError.Type.VALIDATION, null, "no such resource: " + path);
        } catch (SandboxError e) {
            return errorBody(e.httpStatus(), e.type().name(), e.getMessage(), e.violation());
        } catch (OAuthError e) {
            return e.response();
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", method, path, e);
            return errorBody(500, "TECHNICAL", "internal error", null);
        }
    }

    /** OP's error body: {@code {"type", "message", "id"}} with the violations, when there is one. */
    private static ApiResponse errorBody(int status, String type, String message, String violation) {
        ObjectNode body = ApiJson.object().put("type", type).put("message", message).put("id", UUID.randomUUID().toString());
        if (violation != null) {
            ArrayNode violations = body.putArray("violations");
            violations.addObject().put("code", violation).put("message", message);
        }
        return ApiResponse.json(status, body);
    }

    private static ApiResponse injected(Faults.Fault fault) {
        ApiResponse response = errorBody(fault.status(), fault.status() >= 500 || fault.status() == 429 ? "TECHNICAL" : "BUSINESS",
                fault.message() != null ? fault.message()
                        : fault.status() == 429 ? "too many requests" : "service temporarily unavailable", null);
        return fault.retryAfterSeconds() > 0
                ? response.withHeader("Retry-After", Integer.toString(fault.retryAfterSeconds()))
                : response;
    }

    private void send(HttpExchange exchange, ApiResponse response, Faults.Kind fault) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        response.headers().forEach(headers::set);
        String interactionId = exchange.getRequestHeaders().getFirst("x-fapi-interaction-id");
        headers.set("x-fapi-interaction-id", interactionId != null ? interactionId : UUID.randomUUID().toString());
        byte[] body = response.body();
        if (body.length > 0) {
            headers.set("Content-Type", "application/json");
        }
        if (response.signed() && fault != Faults.Kind.MISSING_RESPONSE_SIGNATURE) {
            ResponseSignature signer = signer();
            headers.set("x-jws-signature",
                    fault == Faults.Kind.BAD_RESPONSE_SIGNATURE ? signer.spoiled(body) : signer.sign(body));
        }
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    private ResponseSignature signer() {
        ResponseSignature current = signature;
        if (!current.signs(ctx.paymentsKeys().signingKey())) {
            current = new ResponseSignature(ctx.paymentsKeys().signingKey());
            signature = current;
        }
        return current;
    }

    private static void pause(Faults.Fault fault) throws IOException {
        try {
            Thread.sleep(fault.delay().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during an injected delay", e);
        }
    }
}
