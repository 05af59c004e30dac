package org.pisbridge.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyConverter;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.Key;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * A bank's published public keys (a JWKS URL), cached, fetched again once when a signature
 * names a kid the cache does not know. Only RS256 and ES256 (and PS256) are accepted: never
 * {@code none}, never a MAC.
 */
public final class BankKeys {
    public static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256);

    /** The shortest time between two fetches of the JWKS. */
    public static final long REFETCH_INTERVAL_MS = 5_000;

    private final String url;
    private final JWKSource<SecurityContext> source;
    /** EC verification through BouncyCastle: about five times faster than the JDK's provider here (see README). */
    private final DefaultJWSVerifierFactory factory = new DefaultJWSVerifierFactory();
    private final java.util.Map<KeyUse, JWSVerifier> verifiers = new java.util.concurrent.ConcurrentHashMap<>();

    public BankKeys(String jwksUrl, SSLContext tls) {
        this.url = jwksUrl;
        DefaultResourceRetriever retriever =
                new DefaultResourceRetriever(5_000, 5_000, 512 * 1024, true, tls.getSocketFactory());
        try {
            // a kid the cache does not know (the bank rolled its key over) fetches the JWKS again, at most every 5 s
            this.source = JWKSourceBuilder.create(new URL(jwksUrl), retriever)
                    .retrying(true)
                    .rateLimited(REFETCH_INTERVAL_MS)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("JWKS URL " + jwksUrl + " is not a URL");
        }
        factory.getJCAContext().setProvider(BouncyCastleProviderSingleton.getInstance());
    }

    public JWKSource<SecurityContext> source() {
        return source;
    }

    /** Returns when {@code jws} is signed by one of the bank's keys with an allowed algorithm. */
    public void verify(JWSObject jws, String what) throws SignatureException {
        verify(jws.getHeader(), what, verifier -> jws.verify(verifier));
    }

    /** Returns when the detached signature over the body it came with is one of the bank's, with an allowed algorithm. */
    public void verify(DetachedJws.Attached signed, String what) throws SignatureException {
        verify(signed.header(), what, signed::verifiedBy);
    }

    @FunctionalInterface
    private interface Check {
        boolean passes(JWSVerifier verifier) throws JOSEException;
    }

    private void verify(JWSHeader header, String what, Check check) throws SignatureException {
        if (!ALLOWED.contains(header.getAlgorithm())) {
            throw new SignatureException(what + " uses algorithm " + header.getAlgorithm() + ", which is not allowed");
        }
        List<JWK> keys;
        try {
            // what the bank publishes now (a kid it does not know fetches the set again): a key it withdrew is never used
            keys = source.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), null);
        } catch (KeySourceException e) {
            throw new SignatureException(what + ": bank keys at " + url + " cannot be fetched: " + e.getMessage());
        }
        if (keys.isEmpty()) {
            throw new SignatureException(what + " names key " + header.getKeyID() + ", unknown at " + url);
        }
        for (JWK key : keys) {
            try {
                if (check.passes(verifier(header, key))) {
                    return;
                }
            } catch (JOSEException e) {
                // try the next key with this kid, if any
            }
        }
        throw new SignatureException(what + " does not verify with the bank's key " + header.getKeyID());
    }

    /** A published key as used with one algorithm. */
    private record KeyUse(JWSAlgorithm algorithm, JWK key) {
    }

    /**
     * The verifier of a published key, made once: the key in BouncyCastle's own form, whose point
     * keeps the precomputation BouncyCastle makes at its first verification (a key converted anew
     * each time loses it: most of the cost of an ES256 verification). A few keys at most; cleared
     * should the bank publish more.
     */
    private JWSVerifier verifier(JWSHeader header, JWK jwk) throws JOSEException {
        KeyUse use = new KeyUse(header.getAlgorithm(), jwk);
        JWSVerifier known = verifiers.get(use);
        if (known != null) {
            return known;
        }
        PublicKey key = KeyConverter.toJavaKeys(List.of(jwk)).stream()
                .filter(PublicKey.class::isInstance).map(PublicKey.class::cast).findFirst()
                .orElseThrow(() -> new JOSEException("key " + jwk.getKeyID() + " is not a public key"));
        Key kept;
        try {
            kept = java.security.KeyFactory.getInstance(key.getAlgorithm(), BouncyCastleProviderSingleton.getInstance())
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(key.getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            kept = key;
        }
        JWSVerifier made = factory.createJWSVerifier(header, kept);
        if (verifiers.size() >= 16) {
            verifiers.clear();
        }
        verifiers.put(use, made);
        return made;
    }

    /** A signature did not verify: nothing signed by it may be trusted. */
    public static final class SignatureException extends Exception {
        public SignatureException(String message) {
            super(message);
        }
    }
}
