package org.pisbridge.sandbox;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.pisbridge.sandbox.api.ApiHost;
import org.pisbridge.sandbox.api.Bookings;
import org.pisbridge.sandbox.authorize.AuthorizeEndpoints;
import org.pisbridge.sandbox.model.RegisteredClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox bank: an OP-compatible PSD2 PIS simulator on two HTTPS hosts, as OP runs them.
 * <ul>
 *   <li>API host (mTLS, client certificates of the sandbox CA only): token, revocation, registration,
 *       payments, submissions, authorizations</li>
 *   <li>authorize host (TLS): the login and consent pages, the JWKS documents</li>
 * </ul>
 * Both accept TLS 1.2 and 1.3 only.
 */
public final class SandboxBank implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxBank.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** Requests each host serves at once: above any client's calls in flight (pis.bank.max-in-flight), as a real bank's are. */
    private static final int THREADS = 64;
    private static final int QUEUE = 1000;

    static {
        // as a bank's servers do: the JDK's HTTP server otherwise leaves Nagle's algorithm on, and an
        // answer written in two TLS records then waits for the client's delayed ACK (up to 40 ms a call)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final SandboxContext ctx;
    private final TppMaterial tpp;
    private final Bookings bookings;
    private final ApiTraffic traffic;
    private final HttpsServer api;
    private final HttpsServer authorize;
    private final ThreadPoolExecutor apiThreads;
    private final ThreadPoolExecutor authorizeThreads;
    private final SandboxJournal journal;

    private SandboxBank(SandboxContext ctx, TppMaterial tpp, Bookings bookings, ApiTraffic traffic, HttpsServer api,
                        HttpsServer authorize, ThreadPoolExecutor apiThreads, ThreadPoolExecutor authorizeThreads,
                        SandboxJournal journal) {
        this.ctx = ctx;
        this.tpp = tpp;
        this.bookings = bookings;
        this.traffic = traffic;
        this.api = api;
        this.authorize = authorize;
        this.apiThreads = apiThreads;
        this.authorizeThreads = authorizeThreads;
        this.journal = journal;
    }

    public static SandboxBank start(SandboxSettings settings) {
        try {
            Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the sandbox data dir " + settings.dataDir(), e);
        }
        SandboxPki pki = SandboxPki.open(settings);
        SandboxState state = new SandboxState();
        SandboxJournal journal = settings.persistent() ? SandboxJournal.open(settings.dataDir(), state) : null;
        RegisteredClient provisioned = ProvisionedClient.of(pki.tpp(), settings.provisionedRedirectUris());
        state.clients.put(provisioned.clientId, provisioned);
        Bookings bookings = Bookings.of(state);

        HttpsServer api = bind("API", settings.host(), settings.apiPort());
        HttpsServer authorize;
        try {
            authorize = bind("authorize", settings.host(), settings.authorizePort());
        } catch (RuntimeException e) {
            api.stop(0);
            throw e;
        }
        SSLContext ssl = pki.keys().serverSsl();
        api.setHttpsConfigurator(tls(ssl, true));
        authorize.setHttpsConfigurator(tls(ssl, false));

        SandboxContext ctx = new SandboxContext(settings, pki.keys(), state, new Faults(), Clock.systemUTC(),
                baseUrl(settings.host(), api), baseUrl(settings.host(), authorize));
        ApiTraffic traffic = new ApiTraffic();
        api.createContext("/", new ApiHost(ctx, bookings, traffic, pki.tpp().apiKey()));
        new AuthorizeEndpoints(ctx).mount(authorize);

        ThreadPoolExecutor apiThreads = threads("sandbox-api");
        ThreadPoolExecutor authorizeThreads = threads("sandbox-authorize");
        api.setExecutor(apiThreads);
        authorize.setExecutor(authorizeThreads);
        api.start();
        authorize.start();
        LOG.info("Sandbox bank started: API {} (mTLS), authorize {}, data {}", ctx.apiBaseUrl(), ctx.authorizeBaseUrl(),
                settings.dataDir());
        return new SandboxBank(ctx, pki.tpp(), bookings, traffic, api, authorize, apiThreads, authorizeThreads, journal);
    }

    /** e.g. {@code https://localhost:8443}, with the bound port when 0 was asked for. */
    public String apiBaseUrl() {
        return ctx.apiBaseUrl();
    }

    public String authorizeBaseUrl() {
        return ctx.authorizeBaseUrl();
    }

    public Faults faults() {
        return ctx.faults();
    }

    public SandboxState state() {
        return ctx.state();
    }

    public SandboxKeys keys() {
        return ctx.keys();
    }

    /** The payments JWKS as published now (every key that has signed responses). */
    public com.nimbusds.jose.jwk.JWKSet paymentsJwks() {
        return ctx.paymentsKeys().jwks();
    }

    /** A rollover of the response-signing key, as a bank does it: the new key signs; all stay published. */
    public String rollOverPaymentsKey() {
        return ctx.paymentsKeys().rollOver();
    }

    /**
     * A rollover of the ID-token signing key, of the algorithm the settings name: the new key signs; all
     * stay published.
     */
    public String rollOverIdTokenKey() {
        return ctx.idTokenKeys().rollOver();
    }

    /** Every request object accepted at {@code GET /oauth/authorize}, oldest first. */
    public List<AuthorizeRequestSeen> authorizeRequests() {
        return ctx.state().authorizeRequests();
    }

    public TppMaterial tpp() {
        return tpp;
    }

    public SandboxContext context() {
        return ctx;
    }

    /** The requests and connections the API host has seen. */
    public ApiTraffic apiTraffic() {
        return traffic;
    }

    /** How many times the payment was booked by a submission: 0 or 1, whatever the TPP retried. */
    public int bookings(String paymentId) {
        return bookings.count(paymentId);
    }

    @Override
    public void close() {
        api.stop(0);
        authorize.stop(0);
        apiThreads.shutdownNow();
        authorizeThreads.shutdownNow();
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                LOG.warn("Sandbox ledger did not close cleanly", e);
            }
        }
        LOG.info("Sandbox bank stopped");
    }

    private static HttpsServer bind(String name, String host, int port) {
        try {
            return HttpsServer.create(new InetSocketAddress(host, port), 128);
        } catch (BindException e) {
            throw new IllegalStateException("Sandbox bank " + name + " host cannot bind " + host + ":" + port
                    + ": port already in use", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Sandbox bank " + name + " host cannot bind " + host + ":" + port, e);
        }
    }

    private static HttpsConfigurator tls(SSLContext ssl, boolean needClientAuth) {
        return new HttpsConfigurator(ssl) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = ssl.getDefaultSSLParameters();
                parameters.setProtocols(PROTOCOLS);
                parameters.setNeedClientAuth(needClientAuth);
                params.setSSLParameters(parameters);
            }
        };
    }

    /** Bounded: under overload the dispatcher thread runs the request itself, which slows accepting down. */
    private static ThreadPoolExecutor threads(String name) {
        AtomicInteger number = new AtomicInteger();
        return new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, name + "-" + number.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    private static String baseUrl(String host, HttpsServer server) {
        return "https://" + host + ":" + server.getAddress().getPort();
    }
}
