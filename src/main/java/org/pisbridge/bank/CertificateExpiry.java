package org.pisbridge.bank;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The mTLS client certificate's validity, checked at start-up: an expired certificate stops the
 * start (the bank would refuse every handshake), one expiring within the warning period is
 * reported weeks ahead so it can be renewed and registered in time.
 */
public final class CertificateExpiry {
    private CertificateExpiry() {
    }

    /** A warning when the certificate expires within {@code ahead} of {@code now}; expired or not yet valid stops. */
    public static Optional<String> warning(X509Certificate certificate, Instant now, Duration ahead) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        String subject = certificate.getSubjectX500Principal().getName();
        if (now.isAfter(notAfter)) {
            throw new IllegalStateException("pis.bank.keystore: the client certificate " + subject + " expired on "
                    + notAfter + "; the bank refuses it: install a renewed certificate");
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            throw new IllegalStateException("pis.bank.keystore: the client certificate " + subject
                    + " is not valid before " + certificate.getNotBefore().toInstant());
        }
        if (now.plus(ahead).isAfter(notAfter)) {
            return Optional.of("The client certificate " + subject + " expires on " + notAfter
                    + " (in " + Duration.between(now, notAfter).toDays() + " days): renew it and register the new one with the bank");
        }
        return Optional.empty();
    }
}
