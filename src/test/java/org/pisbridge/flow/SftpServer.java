package org.pisbridge.flow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SFTP server for the file tests (Apache MINA SSHD on loopback, password login) with an
 * {@code inbox/}, and the runtime's settings to read from it and write reports to its
 * {@code outbox/}, the server's host key checked against a known_hosts file.
 */
final class SftpServer implements AutoCloseable {
    private final SshServer sshd;
    private final Path dir;
    final Path root;

    SftpServer(Path dir) throws IOException {
        this.dir = dir;
        root = Files.createDirectories(dir.resolve("sftp-root"));
        Files.createDirectories(root.resolve("inbox"));
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(dir.resolve("hostkey.ser")));
        sshd.setPasswordAuthenticator((user, password, session) -> "erp".equals(user) && "s3cret-Pw".equals(password));
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(root));
        sshd.start();
    }

    /** The runtime's file settings for this server; {@code antInclude} the names the inbox takes. */
    Map<String, String> settings(String antInclude) throws Exception {
        int port = sshd.getPort();
        KeyPair hostKey = sshd.getKeyPairProvider().loadKeys(null).iterator().next();
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
        String server = "sftp://erp@127.0.0.1:" + port;
        String login = "password=RAW(s3cret-Pw)&knownHostsFile=" + knownHosts + "&strictHostKeyChecking=yes"
                + "&useUserKnownHostsFile=false";
        Map<String, String> s = new HashMap<>();
        s.put("pis.files.inbox-uri", server + "/inbox?" + login + "&localWorkDirectory=" + dir.resolve("sftp-work")
                + "&readLock=changed&readLockCheckInterval=300&readLockMinAge=300&delay=200"
                + "&move=.done/${file:name}&moveFailed=.error/${file:name}&antInclude=" + antInclude + "&idempotent=true"
                + "&idempotentEager=false&idempotentRepository=#filesTaken&pollStrategy=#inboxReader"
                + "&idempotentKey=${file:name}-${file:size}-${file:modified}");
        s.put("pis.files.error-uri", server + "/inbox/.error?" + login);
        s.put("pis.files.outbox-uri", server + "/outbox?" + login + "&tempPrefix=.writing-");
        s.put("pis.files.report-interval-ms", "200");
        return s;
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }
}
