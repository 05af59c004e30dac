package org.pisbridge.onboarding;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code pis-bridge} commands in this JVM as the launcher does, with the given settings
 * written into a configuration file of their own (beside a copy of the bank profiles).
 */
final class CommandLine {
    /** What a command printed and its exit code. */
    record Run(int exitCode, String out, String err) {
    }

    private final Path dir;

    CommandLine(Path dir) {
        this.dir = dir;
    }

    Run run(Map<String, String> settings, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config(settings).toString()));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        try {
            int code = org.pisbridge.cli.PisBridgeCommand.execute(all.toArray(String[]::new));
            return new Run(code, withoutLogLines(printed.toString(StandardCharsets.UTF_8)), errors.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** What the command printed, without the log lines of this JVM (the sandbox bank's among them). */
    static String withoutLogLines(String printed) {
        return printed.lines().filter(l -> !l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    Path config(Map<String, String> settings) throws Exception {
        Path banks = Files.createDirectories(dir.resolve("config/banks"));
        try (var files = Files.list(Path.of("config/banks"))) {
            for (Path f : files.toList()) {
                Files.copy(f, banks.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        StringBuilder file = new StringBuilder(Files.readString(Path.of("config/application.properties")));
        settings.forEach((k, v) -> file.append('\n').append(k).append(" = ").append(v.replace("\\", "\\\\")));
        Path config = dir.resolve("config/application.properties");
        Files.writeString(config, file + "\n");
        return config;
    }
}
