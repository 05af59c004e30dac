package org.pisbridge.files;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a file's progress is worth a log line: once it moved on by a tenth of the file and at
 * least {@code minimumStep} lines, or after {@code pis.files.progress-log-seconds} with any
 * change; a file read at thousands of lines a second or a report rewritten every second otherwise
 * fills the log with lines nobody reads.
 */
final class ProgressLog {
    private record Mark(long count, Instant at) {
    }

    private final long minimumStep;
    private final Clock clock;
    private final Map<String, Mark> logged = new ConcurrentHashMap<>();

    ProgressLog(long minimumStep, Clock clock) {
        this.minimumStep = Math.max(1, minimumStep);
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
        long step = Math.max(minimumStep, total / 10);
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
