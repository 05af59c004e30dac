package org.pisbridge.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.bank.CertificateExpiry;
import org.pisbridge.sandbox.SandboxBank;
import org.pisbridge.sandbox.SandboxSettings;

/** The client certificate the sandbox issues: warned about weeks before it expires, refused once expired. */
class CertificateExpiryTest {

    @Test
    void warnsWeeksAheadAndStopsOnceExpired(@TempDir Path dir) throws Exception {
        X509Certificate certificate;
        try (SandboxBank bank = SandboxBank.start(SandboxSettings.defaults(dir).withRedirectUris(List.of("http://localhost:1/cb")))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(bank.tpp().clientKeyStore())) {
                ks.load(in, bank.tpp().keyStorePassword().toCharArray());
            }
            certificate = (X509Certificate) ks.getCertificate(ks.aliases().nextElement());
        }
        Instant notAfter = certificate.getNotAfter().toInstant();
        Duration fourWeeks = Duration.ofDays(28);

        assertThat(CertificateExpiry.warning(certificate, Instant.now(), fourWeeks)).isEmpty();
        assertThat(CertificateExpiry.warning(certificate, notAfter.minus(Duration.ofDays(20)), fourWeeks))
                .hasValueSatisfying(w -> assertThat(w).contains("expires on", "in 20 days", "renew"));
        assertThatThrownBy(() -> CertificateExpiry.warning(certificate, notAfter.plusSeconds(1), fourWeeks))
                .hasMessageContaining("expired on");
    }
}
