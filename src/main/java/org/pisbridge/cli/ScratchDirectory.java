package org.pisbridge.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.pisbridge.store.Database;

/** A benchmark's own temporary directory, with a fresh H2 store in it; everything in it is deleted at close. */
final class ScratchDirectory implements AutoCloseable {
    private final Path dir;

    ScratchDirectory(String prefix) throws IOException {
        dir = Files.createTempDirectory(prefix);
    }

    Path resolve(String name) {
        return dir.resolve(name);
    }

    /** A migrated H2 store in the directory, as the runtime's embedded default opens one. */
    Database database(int poolSize) {
        return Database.h2File(dir, poolSize);
    }

    @Override
    public void close() {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
