package org.pisbridge.sandbox;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * JWK sets clients publish at their registered {@code jwks_uri}, fetched over HTTPS with the sandbox's
 * trust and cached for a few minutes. The cache is shared by every {@link ClientSignatures}, which
 * are made freely per request.
 */
final class RemoteJwks {
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();

    private record Cached(JWKSet jwks, Instant fetchedAt) {
    }

    private final SSLContext trust;
    private final Clock clock;
    private volatile HttpClient http;

    RemoteJwks(SSLContext trust, Clock clock) {
        this.trust = trust;
        this.clock = clock;
    }

    /** The cached set, fetched when absent, stale, or when {@code refresh} asks (an unknown kid: keys rotate). */
    JWKSet get(String uri, boolean refresh) {
        Cached cached = CACHE.get(uri);
        if (!refresh && cached != null && clock.instant().isBefore(cached.fetchedAt().plus(TTL))) {
            return cached.jwks();
        }
        JWKSet fetched = fetch(uri);
        CACHE.put(uri, new Cached(fetched, clock.instant()));
        return fetched;
    }

    private JWKSet fetch(String uri) {
        try {
            HttpResponse<String> response = client().send(
                    HttpRequest.newBuilder(URI.create(uri)).timeout(TIMEOUT).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw SandboxError.security("the client's jwks_uri answered HTTP " + response.statusCode());
            }
            return JWKSet.parse(response.body());
        } catch (IOException | ParseException e) {
            throw SandboxError.security("the client's jwks_uri " + uri + " cannot be read: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SandboxError.security("interrupted while fetching the client's jwks_uri");
        }
    }

    private HttpClient client() {
        HttpClient c = http;
        if (c == null) {
            synchronized (this) {
                if (http == null) {
                    http = HttpClient.newBuilder().sslContext(trust).connectTimeout(TIMEOUT).build();
                }
                c = http;
            }
        }
        return c;
    }
}
