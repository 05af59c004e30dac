package org.pisbridge.cli;

import java.nio.file.Path;
import java.util.List;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.pisbridge.runtime.RuntimeSettings;
import org.pisbridge.sandbox.SandboxBank;
import org.pisbridge.sandbox.SandboxSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the built-in sandbox bank in this process before the runtime configures itself, when
 * {@code pis.sandbox.enabled} is set; its first start creates the PKI and the TPP material the
 * runtime's bank settings point at.
 */
final class LocalSandboxBank extends MainListenerSupport {
    private static final Logger LOG = LoggerFactory.getLogger(LocalSandboxBank.class);

    private SandboxBank bank;

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        bank = startIfEnabled(new RuntimeSettings(main.getCamelContext()));
    }

    /** Starts the sandbox bank when {@code pis.sandbox.enabled} is set; null otherwise. */
    static SandboxBank startIfEnabled(RuntimeSettings s) {
        if (!s.flag("pis.sandbox.enabled", false)) {
            return null;
        }
        SandboxSettings settings = SandboxSettings.defaults(s.path("pis.sandbox.data-dir", "data/sandbox"))
                .withPorts(s.integer("pis.sandbox.api-port", 8443), s.integer("pis.sandbox.authorize-port", 8444))
                .withRedirectUris(List.of(s.required("pis.bank.redirect-uri")));
        SandboxBank bank = SandboxBank.start(settings);
        LOG.info("Sandbox bank running: API {} (mTLS), authorize {}", bank.apiBaseUrl(), bank.authorizeBaseUrl());
        return bank;
    }

    @Override
    public void afterStop(BaseMainSupport main) {
        if (bank != null) {
            bank.close();
        }
    }

    SandboxBank bank() {
        return bank;
    }

    static Path tppDir(RuntimeSettings s) {
        return s.path("pis.sandbox.data-dir", "data/sandbox").resolve("tpp");
    }
}
