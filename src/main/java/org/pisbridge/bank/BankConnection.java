package org.pisbridge.bank;

import com.nimbusds.jose.jwk.JWKSet;
import java.time.Instant;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.pisbridge.jose.BankKeys;
import org.pisbridge.jose.TppSigningKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything needed to talk to the bank, loaded once on first use: the credentials file, the
 * mTLS key and trust stores, the TPP signing key and the bank's two JWKS. Loading on first use
 * lets a runtime with {@code pis.bank.enabled=false} start without any bank material;
 * {@link #check()} loads it all at start-up otherwise, so a missing file stops the start.
 */
public final class BankConnection {
    private static final Logger LOG = LoggerFactory.getLogger(BankConnection.class);
    private final BankSettings settings;
    private final Supplier<BankCredentials> credentials;
    private final Supplier<SSLContext> tls;
    private final Supplier<TppSigningKey> signingKey;
    private final Supplier<BankKeys> paymentKeys;
    private final Supplier<BankKeys> idTokenKeys;

    public BankConnection(BankSettings settings, CamelContext camel) {
        this.settings = settings;
        this.credentials = once(() -> BankCredentials.load(settings.credentialsFile()));
        this.tls = once(() -> BankTls.context(BankTls.parameters(settings, credentials()), camel));
        this.signingKey = once(() -> TppSigningKey.load(settings.signingKey(), settings.signingKeyPassword(),
                settings.signingKeyAlias(), credentials().signingKid()));
        this.paymentKeys = once(() -> new BankKeys(settings.paymentsJwksUrl(), tls()));
        this.idTokenKeys = once(() -> new BankKeys(settings.idTokenJwksUrl(), tls()));
    }

    public BankSettings settings() {
        return settings;
    }

    public BankCredentials credentials() {
        return credentials.get();
    }

    public SSLContext tls() {
        return tls.get();
    }

    /**
     * The TLS parameters for Camel's http endpoints ({@code sslContextParameters=#bankTls}),
     * handing out this connection's one SSL context.
     */
    public SSLContextParameters tlsParameters() {
        return new SSLContextParameters() {
            @Override
            public SSLContext createSSLContext(CamelContext context) {
                return tls();
            }
        };
    }

    public TppSigningKey signingKey() {
        return signingKey.get();
    }

    /** The JWKS document of the signing key's public half only, as {@code /jwks.json} serves it. */
    public String publishedJwks() {
        return new JWKSet(signingKey().publicJwk()).toString(true);
    }

    public BankKeys paymentKeys() {
        return paymentKeys.get();
    }

    public BankKeys idTokenKeys() {
        return idTokenKeys.get();
    }

    /**
     * Loads every file now, so a mistake stops the start-up with the file named, and checks the
     * client certificate's validity.
     */
    public void check() {
        credentials();
        tls();
        signingKey();
        CertificateExpiry.warning(BankTls.clientCertificate(settings, credentials()), Instant.now(),
                settings.certificateWarningPeriod()).ifPresent(LOG::warn);
    }

    private static <T> Supplier<T> once(Supplier<T> loader) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = loader.get();
                }
                return value;
            }
        };
    }
}
