package org.pisbridge.runtime;

import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListener;

/**
 * The PIS Bridge runtime: Camel Main with config/application.properties (and the bank profile it
 * names), the routes in {@code routes/*.camel.yaml} and the infrastructure they stand on.
 */
public final class PisBridgeRuntime {
    private final RuntimeMain main = new RuntimeMain();

    /**
     * @param configFile the application.properties to run with
     * @param before     listeners that must act before the runtime's own infrastructure (e.g. a
     *                   local sandbox bank the launcher starts)
     */
    public PisBridgeRuntime(Path configFile, MainListener... before) {
        this(configFile, Map.of(), before);
    }

    /**
     * @param overrides settings that win over the file, the environment and system properties
     *                  (the demo's and the tests' own data directories and ports)
     */
    public PisBridgeRuntime(Path configFile, Map<String, String> overrides, MainListener... before) {
        overrides.forEach(main::addOverrideProperty);
        main.setPropertyPlaceholderLocations(ConfigurationFiles.locations(configFile, overrides));
        for (MainListener listener : before) {
            main.addMainListener(listener);
        }
        main.addMainListener(new RuntimeInfrastructure());
    }

    /** Runs until the JVM is asked to stop (SIGTERM, Ctrl-C). */
    public void run() throws Exception {
        main.run();
    }

    /** Starts without blocking; {@link #stop()} ends it. */
    public void start() throws Exception {
        main.start();
        if (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
            throw new IllegalStateException("PIS Bridge did not start; see the log above");
        }
    }

    /** Stops the routes, then what they stood on (broker, database): the listeners' stop hooks run as they do after {@link #run()}. */
    public void stop() {
        main.stopWithListeners();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** Camel Main whose listeners hear of a stop that {@link #start()} began, not only one at the end of {@code run()}. */
    private static final class RuntimeMain extends Main {
        void stopWithListeners() {
            try {
                beforeStop();
                stop();
                afterStop();
            } catch (Exception e) {
                throw new IllegalStateException("PIS Bridge did not stop cleanly: " + e.getMessage(), e);
            }
        }
    }
}
