package org.pisbridge.cli;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.pisbridge.orders.InputProblem;
import org.pisbridge.orders.OrderValidator;
import org.pisbridge.runtime.ConfigurationFiles;
import org.pisbridge.runtime.RuntimeInfrastructure;
import org.pisbridge.runtime.RuntimeSettings;

/**
 * {@code pis-bridge revoke <payer IBAN>}: an operator withdraws a payer's authority. The running
 * runtime, which holds the payer's encrypted refresh token, is asked over its broker (the same
 * {@code pis.grants.revoke} queue an ERP uses) to revoke it at the bank (RFC 7009) and remove the
 * grant; the command prints its answer.
 */
public final class RevokeCommand {
    private RevokeCommand() {
    }

    /** Exit code 0 when the runtime answered, 1 when it could not be reached or did not answer, 2 for bad input. */
    public static int run(Path config, Map<String, String> overrides, List<String> args, PrintStream out) throws Exception {
        List<String> given = args.stream().filter(a -> !a.startsWith("--") && !a.equals(config.toString())).toList();
        if (given.size() != 1) {
            out.println("usage: pis-bridge revoke <payer IBAN> [--config config/application.properties]");
            return 2;
        }
        List<InputProblem> problems = new ArrayList<>();
        String payer = OrderValidator.iban(given.get(0), "payer IBAN", problems);
        if (payer == null) {
            out.println(given.get(0) + ": " + problems.get(0).field() + " " + problems.get(0).reason());
            return 2;
        }
        try (CamelContext camel = ConfigurationFiles.context(config, overrides)) {
            RuntimeSettings s = new RuntimeSettings(camel);
            int waitSeconds = s.integer("pis.grants.revoke-wait-seconds", 30);
            try (Connection jms = RuntimeInfrastructure.brokerClient(s).createConnection()) {
                jms.start();
                Session session = jms.createSession(false, Session.AUTO_ACKNOWLEDGE);
                TemporaryQueue answers = session.createTemporaryQueue();
                TextMessage request = session.createTextMessage(payer);
                request.setJMSReplyTo(answers);
                session.createProducer(session.createQueue(s.string("pis.grants.revoke-queue", "pis.grants.revoke")))
                        .send(request);
                Message answer = session.createConsumer(answers).receive(waitSeconds * 1000L);
                if (answer == null) {
                    out.println("No answer from the runtime within " + waitSeconds + " s. The request stays queued and is"
                            + " retried (the bank may be unreachable); see the runtime's log.");
                    return 1;
                }
                out.println(((TextMessage) answer).getText());
                return 0;
            } catch (JMSException e) {
                out.println("The runtime's broker at " + RuntimeInfrastructure.brokerUrlShown(s)
                        + " cannot be reached (" + e.getMessage() + "). The runtime holds the payer's grant: start it with"
                        + " ./pis-bridge run, then revoke again.");
                return 1;
            }
        }
    }
}
