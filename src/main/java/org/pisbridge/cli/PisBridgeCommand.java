package org.pisbridge.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pisbridge.runtime.PisBridgeRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command line of PIS Bridge: {@code run} starts the runtime, {@code demo} runs a sample batch
 * through it on the embedded defaults, {@code keys} prints what the bank must know of this client
 * (creating the sandbox key set), {@code register} registers the client at the bank,
 * {@code revoke} withdraws a payer's grant, {@code resubmit} re-submits orders that ended unpaid,
 * {@code operator} sets up console logins, {@code sca-again} publishes a waiting bundle's "SCA
 * required" event anew, {@code cancel} cancels a bundle waiting for SCA, {@code bench-ingest N
 * [--pain001]}, {@code bench-publish N} and {@code bench-flow N} measure batch-file ingestion (CSV or
 * pain.001), event publishing and the whole default flow. This is the one place that knows the sandbox bank: it starts it in-process when
 * {@code pis.sandbox.enabled} is set; the runtime never imports it.
 */
public final class PisBridgeCommand {
    private static final Logger LOG = LoggerFactory.getLogger(PisBridgeCommand.class);

    private PisBridgeCommand() {
    }

    public static void main(String[] args) {
        int exitCode;
        try {
            exitCode = execute(args);
        } catch (Throwable e) {
            LOG.error("PIS Bridge stopped: {}", rootMessage(e));
            LOG.debug("Cause", e);
            exitCode = 1;
        }
        // Exit explicitly: Artemis and Vert.x threads left over by a failed start keep a JVM alive.
        System.exit(exitCode);
    }

    public static int execute(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        String command = rest.isEmpty() ? "run" : rest.remove(0);
        Path config = Path.of("config/application.properties");
        for (int i = 0; i < rest.size(); i++) {
            if (rest.get(i).equals("--config") && i + 1 < rest.size()) {
                config = Path.of(rest.get(i + 1));
            }
        }
        switch (command) {
            case "run" -> {
                new PisBridgeRuntime(config, new LocalSandboxBank()).run();
                return 0;
            }
            case "demo" -> {
                return Demo.run(config);
            }
            case "register" -> {
                return RegisterCommand.run(config, rest);
            }
            case "keys" -> {
                return KeysCommand.run(config);
            }
            case "revoke" -> {
                return RevokeCommand.run(config, Map.of(), rest, System.out);
            }
            case "resubmit" -> {
                return ResubmitCommand.run(config, Map.of(), rest, System.out);
            }
            case "operator" -> {
                return OperatorCommand.run(config, rest, System.out);
            }
            case "sca-again" -> {
                return BundleRequestCommand.scaAgain(config, rest, System.out);
            }
            case "cancel" -> {
                return BundleRequestCommand.cancel(config, Map.of(), rest, System.out);
            }
            case "bench-ingest" -> {
                List<String> counts = rest.stream().filter(a -> !a.equals("--pain001")).toList();
                return IngestBenchmark.run(counts.isEmpty() ? 100_000 : Integer.parseInt(counts.get(0)), rest.contains("--pain001"));
            }
            case "bench-flow" -> {
                return FlowBenchmark.run(rest);
            }
            case "bench-publish" -> {
                return PublishBenchmark.run(rest.isEmpty() ? 20_000 : Integer.parseInt(rest.get(0)));
            }
            default -> {
                System.err.println("usage: pis-bridge run|demo|keys|register [--show|--update|--delete]|revoke <payer IBAN>"
                        + "|resubmit <orderId>...|operator add|token <name>|sca-again <bundleId>|cancel <bundleId>"
                        + "|bench-ingest [lines] [--pain001]|bench-publish [events]"
                        + "|bench-flow [orders] [--batch N] [--latency-ms L] [--warm-up N] [--rounds R] [--random-order-ids]"
                        + " [--set key=value]"
                        + " [--config config/application.properties]");
                return 2;
            }
        }
    }

    /** The first message in the cause chain that says something of its own, not a wrapper's echo of its cause. */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t
                && (t.getMessage() == null || t.getMessage().startsWith(t.getCause().getClass().getName()))) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
