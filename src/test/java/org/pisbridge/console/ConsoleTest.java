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
import org.pisbridge.sandbox.SimulatedUser;

/**
 * The operator's console in a real browser (headless Chromium from the Debian packages, driven by
 * Selenium): an operator signs in, sees a batch's progress move as its bundle is approved at the
 * bank, opens the bundle waiting for SCA, copies its link and sends its event again, and reads an
 * order's events; an anonymous browser gets the login page for every operator URL and learns no
 * IBAN or amount. Screenshots of the pages go to target/console-screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleTest {
    private static final String PAYER = "FI4950009420028730";
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");

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

            WebElement row = operator.findElement(By.cssSelector("tr[data-bundle='" + bundleId + "']"));
            assertThat(row.getText()).contains(PAYER, "3", "1352.25");
            WebElement linkField = row.findElement(By.cssSelector("input.link"));
            assertThat(linkField.getDomAttribute("value")).isEqualTo(link);
            WebElement copy = row.findElement(By.cssSelector("button[data-copy]"));
            copy.click();
            waitUntil(() -> copy.getText().equals("Copied"), "the link copied");
            screenshot(operator, "waiting-for-sca");

            // "send again" publishes the bundle's event anew, only with the session's CSRF token
            assertThat(postWithoutCsrf(session, "/console/sca/" + bundleId + "/send-again")).isEqualTo(403);
            operator.findElement(By.cssSelector("tr[data-bundle='" + bundleId + "'] form button")).click();
            assertThat(operator.findElement(By.id("notice")).getText()).startsWith("SENT");
            Map<?, ?> again = r.scaEventFor("1352.25");
            assertThat(again.get("bundleId")).isEqualTo(bundleId);
            assertThat(again.get("link")).isEqualTo(link);

            operator.get(r.baseUrl + "/console");
            WebElement batch = operator.findElement(By.cssSelector("tr[data-batch='console-batch']"));
            assertThat(batch.findElement(By.className("done")).getText()).isEqualTo("0 of 3 final");
            screenshot(operator, "batches-waiting");

            SimulatedUser.Outcome approved = r.user().approve(URI.create(link));
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
            // the page reloads itself; its progress moves until every order is final
            waitUntil(() -> operator.findElement(By.cssSelector("tr[data-batch='console-batch'] .done")).getText()
                    .equals("3 of 3 final"), "the batch final in the console");
            assertThat(operator.findElement(By.cssSelector("tr[data-batch='console-batch'] .states")).getText())
                    .contains("COMPLETED: 3");
            screenshot(operator, "batches-final");

            operator.findElement(By.linkText("console-batch")).click();
            operator.findElement(By.linkText("console-batch-1")).click();
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

            operator.findElement(By.cssSelector("header form button")).click();
            operator.get(r.baseUrl + "/console");
            assertThat(URI.create(operator.getCurrentUrl()).getPath()).isEqualTo("/console/login");
        } finally {
            operator.quit();
        }
    }

    @Test
    void everyOperatorAnswerCarriesTheSecurityHeaders() throws Exception {
        HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(r.baseUrl + "/console/login"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'",
                "frame-ancestors 'none'", "form-action 'self'");
        assertThat(login.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(login.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(login.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly", "SameSite=Strict");
        // a machine client without a token gets 401, not a page
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(r.baseUrl + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(401);
        assertThat(metrics.body()).doesNotContain("pis_");
    }

    private int postWithoutCsrf(Cookie session, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(r.baseUrl + path))
                .header("Cookie", session.getName() + "=" + session.getValue())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=guess")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void signIn(WebDriver browser, String name, String password) {
        browser.findElement(By.name("username")).sendKeys(name);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
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
            } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
                // the page reloaded itself meanwhile
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
