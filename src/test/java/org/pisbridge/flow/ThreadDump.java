package org.pisbridge.flow;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/**
 * Every thread's stack, printed to the test's output when a flow did not finish within its
 * bounded wait: a stage that stopped shows where it waits (a lock, a queue, the bank).
 */
final class ThreadDump {
    private ThreadDump() {
    }

    static void print(String why) {
        StringBuilder dump = new StringBuilder("Thread dump (").append(why).append("):\n");
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState());
            if (t.getLockName() != null) {
                dump.append(" on ").append(t.getLockName());
            }
            if (t.getLockOwnerName() != null) {
                dump.append(" owned by \"").append(t.getLockOwnerName()).append('"');
            }
            dump.append('\n');
            for (StackTraceElement e : t.getStackTrace()) {
                dump.append("\tat ").append(e).append('\n');
            }
        }
        System.out.println(dump);
    }
}
