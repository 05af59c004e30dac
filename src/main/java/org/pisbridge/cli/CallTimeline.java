package org.pisbridge.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The flow benchmark's view over time: the runtime's bank calls by kind (from its
 * {@code pis.bank.calls} timers) every {@value #EVERY_SECONDS} s, with how busy the machine's CPUs
 * were meanwhile (Linux's {@code /proc/stat}), so a phase reads as bound by the calls in flight or
 * by the CPU; and each kind's mean call time over the whole span.
 */
final class CallTimeline {
    private static final int EVERY_SECONDS = 2;
    private static final String[] KINDS = {"create", "submit", "read", "other"};

    /** Calls and their total time (µs) by kind so far, and the machine's busy and idle CPU ticks so far. */
    private record Sample(long[] calls, long[] micros, long busy, long idle) {
    }

    private final MeterRegistry registry;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor(run -> {
        Thread t = new Thread(run, "bench-timeline");
        t.setDaemon(true);
        return t;
    });

    private CallTimeline(MeterRegistry registry) {
        this.registry = registry;
    }

    static CallTimeline start(MeterRegistry registry) {
        CallTimeline timeline = new CallTimeline(registry);
        timeline.samples.add(timeline.sample());
        timeline.every.scheduleAtFixedRate(() -> timeline.samples.add(timeline.sample()), EVERY_SECONDS, EVERY_SECONDS,
                TimeUnit.SECONDS);
        return timeline;
    }

    /** Stops sampling and prints the calls of each span and the mean call times. */
    void stopAndPrint() {
        every.shutdownNow();
        samples.add(sample());
        StringBuilder line = new StringBuilder(String.format("  bank calls per %d s (%s; the machine's CPUs busy):",
                EVERY_SECONDS, String.join("/", KINDS)));
        for (int i = 1; i < samples.size(); i++) {
            Sample a = samples.get(i - 1);
            Sample z = samples.get(i);
            line.append(' ');
            for (int k = 0; k < KINDS.length; k++) {
                line.append(k == 0 ? "" : "/").append(z.calls[k] - a.calls[k]);
            }
            long busy = z.busy - a.busy;
            long all = busy + z.idle - a.idle;
            if (all > 0) {
                line.append('(').append(busy * 100 / all).append("%)");
            }
        }
        System.out.println(line);
        Sample a = samples.get(0);
        Sample z = samples.get(samples.size() - 1);
        StringBuilder mean = new StringBuilder("  mean call time, ms (" + String.join("/", KINDS) + "):");
        for (int k = 0; k < KINDS.length; k++) {
            long calls = z.calls[k] - a.calls[k];
            mean.append(k == 0 ? " " : "/").append(calls == 0 ? "-" : String.format("%.1f", (z.micros[k] - a.micros[k]) / 1000.0 / calls));
        }
        System.out.println(mean);
    }

    private Sample sample() {
        long[] calls = new long[KINDS.length];
        long[] micros = new long[KINDS.length];
        for (Timer timer : registry.find("pis.bank.calls").timers()) {
            int kind = kind(String.valueOf(timer.getId().getTag("endpoint")));
            calls[kind] += timer.count();
            micros[kind] += (long) timer.totalTime(TimeUnit.MICROSECONDS);
        }
        long busy = 0;
        long idle = 0;
        try {
            // cpu user nice system idle iowait irq softirq steal ...
            String[] ticks = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            for (int i = 1; i < ticks.length && i <= 8; i++) {
                if (i == 4 || i == 5) {
                    idle += Long.parseLong(ticks[i]);
                } else {
                    busy += Long.parseLong(ticks[i]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no busy figure
        }
        return new Sample(calls, micros, busy, idle);
    }

    private static int kind(String endpoint) {
        if (endpoint.endsWith("/sepa-payments")) {
            return 0;
        }
        if (endpoint.contains("/submissions")) {
            return 1;
        }
        return endpoint.endsWith("/sepa-payments/{id}") ? 2 : 3;
    }
}
