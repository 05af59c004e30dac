package org.pisbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.pisbridge.sandbox.SimulatedUser;
import org.pisbridge.sandbox.model.AuthorizationStatus;

/**
 * The operator's console in a real browser (headless Chromium from the Debian packages, driven by
 * Selenium): an operator signs in, sees a batch's progress move as its bundle is approved at the
 * bank, opens the bundle waiting for SCA, copies its link and sends its event again, and reads an
 * order's events; cancels a waiting bundle and re-submits its order until it is paid; an anonymous
 * browser gets the login page for every operator URL and learns no IBAN or amount. Screenshots of
 * the pages go to target/console-screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleTest {
    private static final String PAYER = "FI4950009420028730";
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    /** A request the runtime never answers fails its test, not the whole build by its time limit. */
    private static final java.time.Duration ANSWER_WITHIN = java.time.Duration.ofMinutes(1);

    private ConsoleRuntime r;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        r = new ConsoleRuntime(dir);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stop() throws Exception {
        r.close();
    }

    @Test
    void operatorFollowsABatchAndAnAnonymousBrowserLearnsNothing() throws Exception {
        r.sendBatch("console-batch", PAYER, "1250.00", "89.90", "12.35");
        Map<?, ?> sca = r.scaEventFor("1352.25");
        String bundleId = sca.get("bundleId").toString();
        String link = sca.get("link").toString();

        WebDriver anonymous = browser();
        try {
            for (String path : List.of("/console", "/console/sca", "/console/problems", "/console/health", "/metrics", "/sca",
                    "/console/batch?name=console-batch", "/console/orders/console-batch-1")) {
                anonymous.get(r.baseUrl + path);
                assertThat(URI.create(anonymous.getCurrentUrl()).getPath()).as(path).isEqualTo("/console/login");
                assertThat(anonymous.findElement(By.tagName("h1")).getText()).isEqualTo("Sign in to PIS Bridge");
                assertThat(anonymous.getPageSource()).as(path).doesNotContain(PAYER, "1352.25", "1250.00", bundleId);
            }
            screenshot(anonymous, "login");
            // a wrong password is refused and signs nobody in
            signIn(anonymous, ConsoleRuntime.OPERATOR, "not the password");
            assertThat(anonymous.findElement(By.className("problem")).getText()).contains("Wrong name or password");
        } finally {
            anonymous.quit();
        }

        WebDriver operator = browser();
        try {
            operator.get(r.baseUrl + "/console/sca");
            signIn(operator, ConsoleRuntime.OPERATOR, ConsoleRuntime.PASSWORD);
            // back where it was going
            assertThat(URI.create(operator.getCurrentUrl()).getPath()).isEqualTo("/console/sca");
            Cookie session = operator.manage().getCookieNamed("pis_console");
            assertThat(session.isHttpOnly()).isTrue();
            assertThat(session.getSameSite()).isEqualTo("Strict");

            // the page reloads itself every second: each step finds its elements anew
            By row = By.cssSelector("tr[data-bundle='" + bundleId + "']");
            waitUntil(() -> {
                WebElement bundle = operator.findElement(row);
                assertThat(bundle.getText()).contains(PAYER, "3", "1352.25");
                assertThat(bundle.findElement(By.cssSelector("input.link")).getDomAttribute("value")).isEqualTo(link);
                WebElement copy = bundle.findElement(By.cssSelector("button[data-copy]"));
                copy.click();
                return copy.getText().equals("Copied");
            }, "the link copied");
            screenshot(operator, "waiting-for-sca");

            // "send again" publishes the bundle's event anew, only with the session's CSRF token
            assertThat(postWithoutCsrf(session, "/console/sca/" + bundleId + "/send-again")).isEqualTo(403);
            waitUntil(() -> {
                operator.findElement(row).findElement(By.cssSelector("form.send-again button")).click();
                return operator.findElement(By.id("notice")).getText().startsWith("SENT");
            }, "the event sent again");
            Map<?, ?> again = r.scaEventFor("1352.25");
            assertThat(again.get("bundleId")).isEqualTo(bundleId);
            assertThat(again.get("link")).isEqualTo(link);

            operator.get(r.baseUrl + "/console");
            waitUntil(() -> operator.findElement(By.cssSelector("tr[data-batch='console-batch'] .done")).getText()
                    .equals("0 of 3 final"), "the batch waiting in the console");
            screenshot(operator, "batches-waiting");

            SimulatedUser.Outcome approved = r.user().approve(URI.create(link));
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
            // the page reloads itself; its progress moves until every order is final
            waitUntil(() -> operator.findElement(By.cssSelector("tr[data-batch='console-batch'] .done")).getText()
                    .equals("3 of 3 final"), "the batch final in the console");
            assertThat(operator.findElement(By.cssSelector("tr[data-batch='console-batch'] .states")).getText())
                    .contains("COMPLETED: 3");
            screenshot(operator, "batches-final");

            waitUntil(() -> {
                operator.findElement(By.linkText("console-batch")).click();
                return true;
            }, "the batch opened");
            waitUntil(() -> {
                operator.findElement(By.linkText("console-batch-1")).click();
                return true;
            }, "the order opened");
            waitUntil(() -> {
                operator.navigate().refresh();
                return operator.findElement(By.id("events")).getText().contains("COMPLETED");
            }, "the order's history up to COMPLETED");
            assertThat(operator.findElement(By.id("events")).getText()).contains("RECEIVED", "AWAITING_SCA", "SUBMITTED");
            screenshot(operator, "order");

            operator.get(r.baseUrl + "/console/problems");
            screenshot(operator, "problems");
            operator.get(r.baseUrl + "/console/health");
            assertThat(operator.findElement(By.id("health")).getText()).contains("database UP", "broker UP", "bank UP");
            screenshot(operator, "health");

            waitUntil(() -> {
                operator.findElement(By.cssSelector("header form button")).click();
                return true;
            }, "signed out");
            operator.get(r.baseUrl + "/console");
            assertThat(URI.create(operator.getCurrentUrl()).getPath()).isEqualTo("/console/login");
        } finally {
            operator.quit();
        }
    }

    @Test
    void operatorCancelsAWaitingBundleAndResubmitsItsOrderUntilItIsPaid() throws Exception {
        r.sendBatch("cancel-batch", PAYER, "64.20");
        Map<?, ?> sca = r.scaEventFor("64.20");
        String bundleId = sca.get("bundleId").toString();
        String authorizationId = sca.get("authorizationId").toString();
        String orderId = "cancel-batch-1";

        WebDriver operator = browser();
        try {
            operator.get(r.baseUrl + "/console/sca");
            signIn(operator, ConsoleRuntime.OPERATOR, ConsoleRuntime.PASSWORD);
            Cookie session = operator.manage().getCookieNamed("pis_console");

            // "Cancel…" only asks: a page with the bundle and a second button (the CSP allows no confirm() script)
            By row = By.cssSelector("tr[data-bundle='" + bundleId + "']");
            // the list reloads itself and a click may land on a reload or read the old page: look, then click again
            waitUntil(() -> {
                if (operator.findElement(By.tagName("h1")).getText().equals("Cancel this bundle?")) {
                    return true;
                }
                if (!URI.create(operator.getCurrentUrl()).getPath().equals("/console/sca")) {
                    operator.get(r.baseUrl + "/console/sca");
                }
                operator.findElement(row).findElement(By.cssSelector("form.cancel button")).click();
                return operator.findElement(By.tagName("h1")).getText().equals("Cancel this bundle?");
            }, "the cancellation asked for");
            assertThat(operator.findElement(By.id("bundle")).getText()).contains(bundleId, PAYER, "Payments 1", "EUR 64.20");
            screenshot(operator, "cancel-confirm");

            // neither step goes on without the session's CSRF token: the bundle is still there to cancel below
            assertThat(postWithoutCsrf(session, "/console/sca/" + bundleId + "/cancel")).isEqualTo(403);
            assertThat(postWithoutCsrf(session, "/console/sca/" + bundleId + "/cancel/confirmed")).isEqualTo(403);
            assertThat(r.bank.state().authorizations.get(authorizationId).status).isNotEqualTo(AuthorizationStatus.Revoked);

            operator.findElement(By.cssSelector("form.confirm-cancel button")).click();
            // the answer's page may still be loading on a busy machine
            waitUntil(() -> !operator.findElements(By.id("notice")).isEmpty(), "the cancellation's answer shown");
            assertThat(operator.findElement(By.id("notice")).getText()).startsWith("CANCELLED: bundle " + bundleId);
            assertThat(operator.findElements(row)).isEmpty();
            assertThat(r.bank.state().authorizations.get(authorizationId).status).isEqualTo(AuthorizationStatus.Revoked);
            screenshot(operator, "cancelled");

            operator.get(r.baseUrl + "/console/orders/" + orderId);
            assertThat(operator.findElement(By.id("order")).getText()).contains("State CANCELLED");
            assertThat(operator.findElements(By.cssSelector("form.resubmit button"))).hasSize(1);

            // a re-submission without the token changes nothing: the order is still CANCELLED
            assertThat(postWithoutCsrf(session, "/console/orders/" + orderId + "/resubmit")).isEqualTo(403);
            operator.navigate().refresh();
            assertThat(operator.findElement(By.id("order")).getText()).contains("State CANCELLED");

            // from Problems (it reloads itself: a click may fall on a reload, so click until the answer shows)
            operator.get(r.baseUrl + "/console/problems");
            By resubmit = By.cssSelector("tr[data-order='" + orderId + "'] form.resubmit button");
            waitUntil(() -> {
                if (operator.findElements(By.id("notice")).isEmpty()) {
                    operator.findElement(resubmit).click();
                }
                return !operator.findElements(By.id("notice")).isEmpty();
            }, "the order re-submitted");
            assertThat(operator.findElement(By.id("notice")).getText()).startsWith("RESUBMITTED: " + orderId);
            screenshot(operator, "resubmitted");

            // a new bundle waits for a new SCA; once approved the order is paid
            Map<?, ?> again = r.scaEventFor("64.20");
            String newBundleId = again.get("bundleId").toString();
            assertThat(newBundleId).isNotEqualTo(bundleId);
            operator.get(r.baseUrl + "/console/sca");
            waitUntil(() -> operator.findElement(By.cssSelector("tr[data-bundle='" + newBundleId + "']")).getText()
                    .contains(PAYER), "the new bundle waiting for SCA");
            SimulatedUser.Outcome approved = r.user().approve(URI.create(again.get("link").toString()));
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);

            operator.get(r.baseUrl + "/console/orders/" + orderId);
            // the history shows an event once it is published, a moment after the state changed
            waitUntil(() -> {
                operator.navigate().refresh();
                return operator.findElement(By.id("order")).getText().contains("State COMPLETED")
                        && operator.findElement(By.id("events")).getText().contains("COMPLETED");
            }, "the re-submitted order COMPLETED, in its history too");
            assertThat(operator.findElement(By.id("events")).getText()).contains("CANCELLED", "COMPLETED");
            assertThat(operator.findElements(By.cssSelector("form.resubmit"))).isEmpty();
            screenshot(operator, "resubmitted-order");
        } finally {
            operator.quit();
        }
    }

    @Test
    void operatorResubmitsAFailedOrderFromItsPage() throws Exception {
        r.bank.faults().status("POST", "/payments-psd2/v1/sepa-payments", 422, "InsufficientFunds at the time", 1);
        r.sendBatch("failed-batch", PAYER, "65.30");
        String orderId = "failed-batch-1";

        WebDriver operator = browser();
        try {
            operator.get(r.baseUrl + "/console/orders/" + orderId);
            signIn(operator, ConsoleRuntime.OPERATOR, ConsoleRuntime.PASSWORD);
            waitUntil(() -> {
                operator.get(r.baseUrl + "/console/orders/" + orderId);
                return operator.findElement(By.id("order")).getText().contains("State FAILED");
            }, "the order FAILED with the bank's refusal");
            assertThat(operator.findElement(By.id("order")).getText()).contains("InsufficientFunds at the time");

            // the page reloads itself: a click may fall on a reload, so click until the answer shows
            waitUntil(() -> {
                if (operator.findElements(By.id("notice")).isEmpty()) {
                    operator.findElement(By.cssSelector("form.resubmit button")).click();
                }
                return !operator.findElements(By.id("notice")).isEmpty();
            }, "the order re-submitted");
            assertThat(operator.findElement(By.id("notice")).getText()).startsWith("RESUBMITTED: " + orderId);
            screenshot(operator, "resubmitted-failed-order");

            Map<?, ?> again = r.scaEventFor("65.30");
            SimulatedUser.Outcome approved = r.user().approve(URI.create(again.get("link").toString()));
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
            waitUntil(() -> {
                operator.get(r.baseUrl + "/console/orders/" + orderId);
                return operator.findElement(By.id("order")).getText().contains("State COMPLETED")
                        && operator.findElement(By.id("events")).getText().contains("COMPLETED");
            }, "the re-submitted order COMPLETED, in its history too");
            assertThat(operator.findElement(By.id("events")).getText()).contains("FAILED", "COMPLETED");
        } finally {
            operator.quit();
        }
    }

    @Test
    void everyOperatorAnswerCarriesTheSecurityHeaders() throws Exception {
        HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(r.baseUrl + "/console/login"))
                .timeout(ANSWER_WITHIN)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'",
                "frame-ancestors 'none'", "form-action 'self'");
        assertThat(login.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(login.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(login.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly", "SameSite=Strict");
        // a machine client without a token gets 401, not a page
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(r.baseUrl + "/metrics"))
                .timeout(ANSWER_WITHIN)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(401);
        assertThat(metrics.body()).doesNotContain("pis_");
    }

    @Test
    void aCompletedBatchMovesTheCountersAndTheLatencyHistogram() throws Exception {
        String before = metrics();
        double completed = sum(before, "pis_orders", "state=\"COMPLETED\"");
        double creations = sum(before, "pis_bank_calls_seconds_count", "endpoint=\"/payments-psd2/v1/sepa-payments\"");
        double submissions = sum(before, "pis_bank_calls_seconds_count", "/submissions/{id}");

        r.sendBatch("metrics-batch", "FI4950009420028730", "10.10", "20.20");
        Map<?, ?> sca = r.scaEventFor("30.30");
        String waiting = metrics();
        assertThat(sum(waiting, "pis_bundles_awaiting_sca", "")).isGreaterThanOrEqualTo(1);
        assertThat(sum(waiting, "pis_sca_oldest_wait_seconds", "")).isGreaterThanOrEqualTo(0);
        assertThat(r.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);

        String after = null;
        for (int i = 0; i < 240 && (after == null || sum(after, "pis_orders", "state=\"COMPLETED\"") < completed + 2); i++) {
            Thread.sleep(500);
            after = metrics();
        }
        assertThat(sum(after, "pis_orders", "state=\"COMPLETED\"")).isEqualTo(completed + 2);
        // two payments created and submitted, each call timed in the histogram by endpoint and outcome
        assertThat(sum(after, "pis_bank_calls_seconds_count", "endpoint=\"/payments-psd2/v1/sepa-payments\"")).isGreaterThanOrEqualTo(creations + 2);
        assertThat(sum(after, "pis_bank_calls_seconds_count", "/submissions/{id}")).isGreaterThanOrEqualTo(submissions + 2);
        assertThat(after).containsPattern("pis_bank_calls_seconds_bucket\\{endpoint=\"/payments-psd2/v1/sepa-payments\",outcome=\"2\\d\\d\",le=\"[0-9.]+\"")
                .contains("pis_bank_calls_seconds_sum", "endpoint=\"/oauth/token\"", "pis_bank_retries_total", "pis_outbox_backlog",
                        "pis_signature_failures", "camel_exchanges_total");
        assertThat(after).doesNotContain("FI4950009420028730");
    }

    @Test
    void sendAgainIsAlsoAJmsRequest() throws Exception {
        r.sendBatch("jms-batch", "FI4950009420028730", "7.77");
        Map<?, ?> sca = r.scaEventFor("7.77");

        assertThat(ask(sca.get("bundleId").toString())).startsWith("SENT");
        assertThat(r.scaEventFor("7.77").get("link")).isEqualTo(sca.get("link"));
        assertThat(ask("no-such-bundle")).startsWith("NOT_WAITING");
    }

    /** A request on the send-again queue, as `pis-bridge sca-again` sends it; the runtime's answer. */
    private String ask(String bundleId) throws Exception {
        jakarta.jms.TemporaryQueue answers = r.session.createTemporaryQueue();
        jakarta.jms.TextMessage request = r.session.createTextMessage(bundleId);
        request.setJMSReplyTo(answers);
        r.session.createProducer(r.session.createQueue("pis.sca.again")).send(request);
        jakarta.jms.Message answer = r.session.createConsumer(answers).receive(60_000);
        assertThat(answer).as("answer to %s", bundleId).isInstanceOf(jakarta.jms.TextMessage.class);
        return ((jakarta.jms.TextMessage) answer).getText();
    }

    private String metrics() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(r.baseUrl + "/metrics"))
                .timeout(ANSWER_WITHIN)
                .header("Authorization", "Bearer " + r.apiToken).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        return answer.body();
    }

    /** The sum of a Prometheus series' samples whose labels contain {@code labels}. */
    private static double sum(String text, String name, String labels) {
        return text.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> l.contains(labels))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private int postWithoutCsrf(Cookie session, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(r.baseUrl + path)).timeout(ANSWER_WITHIN)
                .header("Cookie", session.getName() + "=" + session.getValue())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=guess")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void signIn(WebDriver browser, String name, String password) {
        browser.findElement(By.name("username")).sendKeys(name);
        browser.findElement(By.name("password")).sendKeys(password);
        WebElement form = browser.findElement(By.cssSelector("form"));
        form.findElement(By.cssSelector("button[type=submit]")).click();
        // a click can return before the form's POST has even started (BCrypt makes the answer slow):
        // the next page is there once the form is gone
        new WebDriverWait(browser, ANSWER_WITHIN).until(ExpectedConditions.stalenessOf(form));
    }

    /** Headless Chromium and chromedriver from the Debian packages (.ci/run installs them). */
    static WebDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).build();
        return new ChromeDriver(service, options);
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Checks up to 240 times, half a second apart. */
    private static void waitUntil(Condition condition, String what) throws Exception {
        for (int i = 0; i < 240; i++) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (org.openqa.selenium.WebDriverException | AssertionError e) {
                // the page reloaded itself meanwhile (its elements gone), or is not there yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("never: " + what);
    }

    private static void screenshot(WebDriver browser, String name) throws Exception {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
