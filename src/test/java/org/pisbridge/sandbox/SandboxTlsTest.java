package org.pisbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API host's TLS: client certificates of the sandbox CA only, TLS 1.2+ only; the authorize host needs none. */
class SandboxTlsTest {
    @TempDir
    static Path dataDir;
    static SandboxBank bank;

    @BeforeAll
    static void start() {
        bank = SandboxBank.start(SandboxSettings.defaults(dataDir));
    }

    @AfterAll
    static void stop() {
        bank.close();
    }

    @Test
    void answersAreSentWithoutNaglesAlgorithm() {
        // the JDK's HTTP server reads this once, at its first server: with Nagle on, an answer written in two TLS
        // records waits for the client's delayed ACK (up to 40 ms a call, which bench-flow showed as idle threads)
        assertThat(Boolean.getBoolean("sun.net.httpserver.nodelay")).isTrue();
    }

    @Test
    void theTppCertificateIsAccepted() throws Exception {
        HttpResponse<byte[]> response = new TppClient(bank).token(new TppClient(bank).withSecret(
                "grant_type", "client_credentials", "scope", "payments"));
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void aConnectionWithoutClientCertificateIsRefused() {
        TppClient anonymous = new TppClient(bank, null);
        assertThatThrownBy(() -> anonymous.token(anonymous.withSecret("grant_type", "client_credentials", "scope", "payments")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedAtTheHandshake() {
        TppClient foreign = new TppClient(bank, bank.tpp().foreignClientKeyStore());
        assertThatThrownBy(() -> foreign.token(foreign.withSecret("grant_type", "client_credentials", "scope", "payments")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void tls11IsRefused() throws Exception {
        // a hand-made TLS 1.1 ClientHello: the JDK client itself would not even offer TLS 1.1
        URI api = URI.create(bank.apiBaseUrl());
        try (Socket socket = new Socket(api.getHost(), api.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(clientHello(0x0302));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int contentType = in.read();
            assertThat(contentType).as("TLS record type: 21 alert, 22 handshake; -1 closed").isIn(21, -1);
            if (contentType == 21) {
                in.readFully(new byte[4]);
                assertThat(in.read()).as("alert level fatal").isEqualTo(2);
            }
        }
    }

    @Test
    void theSameHandMadeClientHelloWithTls12IsAnswered() throws Exception {
        // proves the TLS 1.1 refusal above is about the version, not about the hand-made message
        URI api = URI.create(bank.apiBaseUrl());
        try (Socket socket = new Socket(api.getHost(), api.getPort())) {
            socket.getOutputStream().write(clientHello(0x0303));
            assertThat(socket.getInputStream().read()).as("ServerHello record").isEqualTo(22);
        }
    }

    @Test
    void theAuthorizeHostNeedsNoClientCertificate() throws Exception {
        URI authorize = URI.create(bank.authorizeBaseUrl());
        try (SSLSocket socket = (SSLSocket) TppClient.ssl(bank.tpp(), null).getSocketFactory()
                .createSocket(authorize.getHost(), authorize.getPort())) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
        }
    }

    @Test
    void aTakenPortStopsStartUpNamingIt(@TempDir Path otherDir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("localhost"))) {
            SandboxSettings settings = SandboxSettings.defaults(otherDir).withPorts(taken.getLocalPort(), 0);
            assertThatThrownBy(() -> SandboxBank.start(settings))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Sandbox bank API host cannot bind localhost:" + taken.getLocalPort() + ": port already in use");
        }
    }

    @Test
    void theTppMaterialIsWhatTheRuntimeReads() throws IOException {
        TppMaterial reread = TppMaterial.load(bank.tpp().dir());
        assertThat(reread).isEqualTo(bank.tpp());
        assertThat(bank.state().clients.get(reread.clientId()).redirectUris)
                .isEqualTo(SandboxSettings.DEFAULT_REDIRECT_URIS);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(reread.dir().resolve("client.properties"))))
                .isEqualTo("rw-------");
    }

    /** A minimal ClientHello offering {@code version} (0x0302 = TLS 1.1, 0x0303 = TLS 1.2) with common ECDHE suites. */
    private static byte[] clientHello(int version) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        int[] suites = {0xC02B, 0xC02F, 0xC009, 0xC013, 0x002F};
        // extensions: supported_groups (secp256r1), ec_point_formats, signature_algorithms (ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256)
        byte[] extensions = {
                0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17,
                0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,
                0x00, 0x0d, 0x00, 0x08, 0x00, 0x06, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01};
        ByteBuffer body = ByteBuffer.allocate(2 + 32 + 1 + 2 + suites.length * 2 + 2 + 2 + extensions.length);
        body.putShort((short) version).put(random).put((byte) 0).putShort((short) (suites.length * 2));
        for (int suite : suites) {
            body.putShort((short) suite);
        }
        body.put((byte) 1).put((byte) 0).putShort((short) extensions.length).put(extensions);
        int length = body.position();
        ByteBuffer record = ByteBuffer.allocate(5 + 4 + length);
        record.put((byte) 22).putShort((short) 0x0301).putShort((short) (4 + length));
        record.put((byte) 1).put((byte) 0).putShort((short) length).put(body.array(), 0, length);
        return record.array();
    }
}
