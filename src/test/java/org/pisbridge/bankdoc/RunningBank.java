package org.pisbridge.bankdoc;

import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.pisbridge.sandbox.SandboxBank;
import org.pisbridge.sandbox.SandboxSettings;
import org.pisbridge.sandbox.SandboxState;
import org.pisbridge.sandbox.SimulatedUser;
import org.pisbridge.sandbox.TppMaterial;

/**
 * The sandbox bank started for one test on free ports, and the TPP material it provisioned. This is the only
 * place the tests touch the sandbox's own classes: its start-up surface and its ledger.
 */
final class RunningBank implements AutoCloseable {
    /** The redirect URI of the document's section 4.1 example; registered too, never served (by-hand tests). */
    static final String REDIRECT_URI = "https://localhost:8181/oauth/access_token";
    static final String USER = "88888881";
    static final String OTHER_USER = "88888882";
    static final String PASSWORD = "11221122";
    /** Accounts of user 88888881 (OP accounts: bank code 5). */
    static final String PAYER = "FI4950009420028730";
    static final String PAYERS_OTHER_ACCOUNT = "FI5850009420172322";
    /** An account of user 88888882. */
    static final String OTHER_USERS_ACCOUNT = "FI5542345670000081";
    static final String PAYEE = "FI9112345600000786";
    static final String SECOND_PAYEE = "FI2940000000000011";
    static final String THIRD_PAYEE = "FI2840000000000029";

    private final TppFrontDoor frontDoor;
    private final SandboxBank bank;
    private final TppMaterial material;
    private final SSLContext clientTls;
    private final SSLContext browserTls;
    private final DocumentTpp tpp;

    private RunningBank(TppFrontDoor frontDoor, SandboxBank bank) {
        this.frontDoor = frontDoor;
        this.bank = bank;
        this.material = bank.tpp();
        this.clientTls = MutualTls.clientContext(material.clientKeyStore(), material.keyStorePassword(),
                material.trustStore(), material.trustStorePassword());
        this.browserTls = MutualTls.trustOnly(material.trustStore(), material.trustStorePassword());
        TppIdentity identity = new TppIdentity(material.clientId(), material.clientSecret(), material.apiKey(),
                TppIdentity.readSigningKey(material.signingKeyPem()), material.signingKid(), REDIRECT_URI);
        this.tpp = DocumentTpp.connect(clientTls, browserTls, bank.apiBaseUrl(), bank.authorizeBaseUrl(), identity,
                "test");
    }

    static RunningBank start(Path dataDir) {
        TppFrontDoor frontDoor = TppFrontDoor.start();
        return new RunningBank(frontDoor, SandboxBank.start(SandboxSettings.defaults(dataDir)
                .withRedirectUris(List.of(REDIRECT_URI, frontDoor.callbackUri()))));
    }

    DocumentTpp tpp() {
        return tpp;
    }

    /** The same TPP over another TLS context, e.g. one without a client certificate. */
    DocumentTpp tppOver(SSLContext tls) {
        return DocumentTpp.connect(tls, browserTls, bank.apiBaseUrl(), bank.authorizeBaseUrl(), tpp.identity(), "test");
    }

    SSLContext browserTls() {
        return browserTls;
    }

    SSLContext foreignClientTls() {
        return MutualTls.clientContext(material.foreignClientKeyStore(), material.keyStorePassword(),
                material.trustStore(), material.trustStorePassword());
    }

    /** Subject of the provisioned client certificate, for tls_client_auth registrations. */
    String clientCertificateSubject() {
        return MutualTls.subjectDn(material.clientKeyStore(), material.keyStorePassword());
    }

    SimulatedUser simulatedUser(String username) {
        return new SimulatedUser(browserTls, username, PASSWORD);
    }

    TppFrontDoor frontDoor() {
        return frontDoor;
    }

    UserAtTheBank userByHand(String username) {
        return new UserAtTheBank(browserTls, username, PASSWORD);
    }

    SandboxState ledger() {
        return bank.state();
    }

    @Override
    public void close() {
        bank.close();
        frontDoor.close();
    }
}
