package org.pisbridge.cli;

import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pisbridge.runtime.PisBridgeRuntime;
import org.pisbridge.runtime.RuntimeInfrastructure;
import org.pisbridge.runtime.RuntimeSettings;
import org.pisbridge.sandbox.SandboxBankProcess.Traffic;

/**
 * {@code pis-bridge bench-flow [orders] [--batch N] [--latency-ms L] [--warm-up W] [--rounds R] [--random-order-ids]
 * [--set key=value]...}: the
 * whole default flow, measured. Three processes: the sandbox bank ({@link ChildSandboxBank}), optionally answering
 * every API call after {@code L} ms; the company side ({@link ChildErpClient}: the ERP sending JMS orders and reading
 * the events, users approving at the bank's pages); and in this one a fresh runtime (its own store and broker), which
 * gets {@code orders} orders in declared batches of {@code N} (one bundle, one SCA each). It prints the time to send
 * them, the time from the first order to the last "SCA required" event, when intake had stored the last order (its
 * RECEIVED event's time), the time the approvals took and the time from them to the last final state; the bank calls
 * by kind over time ({@link CallTimeline}); the bank calls, the connections they came over (TLS handshakes) and how
 * many were in flight; the peak heap; and the CPU time of this process, the runtime's, so a busy machine does not
 * distort the per-payment figure, with how much of it the JVM's JIT compiler and GC threads took and the other two
 * processes' CPU time apart. {@code --set} overrides a runtime setting, e.g. {@code pis.bank.max-in-flight=1} to
 * compare. {@code --warm-up W} first runs W orders the same way, unmeasured, for the figures of a warmed-up JVM;
 * {@code --rounds R} measures R rounds one after the other and ends with each figure's median and range over them
 * (one run's figures vary by 10–20 % on a shared 2-core machine). The orders' ids are {@code bench-1-0}, {@code bench-1-1},
 * … (ids an ERP numbers in sequence), or random UUIDs with {@code --random-order-ids}: the store's indexes then take
 * them at random places.
 */
final class FlowBenchmark {
    private FlowBenchmark() {
    }

    static int run(List<String> args) throws Exception {
        int orders = 1000;
        int batch = 100;
        int latencyMs = 0;
        int warmUp = 0;
        int rounds = 1;
        boolean randomOrderIds = false;
        Map<String, String> overrides = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--batch" -> batch = Integer.parseInt(args.get(++i));
                case "--latency-ms" -> latencyMs = Integer.parseInt(args.get(++i));
                case "--warm-up" -> warmUp = Integer.parseInt(args.get(++i));
                case "--rounds" -> rounds = Integer.parseInt(args.get(++i));
                case "--random-order-ids" -> randomOrderIds = true;
                case "--set" -> {
                    String[] kv = args.get(++i).split("=", 2);
                    overrides.put(kv[0], kv[1]);
                }
                default -> orders = Integer.parseInt(a);
            }
        }
        try (ScratchDirectory scratch = new ScratchDirectory("pis-bench-flow")) {
            int httpPort = freePort();
            try (ChildSandboxBank bank = ChildSandboxBank.start(scratch.resolve("sandbox"),
                    "http://localhost:" + httpPort + "/oauth/callback", latencyMs)) {
                Map<String, String> settings = new HashMap<>(SandboxedRuntime.settings(scratch.resolve("runtime"),
                        bank.apiBaseUrl(), bank.authorizeBaseUrl(), bank.tppDir(), httpPort, freePort()));
                settings.put("pis.exemption.enabled", "false");
                settings.put("pis.broker.embedded.credentials-file", scratch.resolve("broker.properties").toString());
                settings.putAll(overrides);
                PisBridgeRuntime runtime = new PisBridgeRuntime(Path.of("config/application.properties"), settings);
                runtime.start();
                RuntimeSettings s = new RuntimeSettings(runtime.context());
                try (ChildErpClient erp = ChildErpClient.start(scratch.resolve("erp"), erpSetup(s, bank.tppDir()))) {
                    System.out.printf("bench-flow: %d orders in batches of %d, bank latency %d ms, %s order ids%s%n", orders,
                            batch, latencyMs, randomOrderIds ? "random (UUID)" : "sequential",
                            overrides.isEmpty() ? "" : ", " + overrides);
                    if (warmUp > 0) {
                        System.out.printf("warm-up round (%d orders, not measured):%n", warmUp);
                        measure(runtime, bank, erp, new ErpClientProcess.Round("warm-up", warmUp, batch, randomOrderIds),
                                latencyMs);
                    }
                    List<Figures> measured = new ArrayList<>();
                    for (int r = 1; r <= rounds; r++) {
                        if (warmUp > 0 || rounds > 1) {
                            System.out.println(rounds > 1 ? "measured round " + r + " of " + rounds + ":" : "measured round:");
                        }
                        measured.add(measure(runtime, bank, erp, new ErpClientProcess.Round(rounds > 1 ? "bench-" + r : "bench", orders,
                                batch, randomOrderIds), latencyMs));
                    }
                    if (rounds > 1) {
                        Figures.printMedians(measured);
                    }
                } finally {
                    runtime.stop();
                }
            }
        }
        return 0;
    }

    /** The company side's broker (with the login the runtime's own clients use) and queues, and the bank's trust store. */
    private static ErpClientProcess.Setup erpSetup(RuntimeSettings s, Path tppDir) {
        try (var broker = RuntimeInfrastructure.brokerClient(s)) {
            return new ErpClientProcess.Setup(RuntimeInfrastructure.brokerUrl(s), broker.getUser(), broker.getPassword(),
                    s.string("pis.orders.queue", "pis.orders"), s.string("pis.sca.queue", "pis.sca"),
                    s.string("pis.status.queue", "pis.status"), tppDir.toString());
        }
    }

    /** A measured round's main figures. */
    private record Figures(double toSca, double toFinal, double ordersPerSecond, double cpuPerPayment,
                           double ownCpuPerPayment, double bankCpuPerPayment) {
        static void printMedians(List<Figures> rounds) {
            System.out.printf("over %d rounds, median (lowest–highest):%n", rounds.size());
            line(rounds, "first order to last \"SCA required\" event, s", Figures::toSca);
            line(rounds, "approval to last final state, s", Figures::toFinal);
            line(rounds, "orders/s end to end", Figures::ordersPerSecond);
            line(rounds, "runtime's CPU per payment, ms", Figures::cpuPerPayment);
            line(rounds, "the same without the JIT compiler and GC threads, ms", Figures::ownCpuPerPayment);
            line(rounds, "sandbox bank's CPU per payment, ms", Figures::bankCpuPerPayment);
        }

        private static void line(List<Figures> rounds, String what, java.util.function.ToDoubleFunction<Figures> figure) {
            double[] v = rounds.stream().mapToDouble(figure).sorted().toArray();
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            System.out.printf("  %s: %.1f (%.1f–%.1f)%n", what, median, v[0], v[v.length - 1]);
        }
    }

    private static Figures measure(PisBridgeRuntime runtime, ChildSandboxBank bank, ChildErpClient erp,
                                   ErpClientProcess.Round round, int latencyMs) throws Exception {
        int orders = round.orders();
        RuntimeSettings s = new RuntimeSettings(runtime.context());
        Cpu cpu = new Cpu();
        Traffic traffic0 = bank.resetPeak();
        ManagementFactory.getMemoryPoolMXBeans().forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
        CallTimeline timeline = CallTimeline.start(runtime.context().getRegistry()
                .lookupByNameAndType("metricsRegistry", MeterRegistry.class));
        ErpClientProcess.Sent sent = erp.start(round);
        System.out.printf("  sent %d orders in %.1f s%n", orders, sent.seconds());
        ErpClientProcess.ScaLinks sca = erp.scaLinks();
        Traffic creating = bank.traffic();
        System.out.printf("  first order to last of %d \"SCA required\" events: %.1f s (%d bank calls, %.1f in flight on"
                + " average)%n", sca.bundles(), sca.seconds(), creating.requests() - traffic0.requests(), creating.meanInProgress());
        ErpClientProcess.Finished finished = erp.finished();
        System.out.printf("  intake: the last order stored %.1f s after the first was sent (%.0f orders/s, beside the"
                + " flow's other work)%n", finished.storingSeconds(), orders / Math.max(0.001, finished.storingSeconds()));
        timeline.stopAndPrint();
        System.out.printf("  approving %d bundles at the bank's pages (up to %d at once): %.1f s; approval to last final state: %.1f s%n",
                sca.bundles(), ErpClientProcess.APPROVERS, finished.approvingSeconds(), finished.toFinalSeconds());
        double total = finished.totalSeconds();
        System.out.printf("  end to end: %.1f s, %.1f orders/s%n", total, orders / total);
        Traffic traffic = bank.traffic();
        long calls = traffic.requests() - traffic0.requests();
        System.out.printf("  bank calls: %d over %d new connections (TLS handshakes), at most %d at once, %.1f on average%n",
                calls, traffic.connections() - traffic0.connections(), traffic.peakInProgress(), traffic.meanInProgress());
        if (latencyMs > 0) {
            // what the latency alone allows, to read the times above against
            int inFlight = s.integer("pis.bank.max-in-flight", 16);
            double sequential = calls * latencyMs / 1000.0;
            System.out.printf("  bounds of the latency alone: %.0f s one call at a time (calls × %d ms), %.1f s with %d"
                    + " always in flight (end to end above: %.1f s)%n", sequential, latencyMs, sequential / inFlight, inFlight, total);
        }
        long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf("  peak heap (the runtime's process): %d MB%n", peakHeap >> 20);
        long bankCpu = traffic.cpuNanos() - traffic0.cpuNanos();
        Cpu.PerPayment perPayment = cpu.print(orders, bankCpu, finished.cpuNanos());
        return new Figures(sca.seconds(), finished.toFinalSeconds(), orders / total, perPayment.all(), perPayment.own(),
                bankCpu / 1e6 / orders);
    }

    /** CPU time of this process, by thread group too, and the JIT's and GC's time. */
    private static final class Cpu {
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final long process0 = process();

        private final Map<Long, Long> start = perThread();
        private final long compiling0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        private final long collecting0 = collecting();
        private final Map<String, Long> jvmThreads0 = JvmThreads.cpuByKind();

        /**
         * {@code sandboxNanos}, {@code erpNanos}: the sandbox bank's and the company side's processes' CPU time over the
         * same span, for information. Returns this process's CPU per payment.
         */
        PerPayment print(int orders, long sandboxNanos, long erpNanos) {
            Map<String, Long> byGroup = new HashMap<>();
            perThread().forEach((id, ns) -> {
                ThreadInfo info = threads.getThreadInfo(id);
                if (info != null) {
                    byGroup.merge(group(info.getThreadName()), ns - start.getOrDefault(id, 0L), Long::sum);
                }
            });
            System.out.print("  CPU by thread group (ms):");
            byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                    .forEach(e -> System.out.printf(" %s %d;", e.getKey(), e.getValue() / 1_000_000));
            System.out.printf("%n  JIT compiling %d ms, GC %d ms (elapsed, not CPU)%n",
                    ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - compiling0, collecting() - collecting0);
            double runtime = (process() - process0) / 1e6;
            System.out.printf("  CPU: runtime's process %.0f ms = %.1f ms per payment; sandbox bank's process %.0f ms;"
                    + " the company side's (ERP client, approvers) %.0f ms%n", runtime, runtime / orders, sandboxNanos / 1e6, erpNanos / 1e6);
            Map<String, Long> jvm = JvmThreads.cpuByKind();
            if (jvm.isEmpty()) {
                return new PerPayment(runtime / orders, Double.NaN);
            }
            long jit = jvm.getOrDefault(JvmThreads.JIT, 0L) - jvmThreads0.getOrDefault(JvmThreads.JIT, 0L);
            long gc = jvm.getOrDefault(JvmThreads.GC, 0L) - jvmThreads0.getOrDefault(JvmThreads.GC, 0L);
            System.out.printf("  of which the JIT compiler threads %d ms, GC threads %d ms: %.1f ms per payment without them%n",
                    jit, gc, (runtime - jit - gc) / orders);
            return new PerPayment(runtime / orders, (runtime - jit - gc) / orders);
        }

        /** This process's CPU per payment (ms), with and without the JIT compiler and GC threads (NaN: not known here). */
        record PerPayment(double all, double own) {
        }

        private static long process() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }

        private Map<Long, Long> perThread() {
            Map<Long, Long> cpu = new HashMap<>();
            for (long id : threads.getAllThreadIds()) {
                cpu.put(id, Math.max(0, threads.getThreadCpuTime(id)));
            }
            return cpu;
        }

        private static String group(String threadName) {
            return threadName.replaceAll("#?\\d+", "").replaceAll("\\s+", " ").trim();
        }

        private static long collecting() {
            return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
        }
    }

    /**
     * CPU time of the JVM's own threads (JIT compilers, GC), which the Java management beans do not
     * show, from Linux's per-thread accounting ({@code /proc/self/task}); empty elsewhere. A thread
     * that ended during the run takes its time with it (the JIT starts and stops compiler threads).
     */
    private static final class JvmThreads {
        static final String JIT = "jit";
        static final String GC = "gc";
        /** Linux's clock ticks per second for process times (USER_HZ), 100 on every usual kernel. */
        private static final long TICK_MS = 10;

        static Map<String, Long> cpuByKind() {
            Map<String, Long> ms = new HashMap<>();
            try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
                tasks.forEach(task -> {
                    try {
                        String name = java.nio.file.Files.readString(task.resolve("comm")).trim();
                        String kind = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? JIT
                                : name.startsWith("GC Thread") || name.startsWith("G1 ") ? GC : null;
                        if (kind != null) {
                            String stat = java.nio.file.Files.readString(task.resolve("stat"));
                            // fields after the ")" that ends the name: utime and stime are the 12th and 13th
                            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            ms.merge(kind, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_MS, Long::sum);
                        }
                    } catch (java.io.IOException | RuntimeException e) {
                        // the thread ended meanwhile
                    }
                });
            } catch (java.io.IOException | RuntimeException e) {
                return Map.of();
            }
            return ms;
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }
}
