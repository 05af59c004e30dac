package org.pisbridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.pisbridge.bank.BankConnection;
import org.pisbridge.bank.BankSettings;
import org.pisbridge.bank.ClientRegistration;
import org.pisbridge.runtime.ConfigurationFiles;
import org.pisbridge.runtime.RuntimeSettings;
import org.pisbridge.sandbox.SandboxBank;

/**
 * {@code pis-bridge register [--show | --update | --delete]}: this client's registration at the
 * configured bank (RFC 7591, RFC 7592), with the local sandbox bank started for the command when
 * {@code pis.sandbox.enabled} is set. Prints the registration without what identifies or
 * authenticates the client (stored in the credentials file), and exits 1 naming the key when the
 * registered JWKS lacks the signing key.
 */
final class RegisterCommand {
    private RegisterCommand() {
    }

    static int run(Path config, List<String> options) throws Exception {
        CamelContext camel = ConfigurationFiles.context(config, Map.of());
        camel.start();
        RuntimeSettings s = new RuntimeSettings(camel);
        SandboxBank sandbox = LocalSandboxBank.startIfEnabled(s);
        try {
            BankSettings settings = BankSettings.from(s);
            KeysCommand.recordSigningKid(settings);
            ClientRegistration registration = new ClientRegistration(
                    new BankConnection(settings, camel),
                    s.string("pis.registration.client-name", "PIS Bridge"),
                    s.string("pis.bank.response-type", "code id_token"),
                    s.string("pis.registration.jwks-uri", null),
                    s.string("pis.registration.software-statement-file", null) == null ? null
                            : s.path("pis.registration.software-statement-file", null));
            ClientRegistration.Registration result;
            if (options.contains("--show")) {
                result = registration.show();
            } else if (options.contains("--update")) {
                result = registration.update();
            } else if (options.contains("--delete")) {
                result = registration.delete();
            } else {
                result = registration.register();
            }
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result.metadata()));
            var mismatch = registration.signingKeyMismatch(result);
            mismatch.ifPresent(System.err::println);
            return mismatch.isPresent() ? 1 : 0;
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
            camel.close();
        }
    }
}
