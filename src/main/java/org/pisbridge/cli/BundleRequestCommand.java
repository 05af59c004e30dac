package org.pisbridge.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.pisbridge.runtime.ConfigurationFiles;
import org.pisbridge.runtime.RuntimeSettings;

/**
 * An operator's request about one bundle to the running runtime, over its broker, as an ERP would
 * send it: {@code pis-bridge sca-again <bundleId>} publishes a waiting bundle's "SCA required" event
 * anew ({@code pis.console.sca-again-queue}: SENT or NOT_WAITING); {@code pis-bridge cancel
 * <bundleId>} cancels a bundle waiting for SCA ({@code pis.sca.cancel-queue}: CANCELLED,
 * CANCELLING or REFUSED). The runtime's answer is printed.
 */
public final class BundleRequestCommand {
    private BundleRequestCommand() {
    }

    static int scaAgain(Path config, List<String> args, PrintStream out) throws Exception {
        return ask(config, Map.of(), args, out, "sca-again", "pis.console.sca-again-queue", "pis.sca.again");
    }

    public static int cancel(Path config, Map<String, String> overrides, List<String> args, PrintStream out) throws Exception {
        return ask(config, overrides, args, out, "cancel", "pis.sca.cancel-queue", "pis.sca.cancel");
    }

    private static int ask(Path config, Map<String, String> overrides, List<String> args, PrintStream out, String command,
                           String queueSetting, String defaultQueue) throws Exception {
        List<String> given = args.stream().filter(a -> !a.startsWith("--") && !a.equals(config.toString())).toList();
        if (given.size() != 1) {
            out.println("usage: pis-bridge " + command + " <bundleId> [--config config/application.properties]");
            return 2;
        }
        try (CamelContext camel = ConfigurationFiles.context(config, overrides)) {
            RuntimeSettings s = new RuntimeSettings(camel);
            return RuntimeRequest.ask(s, s.string(queueSetting, defaultQueue), given.get(0), 30, out);
        }
    }
}
