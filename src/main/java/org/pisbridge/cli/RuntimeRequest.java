package org.pisbridge.cli;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.io.PrintStream;
import org.pisbridge.runtime.RuntimeInfrastructure;
import org.pisbridge.runtime.RuntimeSettings;

/**
 * A request to the running runtime over its broker, as an ERP or a script would send it: a text
 * message on the request's queue with a temporary reply queue, and the runtime's answer printed.
 */
final class RuntimeRequest {
    private RuntimeRequest() {
    }

    /** Exit code 0 when the runtime answered, 1 when it could not be reached or did not answer in time. */
    static int ask(RuntimeSettings s, String queue, String text, int waitSeconds, PrintStream out) {
        try (Connection jms = RuntimeInfrastructure.brokerClient(s).createConnection()) {
            jms.start();
            Session session = jms.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue answers = session.createTemporaryQueue();
            TextMessage request = session.createTextMessage(text);
            request.setJMSReplyTo(answers);
            session.createProducer(session.createQueue(queue)).send(request);
            Message answer = session.createConsumer(answers).receive(waitSeconds * 1000L);
            if (answer == null) {
                out.println("No answer from the runtime within " + waitSeconds + " s. The request stays queued on " + queue
                        + "; see the runtime's log.");
                return 1;
            }
            out.println(((TextMessage) answer).getText());
            return 0;
        } catch (JMSException e) {
            out.println("The runtime's broker at " + RuntimeInfrastructure.brokerUrlShown(s) + " cannot be reached ("
                    + e.getMessage() + "). Start the runtime with ./pis-bridge run, then try again.");
            return 1;
        }
    }
}
