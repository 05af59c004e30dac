package org.pisbridge.sandbox.authorize;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TPP's web front in a few lines, on plain http://localhost: {@code /start} sets the TPP's own
 * session cookie and redirects to the bank's authorize URL; {@code /callback} takes {@code ?query}
 * answers, and for fragment answers serves the page whose script would post the fragment back.
 */
final class TestTpp implements AutoCloseable {
    /** One call of the callback as the TPP saw it. */
    record Callback(String method, Map<String, String> parameters, String cookie) {
    }

    static final String FRAGMENT_PAGE = """
            <!DOCTYPE html>
            <html><head><title>Completing authorization</title></head>
            <body>
            <form id="callback" method="post" action="/callback">
              <input type="hidden" name="state">
              <input type="hidden" name="code">
              <input type="hidden" name="id_token">
            </form>
            <script>
              const answer = new URLSearchParams(location.hash.substring(1));
              const form = document.getElementById('callback');
              for (const name of ['state', 'code', 'id_token']) form.elements[name].value = answer.get(name);
              form.submit();
            </script>
            </body></html>
            """;

    final List<Callback> callbacks = new CopyOnWriteArrayList<>();
    final String baseUrl;
    final String callbackUri;
    private final HttpServer server;
    private final TestBank bank;

    TestTpp(TestBank bank) throws IOException {
        this.bank = bank;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        baseUrl = "http://localhost:" + server.getAddress().getPort();
        callbackUri = baseUrl + "/callback";
        server.createContext("/start", this::start);
        server.createContext("/callback", this::callback);
        server.createContext("/done", exchange -> send(exchange, 200, "authorization complete"));
        server.start();
    }

    /** {@code /start?authorizationId=..&responseType=..}. */
    private void start(HttpExchange exchange) throws IOException {
        Map<String, String> query = Browser.parameters(exchange.getRequestURI().getRawQuery());
        String responseType = query.get("responseType");
        try {
            String request = bank.sign(TestBank.requestClaims(query.get("authorizationId"), responseType, callbackUri)
                    .build());
            exchange.getResponseHeaders().add("Set-Cookie", "tpp_session=" + UUID.randomUUID() + "; Path=/; HttpOnly");
            exchange.getResponseHeaders().set("Location",
                    bank.authorizeUrl(request, responseType, TestBank.CLIENT_ID, "openid payments").toString());
            send(exchange, 302, "");
        } catch (Exception e) {
            send(exchange, 500, e.toString());
        }
    }

    private void callback(HttpExchange exchange) throws IOException {
        String cookie = exchange.getRequestHeaders().getFirst("Cookie");
        if (exchange.getRequestMethod().equals("POST")) {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII);
            callbacks.add(new Callback("POST", Browser.parameters(form), cookie));
            exchange.getResponseHeaders().set("Location", "/done");
            send(exchange, 303, "");
        } else if (exchange.getRequestURI().getRawQuery() == null) {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            send(exchange, 200, FRAGMENT_PAGE);
        } else {
            callbacks.add(new Callback("GET", Browser.parameters(exchange.getRequestURI().getRawQuery()), cookie));
            send(exchange, 200, "callback received");
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
