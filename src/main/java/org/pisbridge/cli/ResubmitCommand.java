package org.pisbridge.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.pisbridge.runtime.ConfigurationFiles;
import org.pisbridge.runtime.RuntimeSettings;

/**
 * {@code pis-bridge resubmit <orderId>...}: an operator re-submits orders that ended unpaid
 * (FAILED, EXPIRED, SCA_REJECTED, CANCELLED) under their own orderIds. The running runtime is asked over its
 * broker (the same {@code pis.orders.resubmit} queue an ERP uses); it checks with the bank that the
 * earlier payment was not booked before it makes a new one. Each answer is printed.
 */
public final class ResubmitCommand {
    private ResubmitCommand() {
    }

    /** Exit code 0 when the runtime answered every request, 1 when it could not be reached or did not answer, 2 for bad input. */
    public static int run(Path config, Map<String, String> overrides, List<String> args, PrintStream out) throws Exception {
        List<String> orderIds = args.stream().filter(a -> !a.startsWith("--") && !a.equals(config.toString())).toList();
        if (orderIds.isEmpty()) {
            out.println("usage: pis-bridge resubmit <orderId>... [--config config/application.properties]");
            return 2;
        }
        try (CamelContext camel = ConfigurationFiles.context(config, overrides)) {
            RuntimeSettings s = new RuntimeSettings(camel);
            int exit = 0;
            for (String orderId : orderIds) {
                exit = Math.max(exit, RuntimeRequest.ask(s, s.string("pis.orders.resubmit-queue", "pis.orders.resubmit"), orderId,
                        s.integer("pis.grants.revoke-wait-seconds", 30), out));
            }
            return exit;
        }
    }
}
