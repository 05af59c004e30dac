package org.pisbridge.bankdoc;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Who the TPP is at the bank: its OAuth client, the API key of its app, the QSEAL-like key it signs
 * request objects and payment bodies with, and its registered redirect URI.
 *
 * @param clientSecret null for a {@code tls_client_auth} client, whose credential is its certificate
 */
record TppIdentity(String clientId, String clientSecret, String apiKey, ECPrivateKey signingKey, String signingKid,
                   String redirectUri) {

    TppIdentity withClient(String otherClientId, String otherClientSecret) {
        return new TppIdentity(otherClientId, otherClientSecret, apiKey, signingKey, signingKid, redirectUri);
    }

    TppIdentity withRedirectUri(String uri) {
        return new TppIdentity(clientId, clientSecret, apiKey, signingKey, signingKid, uri);
    }

    TppIdentity withSigningKey(ECPrivateKey key, String kid) {
        return new TppIdentity(clientId, clientSecret, apiKey, key, kid, redirectUri);
    }

    /** Reads the PKCS#8 PEM the bank's registration material ships (ssa-signing-key.pem in OP's sandbox). */
    static ECPrivateKey readSigningKey(Path pem) {
        try (Reader reader = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            if (!(object instanceof PrivateKeyInfo info)) {
                throw new IllegalStateException(pem + " holds no PKCS#8 private key");
            }
            return (ECPrivateKey) new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + pem, e);
        }
    }
}
