package org.pisbridge.bank;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.pisbridge.runtime.RuntimeSettings;

/**
 * Where the bank is and how to talk to it ({@code pis.bank.*}). Defaults point at the embedded
 * sandbox bank. The signing key's passphrase is a {@code char[]}, so the record's
 * {@code toString} does not show it.
 */
public record BankSettings(
        String apiUrl,
        String authorizeUrl,
        String audience,
        String idTokenIssuer,
        String idTokenJwksUrl,
        String paymentsJwksUrl,
        String financialId,
        String redirectUri,
        String clientCredentialsScope,
        String tokenEndpointAuthMethod,
        String registrationUrl,
        Path credentialsFile,
        Path keyStore,
        Path trustStore,
        Path signingKey,
        char[] signingKeyPassword,
        String signingKeyAlias,
        String signingKid,
        List<String> signingAlgorithms,
        Duration tokenRenewBefore,
        Duration maxAuthenticationAge,
        Duration certificateWarningPeriod) {

    public static BankSettings from(RuntimeSettings s) {
        String api = s.required("pis.bank.api-url");
        return new BankSettings(
                api,
                authorizeUrl(s),
                s.string("pis.bank.audience", api),
                s.required("pis.bank.id-token-issuer"),
                s.required("pis.bank.id-token-jwks-url"),
                s.required("pis.bank.payments-jwks-url"),
                s.required("pis.bank.financial-id"),
                s.required("pis.bank.redirect-uri"),
                s.string("pis.bank.client-credentials-scope", "payments"),
                authMethod(s),
                s.string("pis.bank.registration-url", api + "/tpp-registration"),
                s.path("pis.bank.credentials-file", "data/sandbox/tpp/client.properties"),
                s.path("pis.bank.keystore", "data/sandbox/tpp/client.p12"),
                s.path("pis.bank.truststore", "data/sandbox/tpp/truststore.p12"),
                s.path("pis.bank.signing-key", "data/sandbox/tpp/signing-key.pem"),
                s.string("pis.bank.signing-key-password", "").toCharArray(),
                s.string("pis.bank.signing-key-alias", null),
                s.string("pis.bank.signing-kid", null),
                List.of(s.string("pis.bank.signing-algorithms", "RS256, ES256").split("\\s*,\\s*")),
                Duration.ofSeconds(s.integer("pis.bank.token-renew-before-seconds", 300)),
                Duration.ofSeconds(s.integer("pis.bank.max-authentication-age-seconds", 86400)),
                Duration.ofDays(s.integer("pis.bank.certificate-warning-days", 30)));
    }

    /** The authorize page; some banks (STET) put the page's language in its path as {@code {lang}}. */
    private static String authorizeUrl(RuntimeSettings s) {
        return s.required("pis.bank.authorize-url").replace("{lang}", s.string("pis.bank.authorize-lang", "en"));
    }

    private static String authMethod(RuntimeSettings s) {
        String method = s.string("pis.bank.token-endpoint-auth-method", "client_secret_post");
        if (!method.equals("client_secret_post") && !method.equals("tls_client_auth")) {
            throw new IllegalStateException("Setting pis.bank.token-endpoint-auth-method must be client_secret_post"
                    + " or tls_client_auth, not '" + method + "'");
        }
        return method;
    }
}
