package org.pisbridge.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.pisbridge.runtime.ConfigurationFiles;
import org.pisbridge.runtime.RuntimeSettings;

/**
 * {@code pis-bridge sca-again <bundleId>}: the console's "send again" from the command line: the
 * running runtime, asked over its broker ({@code pis.console.sca-again-queue}), publishes the
 * waiting bundle's "SCA required" event anew and answers {@code SENT} or {@code NOT_WAITING}.
 */
final class ScaAgainCommand {
    private ScaAgainCommand() {
    }

    static int run(Path config, List<String> args, PrintStream out) throws Exception {
        List<String> given = args.stream().filter(a -> !a.startsWith("--") && !a.equals(config.toString())).toList();
        if (given.size() != 1) {
            out.println("usage: pis-bridge sca-again <bundleId> [--config config/application.properties]");
            return 2;
        }
        try (CamelContext camel = ConfigurationFiles.context(config, Map.of())) {
            RuntimeSettings s = new RuntimeSettings(camel);
            return RuntimeRequest.ask(s, s.string("pis.console.sca-again-queue", "pis.sca.again"), given.get(0), 30, out);
        }
    }
}
