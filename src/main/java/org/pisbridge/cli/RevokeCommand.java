package org.pisbridge.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.pisbridge.orders.InputProblem;
import org.pisbridge.orders.OrderValidator;
import org.pisbridge.runtime.ConfigurationFiles;
import org.pisbridge.runtime.RuntimeSettings;

/**
 * {@code pis-bridge revoke <payer IBAN>}: an operator withdraws a payer's authority. The running
 * runtime, which holds the payer's encrypted refresh token, is asked over its broker (the same
 * {@code pis.grants.revoke} queue an ERP uses) to revoke it at the bank (RFC 7009) and remove the
 * grant; the command prints its answer.
 */
public final class RevokeCommand {
    private RevokeCommand() {
    }

    /** Exit code 0 when the runtime answered, 1 when it could not be reached or did not answer, 2 for bad input. */
    public static int run(Path config, Map<String, String> overrides, List<String> args, PrintStream out) throws Exception {
        List<String> given = args.stream().filter(a -> !a.startsWith("--") && !a.equals(config.toString())).toList();
        if (given.size() != 1) {
            out.println("usage: pis-bridge revoke <payer IBAN> [--config config/application.properties]");
            return 2;
        }
        List<InputProblem> problems = new ArrayList<>();
        String payer = OrderValidator.iban(given.get(0), "payer IBAN", problems);
        if (payer == null) {
            out.println(given.get(0) + ": " + problems.get(0).field() + " " + problems.get(0).reason());
            return 2;
        }
        try (CamelContext camel = ConfigurationFiles.context(config, overrides)) {
            RuntimeSettings s = new RuntimeSettings(camel);
            return RuntimeRequest.ask(s, s.string("pis.grants.revoke-queue", "pis.grants.revoke"), payer,
                    s.integer("pis.grants.revoke-wait-seconds", 30), out);
        }
    }
}
