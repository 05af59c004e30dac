package org.pisbridge.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.pisbridge.runtime.ConfigurationFiles;
import org.pisbridge.runtime.RuntimeSettings;
import org.pisbridge.web.OperatorLogins;

/**
 * {@code pis-bridge operator add NAME}: sets an operator's console password (asked on the terminal,
 * or read from the first line of standard input), kept as a BCrypt hash in
 * {@code pis.console.users-file}. {@code pis-bridge operator token NAME}: issues an API token for a
 * machine client (Prometheus, scripts) and prints it once; only its hash is kept.
 */
final class OperatorCommand {
    private OperatorCommand() {
    }

    static int run(Path config, List<String> args, PrintStream out) throws Exception {
        List<String> given = args.stream().filter(a -> !a.startsWith("--") && !a.equals(config.toString())).toList();
        if (given.size() != 2 || !List.of("add", "token").contains(given.get(0))) {
            out.println("usage: pis-bridge operator add <name> | operator token <name> [--config config/application.properties]");
            return 2;
        }
        try (CamelContext camel = ConfigurationFiles.context(config, Map.of())) {
            RuntimeSettings s = new RuntimeSettings(camel);
            OperatorLogins logins = new OperatorLogins(s.path("pis.console.users-file", "data/keys/console-users"),
                    s.path("pis.console.api-tokens-file", "data/keys/console-tokens"));
            String name = given.get(1);
            if (given.get(0).equals("token")) {
                out.println(logins.issueToken(name));
                System.err.println("API token for " + name + " issued: send it as \"Authorization: Bearer <token>\"."
                        + " It is shown this once; a new one replaces it.");
                return 0;
            }
            char[] password = password(name);
            if (password == null || password.length < 12) {
                System.err.println("A console password has at least 12 characters; nothing was changed.");
                return 2;
            }
            logins.setPassword(name, password);
            java.util.Arrays.fill(password, ' ');
            System.err.println("Operator " + name + " can sign in to the console.");
            return 0;
        }
    }

    private static char[] password(String name) throws java.io.IOException {
        if (System.console() != null) {
            char[] first = System.console().readPassword("Password for %s: ", name);
            char[] again = System.console().readPassword("Again: ");
            return java.util.Arrays.equals(first, again) ? first : null;
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return line == null ? null : line.toCharArray();
    }
}
