package dev.signet.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.server.testing.LocalServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: Debian's headless Chromium driven by its ChromeDriver. Signs in,
 * finds a user, revokes a session and sees the next request with it refused; visits every view at
 * laptop and phone widths, by keyboard too, and writes a screenshot of each under
 * {@code target/console-screenshots/}.
 */
class ConsoleBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SHOTS = Path.of("target", "console-screenshots");
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  Path dir;

  LocalServer server;
  ChromeDriver browser;
  WebDriverWait wait;

  @BeforeEach
  void start() throws Exception {
    server = new LocalServer(dir, Map.of());
  }

  /** Only the browser test needs the browser; the header test runs everywhere. */
  void openBrowser() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "skipped: Debian's chromium and chromium-driver are not installed (/usr/bin/chromium, /usr/bin/chromedriver); .ci/run installs them");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,900",
        "--user-data-dir=" + dir.resolve("chromium-profile"));
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(10));
    Files.createDirectories(SHOTS);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    server.close();
  }

  @Test
  void signInFindAUserRevokeASessionAndItsNextRequestIsRefused() throws Exception {
    openBrowser();
    String alice = server.newUser("alice-console");
    server.newUser("bob-console");
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    String sid = server.newSession(alice, key.publicKey().toBase64Url());
    server.newSession(alice, Ed25519PrivateKey.generate(RANDOM).publicKey().toBase64Url());
    MixinBotSigner signer = new MixinBotSigner(alice, sid, JwsSigner.eddsa(key), Clock.systemUTC());
    assertThat(me(signer)).isEqualTo(200);
    server.adminOk("POST", "/admin/oauth/authorizations", "{\"app_id\":\"" + UUID.randomUUID() + "\",\"user_id\":\"" + alice
        + "\",\"public_key\":\"" + key.publicKey().toBase64Url() + "\",\"scopes\":[\"PROFILE:READ\"]}");
    server.adminOk("POST", "/admin/service-keys", dev.signet.json.StrictJson.mapper().writeValueAsString(Map.of("issuer", "billing",
        "kid", "2026-11", "public_key", dev.signet.keys.RsaPrivateKey.generate(2048, RANDOM).publicKey().toX509Pem())));

    browser.get(server.base() + "/console");
    wait.until(d -> "token".equals(d.switchTo().activeElement().getAttribute("id")));
    shot("sign-in");
    // A wrong token is refused and nothing is kept.
    browser.switchTo().activeElement().sendKeys("not-the-token", Keys.ENTER);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "admin token"));
    assertThat(session("signet.adminToken")).isNull();
    // Signed in by keyboard alone: type and Enter.
    browser.switchTo().activeElement().sendKeys(LocalServer.ADMIN, Keys.ENTER);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("users")));
    assertThat(session("signet.adminToken")).isEqualTo(LocalServer.ADMIN);
    assertThat(browser.getCurrentUrl()).doesNotContain(LocalServer.ADMIN);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("users"), "bob-console"));

    // Find the user.
    browser.findElement(By.id("name-prefix")).sendKeys("alice", Keys.ENTER);
    wait.until(ExpectedConditions.not(ExpectedConditions.textToBePresentInElementLocated(By.id("users"), "bob-console")));
    List<WebElement> rows = browser.findElements(By.cssSelector("#users tbody tr"));
    assertThat(rows).hasSize(1);
    rows.get(0).findElement(By.tagName("button")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sessions"), sid));
    assertThat(browser.findElement(By.id("user-title")).getText()).isEqualTo("alice-console");
    WebElement usedRow = sessionRow(sid);
    assertThat(usedRow.getText()).as("last used").doesNotContain("never");
    shot("users");

    // Revoke it: Cancel keeps it, Confirm revokes.
    usedRow.findElement(By.tagName("button")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
    assertThat(browser.findElement(By.id("confirm-text")).getText()).contains(sid);
    shot("confirm");
    browser.findElement(By.cssSelector("#confirm button[value=cancel]")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm")));
    assertThat(me(signer)).as("cancelled: still valid").isEqualTo(200);
    sessionRow(sid).findElement(By.tagName("button")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-ok"))).click();
    wait.until(ExpectedConditions.not(ExpectedConditions.textToBePresentInElementLocated(By.id("sessions"), sid)));
    assertThat(me(signer)).as("the next request with the revoked session").isEqualTo(401);

    // The other views, reached by keyboard: from the Users button, Tab to the next and Enter.
    browser.findElement(By.cssSelector("nav button[data-view=users]")).sendKeys(Keys.TAB);
    browser.switchTo().activeElement().sendKeys(Keys.ENTER);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("authorizations"), alice));
    assertThat(browser.findElement(By.cssSelector("nav button[data-view=oauth]")).getAttribute("aria-current")).isEqualTo("page");
    shot("oauth");
    browser.findElement(By.cssSelector("nav button[data-view=service-keys]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("service-keys"), "billing"));
    shot("service-keys");

    browser.findElement(By.cssSelector("nav button[data-view=live]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live-table"), "mixin-bot"));
    for (int i = 0; i < 6; i++) {
      server.call("GET", "/me", null, Map.of("Authorization", "Bearer bad"));
      Thread.sleep(300);
    }
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live-table"), "malformed"));
    assertThat(browser.findElement(By.id("live-crypto")).getText()).isNotBlank().isNotEqualTo("-");
    assertThat(browser.findElement(By.id("live-replay")).getText()).contains("%");
    wait.until(ExpectedConditions.textMatches(By.id("live-429"), java.util.regex.Pattern.compile("^[0-9]+\\.[0-9], [0-9]+\\.[0-9]")));
    wait.until(ExpectedConditions.textMatches(By.id("health"), java.util.regex.Pattern.compile("healthy")));
    shot("live");

    // A phone's width: nothing wider than the screen but the tables' own scroll boxes.
    browser.manage().window().setSize(new Dimension(390, 844));
    browser.findElement(By.cssSelector("nav button[data-view=users]")).click();
    WebElement prefix = browser.findElement(By.id("name-prefix"));
    prefix.clear();
    prefix.sendKeys(Keys.ENTER);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("users"), "bob-console"));
    Object overflow = ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth - window.innerWidth");
    Object wide = ((JavascriptExecutor) browser).executeScript("return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8).map(e => e.tagName + '#' + e.id + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right)).join(' ') + ' iw=' + window.innerWidth");
    assertThat(((Number) overflow).intValue()).as(String.valueOf(wide)).isLessThanOrEqualTo(0);
    shot("users-phone");

    // Nothing the page loads was blocked by the CSP, and no script failed (refused API calls are expected).
    List<String> problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
        .map(LogEntry::getMessage)
        .filter(m -> !m.contains("/admin/stats - Failed to load resource: the server responded with a status of 401"))
        .toList();
    assertThat(problems).isEmpty();

    browser.findElement(By.id("sign-out")).click();
    assertThat(session("signet.adminToken")).isNull();
  }

  @Test
  void theConsoleIsServedWithAStrictContentSecurityPolicy() throws Exception {
    for (String path : List.of("/console", "/console/", "/console/console.js", "/console/console.css")) {
      LocalServer.Reply r = server.call("GET", path, null, Map.of());
      assertThat(r.status()).as(path).isEqualTo(200);
      assertThat(r.raw().headers().firstValue("Content-Security-Policy")).as(path).hasValue(Console.CSP);
      assertThat(r.raw().headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }
    String html = server.call("GET", "/console", null, Map.of()).raw().body();
    assertThat(html).doesNotContain("<script>").doesNotContain("style=\"").doesNotContain("http://").doesNotContain("https://");
    assertThat(server.call("GET", "/console/nope.js", null, Map.of()).status()).isEqualTo(404);
  }

  WebElement sessionRow(String sid) {
    return browser.findElements(By.cssSelector("#sessions tbody tr")).stream().filter(r -> r.getText().contains(sid)).findFirst().orElseThrow();
  }

  int me(MixinBotSigner signer) throws Exception {
    return server.call("GET", "/me", null, Map.of("Authorization", "Bearer " + signer.sign("GET", "/me", new byte[0]))).status();
  }

  String session(String key) {
    return (String) ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem(arguments[0])", key);
  }

  void shot(String name) throws Exception {
    File png = browser.getScreenshotAs(OutputType.FILE);
    Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
