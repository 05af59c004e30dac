package org.pisbridge.bankdoc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The TPP's web pages a customer's browser meets: a start page that redirects to the bank's authorize URL, and
 * the registered callback page. For a fragment response the callback page carries the post-back form a TPP serves
 * so its script can hand the fragment to the server. Loopback only.
 */
final class TppFrontDoor implements AutoCloseable {
    private static final String START = "/start";
    private static final String CALLBACK = "/oauth/access_token";

    private final HttpServer server;

    private TppFrontDoor(HttpServer server) {
        this.server = server;
    }

    static TppFrontDoor start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext(START, TppFrontDoor::redirectToBank);
            server.createContext(CALLBACK, TppFrontDoor::callbackPage);
            server.start();
            return new TppFrontDoor(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The redirect URI to register at the bank. */
    String callbackUri() {
        return "http://localhost:" + server.getAddress().getPort() + CALLBACK;
    }

    /** Where the TPP sends its customer to begin authorizing at {@code authorizeUrl}. */
    URI startUrl(URI authorizeUrl) {
        return URI.create("http://localhost:" + server.getAddress().getPort() + START + "?to="
                + java.net.URLEncoder.encode(authorizeUrl.toString(), StandardCharsets.UTF_8));
    }

    private static void redirectToBank(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String target = URLDecoder.decode(query.substring(query.indexOf("to=") + 3), StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Location", target);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private static void callbackPage(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] page = ("<!DOCTYPE html><html><body><form method=\"post\" action=\"" + CALLBACK + "\">"
                + "<input type=\"hidden\" name=\"state\"><input type=\"hidden\" name=\"code\">"
                + "<input type=\"hidden\" name=\"id_token\"></form></body></html>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, page.length);
        exchange.getResponseBody().write(page);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
