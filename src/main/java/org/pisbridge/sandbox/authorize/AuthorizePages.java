package org.pisbridge.sandbox.authorize;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.List;
import org.pisbridge.sandbox.model.SandboxPayment;

/**
 * The HTML of the authorize host: login, consent and error pages. Plain HTML and inline CSS, no
 * script. Every value from a request or the ledger is escaped. The forms' field names are what
 * {@code SimulatedUser} and browser tests fill in: {@code username}, {@code password},
 * {@code session} (hidden) and the buttons {@code decision=approve|reject}.
 */
final class AuthorizePages {
    static final String LOGIN_PATH = "/oauth/authorize/login";
    static final String CONSENT_PATH = "/oauth/authorize/consent";

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f2f4f3;color:#1d1d1b;margin:0}
            header{background:#ff6a10;color:#fff;padding:14px 24px;font-weight:600;font-size:18px}
            main{max-width:760px;margin:32px auto;background:#fff;border-radius:8px;padding:28px 32px;box-shadow:0 1px 4px rgba(0,0,0,.12)}
            h1{font-size:22px;margin-top:0}
            label{display:block;margin:14px 0 4px;font-weight:600}
            input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:10px;font-size:16px;border:1px solid #999;border-radius:4px}
            button{margin-top:20px;margin-right:12px;padding:10px 26px;font-size:16px;border-radius:4px;border:0;cursor:pointer}
            .primary{background:#ff6a10;color:#fff}.secondary{background:#e0e0e0;color:#1d1d1b}
            .error{background:#fdecea;border-left:4px solid #c62828;padding:10px 14px;margin:12px 0}
            .note{color:#555;font-size:14px}
            table{width:100%;border-collapse:collapse;margin:16px 0}
            th,td{text-align:left;padding:8px;border-bottom:1px solid #ddd;vertical-align:top}
            td.amount,th.amount{text-align:right;white-space:nowrap}
            tfoot td{font-weight:600;border-bottom:0}
            """;

    private AuthorizePages() {
    }

    static String login(String sessionId, String clientName, String error) {
        return page("Log in", """
                <h1>Log in to approve payments</h1>
                <p><strong>%s</strong> asks you to approve payments from your account.</p>
                %s
                <form method="post" action="%s">
                  <input type="hidden" name="session" value="%s">
                  <label for="username">User ID</label>
                  <input type="text" id="username" name="username" autocomplete="username" required>
                  <label for="password">Password</label>
                  <input type="password" id="password" name="password" autocomplete="current-password" required>
                  <button type="submit" class="primary">Log in</button>
                </form>
                <p class="note">Sandbox bank: the test users are 88888881 and 88888882, password 11221122.</p>
                """.formatted(escape(clientName), error == null ? "" : errorBox(error), LOGIN_PATH, escape(sessionId)));
    }

    static String consent(String sessionId, String clientName, String userId, Collection<String> payerIbans,
                          List<SandboxPayment> payments) {
        StringBuilder rows = new StringBuilder();
        BigDecimal total = BigDecimal.ZERO;
        for (SandboxPayment p : payments) {
            total = total.add(p.amountEUR);
            rows.append("<tr><td>").append(escape(p.payeeName)).append("</td><td>").append(escape(p.payeeIban))
                    .append("</td><td>").append(escape(p.message == null ? "" : p.message))
                    .append("</td><td class=\"amount\">").append(euros(p.amountEUR)).append("</td></tr>\n");
        }
        return page("Approve payments", """
                <h1>Approve payments</h1>
                <p>Logged in as <strong>%s</strong>. <strong>%s</strong> asks you to approve
                   %d payment%s from account <strong>%s</strong>.</p>
                <table>
                  <thead><tr><th>Payee</th><th>Payee account</th><th>Message</th><th class="amount">Amount</th></tr></thead>
                  <tbody>
                %s  </tbody>
                  <tfoot><tr><td colspan="3">Total of %d payment%s</td><td class="amount">%s</td></tr></tfoot>
                </table>
                <form method="post" action="%s">
                  <input type="hidden" name="session" value="%s">
                  <button type="submit" name="decision" value="approve" class="primary">Approve</button>
                  <button type="submit" name="decision" value="reject" class="secondary">Reject</button>
                </form>
                """.formatted(escape(userId), escape(clientName), payments.size(), plural(payments.size()),
                escape(String.join(", ", payerIbans)), rows, payments.size(), plural(payments.size()), euros(total),
                CONSENT_PATH, escape(sessionId)));
    }

    static String error(String title, String message) {
        return page(title, "<h1>" + escape(title) + "</h1>\n" + errorBox(message)
                + "<p class=\"note\">Return to the service you came from and start again.</p>\n");
    }

    private static String page(String title, String body) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s – Sandbox Bank</title>
                <style>
                %s</style>
                </head>
                <body>
                <header>Sandbox Bank</header>
                <main>
                %s</main>
                </body>
                </html>
                """.formatted(escape(title), STYLE, body);
    }

    private static String errorBox(String message) {
        return "<p class=\"error\" role=\"alert\">" + escape(message) + "</p>\n";
    }

    private static String euros(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.UNNECESSARY).toPlainString() + " EUR";
    }

    private static String plural(int count) {
        return count == 1 ? "" : "s";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
