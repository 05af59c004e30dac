package org.pisbridge.files;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a file's progress is worth a log line: once it moved on by a tenth of the file (or by a
 * fixed step while the size is unknown), or after {@code pis.files.progress-log-seconds} with any
 * change; a file read at thousands of lines a second or a report rewritten every second otherwise
 * fills the log with lines nobody reads.
 */
final class ProgressLog {
    private record Mark(long count, Instant at) {
    }

    private final long unknownSizeStep;
    private final Clock clock;
    private final Map<String, Mark> logged = new ConcurrentHashMap<>();

    ProgressLog(long unknownSizeStep, Clock clock) {
        this.unknownSizeStep = Math.max(1, unknownSizeStep);
        this.clock = clock;
    }

    /** True when {@code count} of {@code total} (0: not known) is worth logging now; remembered as logged. */
    boolean due(String file, long count, long total, Duration every) {
        Instant now = clock.instant();
        Mark last = logged.get(file);
        if (last == null) {
            logged.put(file, new Mark(count, now));
            return false;
        }
        long step = total > 0 ? Math.max(1, total / 10) : unknownSizeStep;
        boolean due = count != last.count() && (Math.abs(count - last.count()) >= step
                || !now.isBefore(last.at().plus(every)));
        if (due) {
            logged.put(file, new Mark(count, now));
        }
        return due;
    }

    /** The file is done: its last line is logged by the caller, its mark forgotten. */
    void done(String file) {
        logged.remove(file);
    }
}
