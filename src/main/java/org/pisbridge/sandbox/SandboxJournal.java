package org.pisbridge.sandbox;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.text.ParseException;
import java.time.Instant;
import java.util.Map;
import org.pisbridge.sandbox.model.AuthorizationCode;
import org.pisbridge.sandbox.model.RegisteredClient;
import org.pisbridge.sandbox.model.SandboxAuthorization;
import org.pisbridge.sandbox.model.SandboxPayment;
import org.pisbridge.sandbox.model.TokenGrant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the ledger durable: every {@link SandboxState#save(Object)} appends one JSON line
 * ({@code {"type": ..., "entity": {...}}}) to {@code ledger.jsonl}; at start the lines are replayed
 * in order, so the last write of each entity wins. Appending keeps a save O(1): an authorization is
 * written without its payments (each payment names its authorization, and the list is rebuilt from
 * them on replay, in the order they were created), else each payment joining a bundle of n would
 * write the n before it again.
 */
public final class SandboxJournal implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxJournal.class);
    public static final String FILE = "ledger.jsonl";

    private static final Map<Class<?>, String> TYPES = Map.of(
            RegisteredClient.class, "client",
            SandboxAuthorization.class, "authorization",
            SandboxPayment.class, "payment",
            AuthorizationCode.class, "code",
            TokenGrant.class, "token",
            AuthorizeRequestSeen.class, "authorize-request");

    private static final ObjectMapper MAPPER = entityMapper();

    private final OutputStream out;

    private SandboxJournal(OutputStream out) {
        this.out = out;
    }

    /** Replays {@code dataDir/ledger.jsonl} into {@code state}, then records every later save there. */
    public static SandboxJournal open(Path dataDir, SandboxState state) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                replay(file, state);
            }
            SandboxJournal writer = new SandboxJournal(Files.newOutputStream(file, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE));
            state.journalTo(writer::append);
            return writer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the sandbox ledger " + file, e);
        }
    }

    private static void replay(Path file, SandboxState state) throws IOException {
        int entries = 0;
        // in the order they were first written, which is the order they joined their authorization
        java.util.Set<String> payments = new java.util.LinkedHashSet<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = MAPPER.readTree(line);
                } catch (IOException e) {
                    // a line torn by a crash in the middle of a write: what it held was never acknowledged
                    LOG.warn("Sandbox ledger {} line {} is incomplete; skipped", file, number);
                    continue;
                }
                String type = node.path("type").asText();
                apply(type, node.path("entity"), state);
                if ("payment".equals(type)) {
                    payments.add(node.path("entity").path("paymentId").asText());
                }
                entries++;
            }
        }
        for (String paymentId : payments) {
            SandboxPayment p = state.payments.get(paymentId);
            SandboxAuthorization a = p.authorizationId == null ? null : state.authorizations.get(p.authorizationId);
            if (a != null) {
                a.paymentIds.add(paymentId);
            }
        }
        LOG.info("Sandbox ledger replayed: {} entries, {} payments, {} authorizations", entries,
                state.payments.size(), state.authorizations.size());
    }

    private static void apply(String type, JsonNode entity, SandboxState state) throws IOException {
        switch (type) {
            case "client" -> {
                RegisteredClient c = MAPPER.treeToValue(entity, RegisteredClient.class);
                state.clients.put(c.clientId, c);
            }
            case "authorization" -> {
                SandboxAuthorization a = MAPPER.treeToValue(entity, SandboxAuthorization.class);
                state.authorizations.put(a.authorizationId, a);
            }
            case "payment" -> {
                SandboxPayment p = MAPPER.treeToValue(entity, SandboxPayment.class);
                state.payments.put(p.paymentId, p);
                if (p.idempotencyKey != null) {
                    state.paymentsByIdempotencyKey.put(p.clientId + "|" + p.idempotencyKey, p.paymentId);
                }
            }
            case "code" -> {
                AuthorizationCode c = MAPPER.treeToValue(entity, AuthorizationCode.class);
                state.codes.put(c.code, c);
            }
            case "token" -> {
                TokenGrant t = MAPPER.treeToValue(entity, TokenGrant.class);
                state.tokens.put(t.token, t);
            }
            case "authorize-request" -> state.acceptAuthorizeRequest(
                    MAPPER.treeToValue(entity, AuthorizeRequestSeen.class));
            default -> LOG.warn("Sandbox ledger entry of unknown type '{}' skipped", type);
        }
    }

    private void append(Object entity) {
        String type = TYPES.get(entity.getClass());
        if (type == null) {
            throw new IllegalArgumentException("the sandbox ledger does not keep " + entity.getClass().getName());
        }
        ObjectNode line = MAPPER.createObjectNode();
        line.put("type", type);
        line.set("entity", MAPPER.valueToTree(entity));
        try {
            byte[] bytes = (MAPPER.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (out) {
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the sandbox ledger", e);
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (out) {
            out.close();
        }
    }

    /** Model classes are plain public fields; JWK sets keep their public parts only, which is all a client has. */
    private static ObjectMapper entityMapper() {
        SimpleModule module = new SimpleModule("sandbox-ledger")
                // amounts as strings: a JSON number read back through a tree loses its scale ("3.00" → 3)
                .addSerializer(BigDecimal.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(BigDecimal value, JsonGenerator gen, SerializerProvider sp) throws IOException {
                        gen.writeString(value.toPlainString());
                    }
                })
                .addDeserializer(BigDecimal.class, new JsonDeserializer<>() {
                    @Override
                    public BigDecimal deserialize(JsonParser p, DeserializationContext dc) throws IOException {
                        return new BigDecimal(p.getValueAsString());
                    }
                })
                .addSerializer(Instant.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(Instant value, JsonGenerator gen, SerializerProvider sp) throws IOException {
                        gen.writeString(value.toString());
                    }
                })
                .addDeserializer(Instant.class, new JsonDeserializer<>() {
                    @Override
                    public Instant deserialize(JsonParser p, DeserializationContext dc) throws IOException {
                        return Instant.parse(p.getValueAsString());
                    }
                })
                .addSerializer(JWKSet.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(JWKSet value, JsonGenerator gen, SerializerProvider sp) throws IOException {
                        gen.writeString(value.toString(true));
                    }
                })
                .addDeserializer(JWKSet.class, new JsonDeserializer<>() {
                    @Override
                    public JWKSet deserialize(JsonParser p, DeserializationContext dc) throws IOException {
                        try {
                            return JWKSet.parse(p.getValueAsString());
                        } catch (ParseException e) {
                            throw new IOException("unreadable JWK set in the sandbox ledger", e);
                        }
                    }
                });
        return new ObjectMapper()
                .addMixIn(SandboxAuthorization.class, AuthorizationWithoutPayments.class)
                .setVisibility(PropertyAccessor.ALL, Visibility.NONE)
                .setVisibility(PropertyAccessor.FIELD, Visibility.ANY)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .registerModule(module);
    }

    /** An authorization's line: its payments are rebuilt from theirs (an older ledger's list is ignored). */
    @JsonIgnoreProperties("paymentIds")
    private abstract static class AuthorizationWithoutPayments {
    }
}
