package org.pisbridge.sandbox;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys that sign business responses, as a bank rolls them over: one signs, and every key it
 * has signed with stays published in the payments JWKS. A client that cached the JWKS meets a kid
 * it does not know after a rollover and must fetch the document again.
 */
public final class PaymentsKeyRing {
    private final List<JWK> published = new ArrayList<>();
    private JWK signing;

    public PaymentsKeyRing(JWK first) {
        this.signing = first;
        published.add(first);
    }

    public synchronized JWK signingKey() {
        return signing;
    }

    public synchronized JWKSet jwks() {
        return new JWKSet(published.stream().map(JWK::toPublicJWK).toList());
    }

    /** A new ES256 key signs from now on; the old ones stay published. Returns the new key's kid. */
    public synchronized String rollOver() {
        try {
            signing = new ECKeyGenerator(Curve.P_256).keyID("payments-" + (published.size() + 1)).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        published.add(signing);
        return signing.getKeyID();
    }
}
