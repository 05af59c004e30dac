package org.pisbridge.sandbox.authorize;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.pisbridge.sandbox.Faults;
import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.SandboxKeys;
import org.pisbridge.sandbox.SandboxSettings;
import org.pisbridge.sandbox.SandboxState;
import org.pisbridge.sandbox.model.RegisteredClient;
import org.pisbridge.sandbox.model.SandboxAuthorization;
import org.pisbridge.sandbox.model.SandboxPayment;

/**
 * The authorize host on a real HTTPS port, with a ledger filled by hand: what the sandbox core will
 * assemble once both branches are merged. One registered client signs its request objects with an
 * EC key; a second client exists so that "someone else's" authorizations can be tried.
 */
final class TestBank implements AutoCloseable {
    static final String API_BASE_URL = "https://mtls-apis.sandbox.test";
    static final String CLIENT_ID = "tpp-client-1";
    static final String OTHER_CLIENT_ID = "tpp-client-2";
    static final String REDIRECT_URI = "https://tpp.example/callback";
    static final String PAYER = "FI4950009420028730";

    final ECKey clientKey;
    final ECKey otherClientKey;
    final SSLContext trust;
    final SandboxContext ctx;
    final RegisteredClient client;
    final String baseUrl;
    private final HttpsServer server;

    TestBank() throws Exception {
        this(JWSAlgorithm.RS256);
    }

    /** A bank that signs ID tokens with {@code idTokenAlgorithm} (RS256 as OP, or ES256). */
    TestBank(JWSAlgorithm idTokenAlgorithm) throws Exception {
        clientKey = new ECKeyGenerator(Curve.P_256).keyID("tpp-sign-1").generate();
        RSAKey idTokenKey = new RSAKeyGenerator(2048).keyID("bank-id-token-1").generate();
        ECKey paymentsKey = new ECKeyGenerator(Curve.P_256).keyID("bank-payments-1").generate();

        KeyPair tlsKeys = KeyPairGenerator.getInstance("EC").generateKeyPair();
        X509Certificate certificate = selfSigned(tlsKeys);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("server", tlsKeys.getPrivate(), new char[0], new X509Certificate[] {certificate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, new char[0]);
        SSLContext serverSsl = SSLContext.getInstance("TLS");
        serverSsl.init(kmf.getKeyManagers(), null, null);

        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("server", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore);
        trust = SSLContext.getInstance("TLS");
        trust.init(null, tmf.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverSsl) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = serverSsl.getDefaultSSLParameters();
                ssl.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                params.setSSLParameters(ssl);
            }
        });
        baseUrl = "https://localhost:" + server.getAddress().getPort();

        SandboxSettings settings = SandboxSettings.defaults(Path.of("target", "unused-sandbox-data"))
                .withIdTokenAlgorithm(idTokenAlgorithm);
        ctx = new SandboxContext(settings, new SandboxKeys(serverSsl, idTokenKey, paymentsKey), new SandboxState(),
                new Faults(), Clock.systemUTC(), API_BASE_URL, baseUrl);
        client = register(CLIENT_ID, clientKey);
        otherClientKey = new ECKeyGenerator(Curve.P_256).keyID("tpp-sign-2").generate();
        register(OTHER_CLIENT_ID, otherClientKey);

        new AuthorizeEndpoints(ctx).mount(server);
        server.start();
    }

    private RegisteredClient register(String clientId, ECKey key) {
        RegisteredClient registered = new RegisteredClient();
        registered.clientId = clientId;
        registered.redirectUris = List.of(REDIRECT_URI);
        registered.jwks = new JWKSet(key.toPublicJWK());
        registered.metadata = Map.of("client_name", "Test TPP " + clientId);
        ctx.state().clients.put(clientId, registered);
        return registered;
    }

    void addRedirectUri(String redirectUri) {
        List<String> uris = new ArrayList<>(client.redirectUris);
        uris.add(redirectUri);
        client.redirectUris = uris;
    }

    /** A fresh Unauthorized authorization of {@code clientId} with two payments from {@code payer}. */
    SandboxAuthorization authorization(String clientId, String payer) {
        SandboxAuthorization authorization = new SandboxAuthorization();
        authorization.authorizationId = UUID.randomUUID().toString();
        authorization.clientId = clientId;
        authorization.payerIban = payer;
        authorization.created = Instant.now();
        authorization.paymentIds.add(payment(authorization, "Acme Supplies Oy", "FI2112345600000785", "120.50", "Invoice 1001"));
        authorization.paymentIds.add(payment(authorization, "Berg & Söner <AB>", "SE4550000000058398257466", "79.45", "Invoice 1002"));
        ctx.state().authorizations.put(authorization.authorizationId, authorization);
        return authorization;
    }

    SandboxAuthorization authorization() {
        return authorization(CLIENT_ID, PAYER);
    }

    private String payment(SandboxAuthorization authorization, String payeeName, String payeeIban, String amount,
                           String message) {
        SandboxPayment payment = new SandboxPayment();
        payment.paymentId = UUID.randomUUID().toString();
        payment.authorizationId = authorization.authorizationId;
        payment.clientId = authorization.clientId;
        payment.payerIban = authorization.payerIban;
        payment.payeeIban = payeeIban;
        payment.payeeName = payeeName;
        payment.amountEUR = new BigDecimal(amount);
        payment.message = message;
        payment.created = Instant.now();
        ctx.state().payments.put(payment.paymentId, payment);
        return payment.paymentId;
    }

    SandboxPayment payment(String paymentId) {
        return ctx.state().payments.get(paymentId);
    }

    /** The claims of a valid default-flow request object for {@code authorizationId}, as the document's example. */
    static JWTClaimsSet.Builder requestClaims(String authorizationId, String responseType, String redirectUri) {
        return new JWTClaimsSet.Builder()
                .audience(API_BASE_URL)
                .issuer(CLIENT_ID)
                .claim("response_type", responseType)
                .claim("client_id", CLIENT_ID)
                .claim("redirect_uri", redirectUri)
                .claim("scope", "openid payments")
                .claim("state", UUID.randomUUID().toString())
                .claim("nonce", UUID.randomUUID().toString())
                .claim("max_age", 86400)
                .claim("claims", Map.of(
                        "userinfo", Map.of("authorizationId", Map.of("value", authorizationId, "essential", true)),
                        "id_token", Map.of(
                                "authorizationId", Map.of("value", authorizationId, "essential", true),
                                "acr", Map.of("essential", true, "values", List.of("urn:openbanking:psd2:sca")))));
    }

    String sign(JWTClaimsSet claims) throws JOSEException {
        return sign(claims, clientKey);
    }

    static String sign(JWTClaimsSet claims, ECKey key) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(JOSEObjectType.JWT).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    /** The authorize URL for a request object built from the valid claims with {@code tweak} applied. */
    URI authorizeUrl(String authorizationId, String responseType, Consumer<JWTClaimsSet.Builder> tweak)
            throws JOSEException {
        JWTClaimsSet.Builder claims = requestClaims(authorizationId, responseType, REDIRECT_URI);
        tweak.accept(claims);
        return authorizeUrl(sign(claims.build()), responseType, CLIENT_ID, "openid payments");
    }

    URI authorizeUrl(String request, String responseType, String clientId, String scope) {
        return URI.create(baseUrl + "/oauth/authorize?request=" + encode(request)
                + "&response_type=" + encode(responseType) + "&client_id=" + encode(clientId)
                + "&scope=" + encode(scope));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static X509Certificate selfSigned(KeyPair keys) throws Exception {
        X500Name name = new X500Name("CN=localhost");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), name, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
