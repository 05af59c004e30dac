package org.pisbridge.sandbox;

import com.nimbusds.jose.JWSAlgorithm;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the sandbox bank on its own, handy for curl: {@code -Dsandbox.dataDir=data/sandbox
 * -Dsandbox.host=localhost -Dsandbox.apiPort=8443 -Dsandbox.authorizePort=8444}, and
 * {@code -Dsandbox.idTokenAlgorithm=ES256} for ID tokens signed ES256 rather than RS256. Stops on Ctrl-C.
 */
public final class SandboxBankMain {
    private SandboxBankMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SandboxSettings defaults = SandboxSettings.defaults(Path.of(System.getProperty("sandbox.dataDir", "data/sandbox")));
        SandboxSettings settings = new SandboxSettings(defaults.dataDir(), System.getProperty("sandbox.host", defaults.host()),
                Integer.getInteger("sandbox.apiPort", 8443), Integer.getInteger("sandbox.authorizePort", 8444),
                defaults.financialId(), defaults.users(), defaults.statusReadsPerStep(), defaults.rejectAbove(),
                defaults.codeTtl(), defaults.accessTokenTtl(), defaults.refreshTokenTtl(), defaults.persistent(),
                defaults.provisionedRedirectUris(),
                JWSAlgorithm.parse(System.getProperty("sandbox.idTokenAlgorithm", JWSAlgorithm.RS256.getName())));
        SandboxBank bank = SandboxBank.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            bank.close();
            stopped.countDown();
        }));
        System.out.println("Sandbox bank API " + bank.apiBaseUrl() + " (mTLS), authorize " + bank.authorizeBaseUrl());
        System.out.println("TPP material (certificates, keys, client.properties): " + bank.tpp().dir().toAbsolutePath());
        stopped.await();
    }
}
