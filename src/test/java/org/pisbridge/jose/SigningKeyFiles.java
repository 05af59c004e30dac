package org.pisbridge.jose;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** Signing keys the tests write: a key no bank has registered. */
public final class SigningKeyFiles {
    private SigningKeyFiles() {
    }

    /** A fresh EC P-256 private key as an unencrypted PKCS#8 PEM file. */
    public static Path newEcKey(Path file) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new JcaPKCS8Generator(generator.generateKeyPair().getPrivate(), null));
        }
        return Files.writeString(file, pem.toString());
    }
}
