package org.pisbridge.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The flow benchmark's company side started as a child JVM ({@link ErpClientProcess}); its log goes to {@code erp.log}. */
final class ChildErpClient implements AutoCloseable {
    private final ChildJvm child;

    private ChildErpClient(ChildJvm child) {
        this.child = child;
    }

    static ChildErpClient start(Path dir, ErpClientProcess.Setup setup) throws IOException {
        ChildJvm child = ChildJvm.start(ErpClientProcess.class, "512m", List.of(), dir.resolve("erp.log"));
        try {
            child.send(setup);
            return new ChildErpClient(child);
        } catch (IOException | RuntimeException e) {
            child.kill();
            throw e;
        }
    }

    /** Starts a round; returns once all its orders are sent. */
    ErpClientProcess.Sent start(ErpClientProcess.Round round) throws IOException {
        return child.ask(round, ErpClientProcess.Sent.class);
    }

    /** Waits until every bundle of the round has its SCA link; the approvals start then. */
    ErpClientProcess.ScaLinks scaLinks() throws IOException {
        return child.read(ErpClientProcess.ScaLinks.class);
    }

    /** Waits until every order of the round is final. */
    ErpClientProcess.Finished finished() throws IOException {
        return child.read(ErpClientProcess.Finished.class);
    }

    @Override
    public void close() throws InterruptedException {
        child.close();
    }
}
