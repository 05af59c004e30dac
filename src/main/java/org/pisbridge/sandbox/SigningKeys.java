package org.pisbridge.sandbox;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Keys a bank signs with, as it rolls them over: one signs, and every key it has signed with stays
 * published in its JWKS, beside any other key the bank publishes. A client that cached the JWKS
 * meets a kid it does not know after a rollover and must fetch the document again.
 */
public final class SigningKeys {
    private final List<JWK> published = new ArrayList<>();
    private final IntFunction<JWK> next;
    private JWK signing;

    /**
     * @param first     the key signing at start
     * @param next      makes the n-th key of a rollover
     * @param alsoShown keys published that do not sign (a bank's other keys)
     */
    public SigningKeys(JWK first, IntFunction<JWK> next, List<JWK> alsoShown) {
        this.signing = first;
        this.next = next;
        published.add(first);
        published.addAll(alsoShown);
    }

    public synchronized JWK signingKey() {
        return signing;
    }

    /** A published key that is not the signing key and has another type (e.g. EC beside RSA), if any. */
    public synchronized JWK otherKey() {
        return published.stream().filter(k -> !k.getKeyType().equals(signing.getKeyType())).findFirst().orElse(null);
    }

    public synchronized JWKSet jwks() {
        return new JWKSet(published.stream().map(JWK::toPublicJWK).toList());
    }

    /** A new key signs from now on; the old ones stay published. Returns the new key's kid. */
    public synchronized String rollOver() {
        signing = next.apply(published.size() + 1);
        published.add(signing);
        return signing.getKeyID();
    }
}
