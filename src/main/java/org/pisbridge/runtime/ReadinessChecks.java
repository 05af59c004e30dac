package org.pisbridge.runtime;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.pisbridge.bank.BankConnection;
import org.pisbridge.bank.BankTls;

/**
 * What the runtime needs to do its work, as Camel health checks of readiness (not liveness: a bank
 * or broker outage delays payments, restarting the runtime would not help): the store, the broker
 * over the runtime's own cached connection (no new connection per probe), the bank's API host
 * (a TCP connect), the client certificate's validity and the bank's two JWKS. The checks that reach
 * the bank keep their answer for {@code pis.health.bank-check-seconds}, so probes never hammer it.
 */
public final class ReadinessChecks {
    private ReadinessChecks() {
    }

    static List<HealthCheck> of(DataSource dataSource, ConnectionFactory producers, BankConnection bank, Duration bankCheckEvery,
                                Clock clock) {
        return List.of(
                new Readiness("database", b -> {
                    try (var c = dataSource.getConnection()) {
                        if (!c.isValid(2)) {
                            b.down().message("connection not valid");
                            return;
                        }
                    }
                    b.up();
                }),
                new Readiness("broker", b -> {
                    Connection shared = producers.createConnection();
                    shared.start();
                    b.up();
                }),
                new Readiness("bank", remembered(bankCheckEvery, clock, b -> {
                    URI api = URI.create(bank.settings().apiUrl());
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(api.getHost(), api.getPort() > 0 ? api.getPort() : 443), 3000);
                    }
                    b.up().detail("host", api.getHost());
                })),
                new Readiness("client-certificate", b -> {
                    X509Certificate certificate = BankTls.clientCertificate(bank.settings(), bank.credentials());
                    Instant notAfter = certificate.getNotAfter().toInstant();
                    long days = Duration.between(clock.instant(), notAfter).toDays();
                    b.detail("valid-to", notAfter.toString()).detail("days-left", days);
                    if (clock.instant().isAfter(notAfter)) {
                        b.down().message("the mTLS client certificate expired");
                    } else {
                        b.up();
                        if (days <= bank.settings().certificateWarningPeriod().toDays()) {
                            b.message("the mTLS client certificate expires in " + days + " days");
                        }
                    }
                }),
                new Readiness("bank-jwks", remembered(bankCheckEvery, clock, b -> {
                    HttpClient http = HttpClient.newBuilder().sslContext(bank.tls()).connectTimeout(Duration.ofSeconds(3)).build();
                    for (String url : List.of(bank.settings().paymentsJwksUrl(), bank.settings().idTokenJwksUrl())) {
                        int status = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status != 200) {
                            b.down().message(url + " answered HTTP " + status);
                            return;
                        }
                    }
                    b.up();
                })));
    }

    private interface Probe {
        void check(HealthCheckResultBuilder builder) throws Exception;
    }

    /** A probe whose last answer stands for {@code every}. */
    private static Probe remembered(Duration every, Clock clock, Probe probe) {
        return new Probe() {
            private Instant at = Instant.MIN;
            private HealthCheck.State state;
            private String message;
            private Map<String, Object> details;

            @Override
            public synchronized void check(HealthCheckResultBuilder b) throws Exception {
                if (state == null || clock.instant().isAfter(at.plus(every))) {
                    try {
                        probe.check(b);
                    } catch (Exception e) {
                        b.down().message(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                    }
                    at = clock.instant();
                    state = b.state();
                    message = b.message();
                    details = Map.copyOf(b.build().getDetails());
                }
                b.state(state).message(message).details(details);
            }
        };
    }

    /** A readiness check in group "pis"; a probe that throws reports DOWN with the failure's kind and message. */
    private static final class Readiness extends AbstractHealthCheck {
        private final Probe probe;

        Readiness(String id, Probe probe) {
            super("pis", id);
            this.probe = probe;
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            try {
                probe.check(builder);
            } catch (Exception e) {
                builder.down().message(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
        }
    }
}
