package org.pisbridge.bank;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.pisbridge.jose.BankKeys;
import org.pisbridge.jose.TppSigningKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything needed to talk to the bank, loaded once on first use: the credentials file, the
 * mTLS key and trust stores, the TPP signing key and the bank's two JWKS. The runtime calls
 * {@link #check()} at start-up, so a missing or unusable file stops the start with the file named;
 * commands load only what they use.
 */
public final class BankConnection {
    /** Errors that refuse this client's request at the authorize endpoint (RFC 6749 4.1.2.1, RFC 9101 6.3). */
    private static final Set<String> REQUEST_REFUSALS = Set.of("invalid_request", "invalid_request_object", "unauthorized_client");
    /** Words in such a refusal that point at the request object's signature or audience. */
    private static final Pattern ABOUT_THE_SIGNATURE = Pattern.compile("(?i)sign|kid|key|aud|jwks");

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
        this.signingKey = once(() -> acceptedByTheBank(TppSigningKey.load(settings.signingKey(),
                settings.signingKeyPassword(), settings.signingKeyAlias(),
                settings.signingKid() != null ? settings.signingKid() : credentials().signingKid())));
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
        audienceWarning(settings).ifPresent(LOG::warn);
    }

    /**
     * OP's workflow addresses request objects and exemption requests to the API host URL: any
     * other audience makes the bank refuse every SCA, so it is named at start-up.
     */
    static Optional<String> audienceWarning(BankSettings settings) {
        URI api = URI.create(settings.apiUrl());
        String host = api.getScheme() + "://" + api.getAuthority();
        String audience = settings.audience().replaceAll("/+$", "");
        return audience.equals(host) ? Optional.empty() : Optional.of("pis.bank.audience " + audience
                + " is not the API host " + host + ": a bank following OP's workflow refuses request objects whose aud"
                + " is not its API host URL (set pis.bank.audience, or choose the bank's profile)");
    }

    /**
     * What a bank refusing this client's signed requests most often means: it verifies with a key
     * that is not this signing key, or the request object is addressed to another audience.
     */
    public String signedRequestHint() {
        TppSigningKey key = signingKey();
        String thumbprint;
        try {
            thumbprint = key.publicJwk().computeThumbprint().toString();
        } catch (JOSEException e) {
            thumbprint = "?";
        }
        return "check that the bank knows this client's signing key, kid " + key.kid() + " (JWK thumbprint " + thumbprint
                + "; `pis-bridge keys` prints it, `pis-bridge register --update` sends it), and that pis.bank.audience ("
                + settings.audience() + ") is the audience the bank expects";
    }

    /**
     * What to check when the bank sends an SCA attempt back with {@code error}: the signing key and
     * audience ({@link #signedRequestHint()}) when the bank refused this client's request object for
     * its signature or audience, read from the bank's own {@code description}; null otherwise (the
     * bank's words say enough).
     */
    public String requestObjectHint(String error, String description) {
        return REQUEST_REFUSALS.contains(error) && description != null && ABOUT_THE_SIGNATURE.matcher(description).find()
                ? signedRequestHint() : null;
    }

    /**
     * What to check when the bank answers a call with HTTP 401, from the words of its error body: a
     * refused {@code x-api-key}, an access token it no longer honours and an unknown client are set-up
     * matters of their own; anything else (a refused {@code x-jws-signature}, request object) is the
     * signing key or the audience ({@link #signedRequestHint()}). Names files and settings, never a
     * secret's value.
     */
    public String unauthorizedHint(String errorBody) {
        String body = errorBody == null ? "" : errorBody.toLowerCase(java.util.Locale.ROOT);
        if (body.contains("api-key") || body.contains("api key") || body.contains("apikey") || body.contains("api_key")) {
            return "the bank refused the API key (x-api-key): check api-key in " + settings.credentialsFile()
                    + " (pis-bridge register stores the one the bank returns at registration)";
        }
        if (body.contains("financial-id")) {
            return "the bank refused x-fapi-financial-id: check pis.bank.financial-id (" + settings.financialId() + ")";
        }
        if (body.contains("invalid_client") || body.contains("unknown client") || body.contains("client_id")) {
            return "the bank does not know this client: check client-id and client-secret in " + settings.credentialsFile()
                    + " (pis-bridge register --show reads the registration; pis-bridge register registers it anew)";
        }
        if (body.contains("access token") || body.contains("invalid_token") || body.contains("bearer")) {
            return "the bank refused the access token (expired, revoked, or of another client): a new token is"
                    + " fetched on the next try; if it persists, check that client-id in " + settings.credentialsFile()
                    + " is the registered client";
        }
        return signedRequestHint();
    }

    /** The bank verifies only the algorithms its profile names: a key signing another one is refused before any call. */
    private TppSigningKey acceptedByTheBank(TppSigningKey key) {
        if (!settings.signingAlgorithms().contains(key.algorithm().getName())) {
            throw new IllegalStateException("Signing key " + settings.signingKey() + " signs " + key.algorithm()
                    + ", which the bank does not accept (pis.bank.signing-algorithms: "
                    + String.join(", ", settings.signingAlgorithms()) + ")");
        }
        return key;
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
