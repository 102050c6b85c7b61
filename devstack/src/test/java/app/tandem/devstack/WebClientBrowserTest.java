package app.tandem.devstack;

import app.tandem.api.v1.Erasure;
import app.tandem.api.v1.ErasureServiceGrpc;
import app.tandem.api.v1.ExportMyDataRequest;
import app.tandem.api.v1.GetMyErasureRequest;
import app.tandem.api.v1.PrivacyServiceGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web app in Debian's headless Chromium against the embedded stack, over gRPC-Web through the gateway: two
 * partners in two browsers. A creates the couple and B joins with the code; a private check-in of A's shows nothing on
 * B's open page and a shared one shows there without a reload; the quick exit leaves no Tandem page to go back to;
 * axe-core finds no serious or critical violation on any page. A counselor in a third browser invites A, A consents on
 * the consent page with the code, and A's next shared check-in shows on the counselor's open feed without a reload;
 * each sees only their own pages. The partners then talk, cheer and ask: a preparation and a private victory stay
 * their author's, and they agree on a weekly goal and see it in their week. Screenshots of the pages go to target/screenshots.
 */
@ExtendWith(EmbeddedTandem.class)
class WebClientBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path AXE = Path.of("../web/node_modules/axe-core/axe.min.js");
    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final Duration ARRIVAL = Duration.ofSeconds(30);

    private static final List<Path> profiles = new ArrayList<>();
    private static String web;
    private static String axe;
    private static WebDriver a;
    private static WebDriver b;
    private static WebDriver counselor;

    @BeforeAll
    static void browsers() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser tests skipped: Debian's chromium and chromium-driver are not installed (/usr/bin/chromium, /usr/bin/chromedriver)");
        web = EmbeddedTandem.get().webAddress;
        axe = Files.readString(AXE);
        a = browser();
        b = browser();
        counselor = browser();
        Files.createDirectories(SCREENSHOTS);
    }

    /** A browser of its own, as on another phone: a fresh profile, phone-sized. */
    private static WebDriver browser() throws IOException {
        Path profile = Files.createTempDirectory("tandem-chromium");
        profiles.add(profile);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--window-size=412,915", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // each browser its own driver process, which quit() ends with it
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build(), options);
    }

    @AfterAll
    static void close() {
        for (WebDriver driver : new WebDriver[] {a, b, counselor}) {
            if (driver != null) {
                driver.quit();
            }
        }
        profiles.forEach(app.tandem.devservers.TemporaryFolders::delete);
    }

    @Test
    void partnersShareACheckInWhilePrivateOnesStayPrivate() throws IOException {
        String key = GatewayClient.key().substring(0, 8);
        a.get(web);
        accessible(a, "sign-in");
        signIn(a, "alex-" + key);
        accessible(a, "couple");
        click(a, By.xpath("//button[text()='Create a couple']"));
        String code = wait(a).until(ExpectedConditions.visibilityOfElementLocated(By.id("invite-code"))).getText();
        screenshot(a, "web-couple");

        b.get(web);
        signIn(b, "sam-" + key);
        type(b, By.name("code"), code);
        click(b, By.xpath("//button[text()='Join']"));
        page(b, "Check in");
        page(b, "Journal"); // B keeps this page open from here on

        page(a, "Check in");
        assertThat(a.findElement(By.id("privacy")).getText()).startsWith("Private");
        accessible(a, "check-in");
        screenshot(a, "web-check-in");
        type(a, By.name("note"), "only for me " + key);
        click(a, By.xpath("//button[text()='Save check-in']"));
        wait(a).until(ExpectedConditions.textToBePresentInElementLocated(By.id("privacy"), "Saved"));
        click(a, By.id("share"));
        assertThat(a.findElement(By.id("privacy")).getText()).startsWith("Shared");
        type(a, By.name("note"), "for us both " + key);
        click(a, By.xpath("//button[text()='Save check-in']"));
        wait(a).until(ExpectedConditions.textToBePresentInElementLocated(By.id("privacy"), "Saved"));

        String url = b.getCurrentUrl();
        new WebDriverWait(b, ARRIVAL).until(ExpectedConditions.textToBePresentInElementLocated(By.id("feed-items"), "Your partner checked in"));
        assertThat(b.getCurrentUrl()).isEqualTo(url);
        assertThat(b.findElements(By.xpath("//ul[@id='feed-items']/li[contains(., 'checked in')]")))
                .as("only the shared check-in is announced").hasSize(1);
        page(b, "Journal");
        wait(b).until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "for us both " + key));
        assertThat(b.findElement(By.id("main")).getText()).doesNotContain("only for me");
        accessible(b, "journal");
        screenshot(b, "web-journal");

        for (String page : List.of("Journal", "Support now", "Boundaries", "Safety plan", "Relapse tasks")) {
            page(a, page);
            accessible(a, page);
        }
        aSafetyPlanItemKeptPrivateNeverReachesThePartner(key);

        counselorSeesAConsentedCheckInLive(key);
        partnersTalkCheerAndAnswerWithoutSeeingWhatIsPrivate(key);
        partnersAgreeOnAGoalAndLookBackOnTheirWeek();
    }

    /** A's shared section names someone to call; what A keeps for themselves is on no page of B's. */
    private static void aSafetyPlanItemKeptPrivateNeverReachesThePartner(String key) throws IOException {
        String secret = "shelter only alex knows " + key;
        page(a, "Safety plan");
        type(a, By.name("contacts"), "Aunt Robin, 01632 960000, my aunt");
        // what A will do right away if B lapses: the second role, the first timeframe
        type(a, By.name("steps-" + app.tandem.api.v1.RelapseRole.RELAPSE_ROLE_IF_MY_PARTNER_LAPSES_VALUE + "-"
                + app.tandem.api.v1.RelapseTimeframe.RELAPSE_IMMEDIATELY_VALUE), "Stay calm and sit with them");
        click(a, By.xpath("//button[text()='Save my section']"));
        wait(a).until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "Version 1"));
        type(a, By.name("private-warning"), secret);
        click(a, By.xpath("//button[text()='Save what is only for me']"));
        wait(a).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(By.name("private-warning")).getAttribute("value").contains(secret)
                        && d.findElement(By.name("contacts")).getAttribute("value").equals("Aunt Robin, 01632 960000, my aunt")
                        && d.findElement(By.name("steps-" + app.tandem.api.v1.RelapseRole.RELAPSE_ROLE_IF_MY_PARTNER_LAPSES_VALUE + "-"
                        + app.tandem.api.v1.RelapseTimeframe.RELAPSE_IMMEDIATELY_VALUE)).getAttribute("value").equals("Stay calm and sit with them"));
        screenshot(a, "web-safety-plan");

        page(b, "Safety plan");
        wait(b).until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "Version 1"));
        assertThat(b.findElement(By.id("main")).getText()).as("A's shared section, as B reads it")
                .contains("My partner's section", "Aunt Robin (my aunt) 01632 960000", "If you lapse, right away", "Stay calm and sit with them");
        assertThat(b.getPageSource()).doesNotContain(secret).doesNotContain("shelter only");
        accessible(b, "safety plan");
    }

    private static void counselorSeesAConsentedCheckInLive(String key) throws IOException {
        counselor.get(web);
        WebElement counselorForm = wait(counselor).until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//form[.//input[@name='organisation']]")));
        counselorForm.findElement(By.name("name")).sendKeys("dr-lee-" + key);
        counselorForm.findElement(By.name("organisation")).sendKeys("Harbour Clinic");
        click(counselor, By.xpath("//button[text()='Sign in as a counselor']"));
        wait(counselor).until(ExpectedConditions.textToBe(By.tagName("h1"), "My clients"));
        assertThat(counselor.findElement(By.id("nav")).getText()).contains("Client feed").doesNotContain("Check in");
        assertThat(a.findElement(By.id("nav")).getDomProperty("textContent")).contains("Counselors").doesNotContain("My clients");
        click(counselor, By.xpath("//button[text()='Invite a client']"));
        String code = wait(counselor).until(ExpectedConditions.visibilityOfElementLocated(By.id("client-code"))).getText();
        accessible(counselor, "clients");

        page(a, "Counselors");
        type(a, By.name("code"), code);
        click(a, By.xpath("//input[@name='scope' and @value='" + app.tandem.api.v1.DisclosureScope.SHARED_CHECK_INS_VALUE + "']"));
        click(a, By.xpath("//button[text()='Read the consent']"));
        wait(a).until(ExpectedConditions.visibilityOfElementLocated(By.id("consent-text")));
        accessible(a, "consent");
        click(a, By.xpath("//button[text()='Sign this consent']"));
        wait(a).until(ExpectedConditions.textToBePresentInElementLocated(By.id("consents"), "in force"));

        page(counselor, "Client feed"); // kept open from here on
        String url = counselor.getCurrentUrl();
        page(a, "Check in");
        click(a, By.id("share"));
        click(a, By.xpath("//button[text()='Save check-in']"));
        wait(a).until(ExpectedConditions.textToBePresentInElementLocated(By.id("privacy"), "Saved"));
        new WebDriverWait(counselor, ARRIVAL).until(ExpectedConditions.textToBePresentInElementLocated(By.id("care-items"), "check in"));
        assertThat(counselor.getCurrentUrl()).isEqualTo(url);
        assertThat(counselor.findElement(By.cssSelector("#care-items .notice")).getText()).as("the notice against redisclosure").isNotBlank();
        accessible(counselor, "client feed");
        screenshot(counselor, "web-counselor-feed");
        page(counselor, "Client summary");
        accessible(counselor, "client summary");
    }

    /**
     * A prepares a conversation alone and invites B, who sees the invitation and never the preparation, and accepts;
     * once the time has passed A records a step and marks it done. B cheers A's shared victory, A never sees B's private
     * one, and B answers A's need. The services' clock may run ahead of the browsers' (other tests move it), so times
     * are typed relative to it.
     */
    private static void partnersTalkCheerAndAnswerWithoutSeeingWhatIsPrivate(String key) throws IOException {
        TandemUnderTest tandem = EmbeddedTandem.get();
        page(a, "Talk");
        assertThat(a.findElement(By.id("preparation-privacy")).getText()).startsWith("Only for you");
        accessible(a, "talk");
        click(a, By.name("intention"));
        type(a, By.name("points"), "I am sorry about Friday night");
        type(a, By.name("need"), "Hear me out to the end");
        type(a, By.name("support"), "My sponsor, afterwards");
        click(a, By.xpath("//button[text()='Save my preparation']"));
        Instant evening = tandem.clock.instant().plus(Duration.ofDays(1));
        typeTime(a, By.name("time"), evening, false);
        type(a, By.name("place"), "On a walk by the river");
        click(a, By.xpath("//button[text()='Invite my partner']"));
        wait(a).until(ExpectedConditions.textToBePresentInElementLocated(By.id("conversations"), "waiting for your partner's answer"));

        page(b, "Talk");
        wait(b).until(ExpectedConditions.textToBePresentInElementLocated(By.id("conversations"), "waiting for your answer"));
        assertThat(b.findElement(By.id("conversations")).getText()).contains("On a walk by the river");
        assertThat(b.getPageSource()).as("the preparation stays A's").doesNotContain("Friday", "Hear me out", "sponsor");
        accessible(b, "talk, invited");
        click(b, By.xpath("//button[text()='Accept']"));
        wait(b).until(ExpectedConditions.textToBePresentInElementLocated(By.id("conversations"), "time agreed"));

        tandem.clock.advanceTo(evening.plus(Duration.ofMinutes(2)));
        page(a, "Talk");
        type(a, By.name("step"), "A walk on Sunday, just us");
        typeTime(a, By.name("due"), tandem.clock.instant().plus(Duration.ofDays(7)), true);
        click(a, By.xpath("//button[text()='Save the steps we agreed']"));
        click(a, By.xpath("//button[text()='Mark done']"));
        wait(a).until(ExpectedConditions.textToBePresentInElementLocated(By.id("conversations"), "· done"));
        assertThat(a.findElement(By.id("conversations")).getText()).contains("Only for you", "I am sorry about Friday night", "A walk on Sunday");
        accessible(a, "talk, held");
        ((JavascriptExecutor) a).executeScript("window.scrollTo(0, 0)");
        screenshot(a, "web-talk");

        page(a, "Victories");
        assertThat(a.findElement(By.id("victory-privacy")).getText()).startsWith("Private");
        accessible(a, "victories");
        type(a, By.name("text"), "Went to my first meeting");
        click(a, By.id("victory-share"));
        assertThat(a.findElement(By.id("victory-privacy")).getText()).startsWith("Shared");
        click(a, By.xpath("//button[text()='Save victory']"));
        wait(a).until(ExpectedConditions.textToBePresentInElementLocated(By.id("my-victories"), "Went to my first meeting"));

        page(b, "Victories");
        type(b, By.name("text"), "only mine " + key);
        click(b, By.xpath("//button[text()='Save victory']"));
        wait(b).until(ExpectedConditions.textToBePresentInElementLocated(By.id("my-victories"), "only mine"));
        click(b, By.xpath("//ul[@id='partner-victories']//button[text()='Proud of you']"));
        wait(b).until(ExpectedConditions.textToBePresentInElementLocated(By.id("partner-victories"), "You: Proud of you"));
        accessible(b, "victories, cheered");
        page(a, "Victories");
        wait(a).until(ExpectedConditions.textToBePresentInElementLocated(By.id("my-victories"), "Your partner: Proud of you"));
        assertThat(a.findElement(By.id("victory-counts")).getText()).contains("1 by you, 0 by your partner");
        assertThat(a.getPageSource()).as("B's private victory stays B's").doesNotContain("only mine");

        page(a, "Needs");
        accessible(a, "needs");
        type(a, By.name("text"), "An evening without phones");
        click(a, By.xpath("//button[text()='Tell my partner']"));
        wait(a).until(ExpectedConditions.textToBePresentInElementLocated(By.id("needs"), "Not answered yet"));
        page(b, "Needs");
        click(b, By.xpath("//ul[@id='needs']//button[text()='I can do that']"));
        wait(b).until(ExpectedConditions.textToBePresentInElementLocated(By.id("needs"), "You: I can do that"));
        accessible(b, "needs, answered");
    }

    /**
     * A suggests a goal; B follows the prompt in the live feed to the Together page and agrees; each marks it done this
     * week, and the week looked back on names them both.
     */
    private static void partnersAgreeOnAGoalAndLookBackOnTheirWeek() throws IOException {
        page(a, "Together");
        accessible(a, "together");
        type(a, By.name("title"), "A walk together on Sunday");
        click(a, By.xpath("//button[text()='Suggest to my partner']"));
        wait(a).until(ExpectedConditions.textToBePresentInElementLocated(By.id("goals"), "waiting for your partner's answer"));

        new WebDriverWait(b, ARRIVAL).until(ExpectedConditions.elementToBeClickable(By.xpath("//ul[@id='feed-items']//a[contains(., 'suggested something')]")))
                .click();
        wait(b).until(ExpectedConditions.textToBe(By.tagName("h1"), "Together"));
        click(b, By.xpath("//ul[@id='goals']//button[text()='Agree']"));
        click(b, By.xpath("//ul[@id='goals']//button[text()='We did it this week']"));
        wait(b).until(ExpectedConditions.textToBePresentInElementLocated(By.id("goals"), "This week: done by you"));

        page(a, "Together");
        click(a, By.xpath("//ul[@id='goals']//button[text()='We did it this week']"));
        wait(a).until(ExpectedConditions.textToBePresentInElementLocated(By.id("weeks"), "A walk together on Sunday: you and your partner"));
        assertThat(a.findElement(By.id("goals")).getText()).contains("This week: done by you and your partner");
        click(a, By.xpath("//button[text()='Earlier weeks']"));
        wait(a).until(d -> d.findElements(By.cssSelector("#weeks section")).size() == 5);
        accessible(a, "together, done");
        ((JavascriptExecutor) a).executeScript("window.scrollTo(0, 0)");
        screenshot(a, "web-together");
    }

    /** Types a moment into a date or datetime-local field as the browser shows it in its own time zone. */
    private static void typeTime(WebDriver driver, By field, Instant at, boolean dateOnly) {
        WebElement element = wait(driver).until(ExpectedConditions.visibilityOfElementLocated(field));
        ((JavascriptExecutor) driver).executeScript("""
                const at = new Date(arguments[1]), pad = (n) => String(n).padStart(2, '0');
                const day = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
                arguments[0].value = arguments[2] ? day : `${day}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
                """, element, at.toEpochMilli(), dateOnly);
    }

    /** A person saves a copy of everything Tandem holds about them, then erases it all, from the browser alone. */
    @Test
    void aPersonSavesTheirDataAndErasesEverythingFromTheBrowser() throws IOException {
        WebDriver driver = browser();
        try {
            String name = "jules-" + GatewayClient.key().substring(0, 8);
            String note = "what jules wrote " + GatewayClient.key().substring(0, 8);
            driver.get(web);
            signIn(driver, name);
            click(driver, By.xpath("//button[text()='Create a couple']"));
            wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("invite-code")));
            page(driver, "Check in");
            type(driver, By.name("note"), note);
            click(driver, By.xpath("//button[text()='Save check-in']"));
            wait(driver).until(ExpectedConditions.textToBePresentInElementLocated(By.id("privacy"), "Saved"));

            page(driver, "My data");
            accessible(driver, "my data");
            // the file the page offers, read as the browser holds it (saving it would go to the machine's disk)
            ((JavascriptExecutor) driver).executeScript("""
                    const create = URL.createObjectURL;
                    URL.createObjectURL = (blob) => { window.offered = { blob, url: create(blob) }; return window.offered.url; };
                    """);
            click(driver, By.xpath("//button[text()='Prepare my data']"));
            WebElement file = wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("my-data-file")));
            assertThat(file.getAttribute("href")).as("the link saves the file the page made")
                    .isEqualTo(((JavascriptExecutor) driver).executeScript("return window.offered.url"));
            assertThat(file.getAttribute("download")).as("a name that says nothing of Tandem").matches("export-\\d{4}-\\d{2}-\\d{2}\\.json");
            String saved = (String) ((JavascriptExecutor) driver).executeAsyncScript(
                    "window.offered.blob.text().then(arguments[arguments.length - 1])");
            assertThat(saved).contains("\"journal-service\"", "\"plans-service\"", "\"notifications-service\"", "\"care-service\"",
                    "\"check-in\"", note);

            click(driver, By.xpath("//button[text()='Read what erasure means']"));
            wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("erasure-terms")));
            accessible(driver, "erasure terms");
            String valid = "return document.querySelector('input[name=confirm]').form.checkValidity()";
            type(driver, By.name("confirm"), "erase");
            assertThat(((JavascriptExecutor) driver).executeScript(valid)).as("nothing is erased before the words are typed").isEqualTo(false);
            type(driver, By.name("confirm"), "erase everything");
            assertThat(((JavascriptExecutor) driver).executeScript(valid)).isEqualTo(true);
            click(driver, By.xpath("//button[text()='Erase my account and everything in it']"));
            new WebDriverWait(driver, ARRIVAL).until(ExpectedConditions.textToBe(By.id("erasure-state"), "Everything Tandem held about you is erased."));
            assertThat(((JavascriptExecutor) driver).executeScript("return sessionStorage.length")).isEqualTo(0L);
            assertThat(driver.findElements(By.id("my-data-file"))).as("the copy is no longer offered").isEmpty();
            assertThat(driver.findElement(By.id("nav")).isDisplayed()).isFalse();

            GatewayClient jules = new GatewayClient(EmbeddedTandem.get().gateway, EmbeddedTandem.get().issuer, name);
            assertThat(ErasureServiceGrpc.newBlockingStub(EmbeddedTandem.get().gateway).withCallCredentials(jules.credentials())
                    .getMyErasure(GetMyErasureRequest.getDefaultInstance()).getState()).isEqualTo(Erasure.State.COMPLETED);
            assertThat(PrivacyServiceGrpc.newBlockingStub(EmbeddedTandem.get().gateway).withCallCredentials(jules.credentials())
                    .exportMyData(ExportMyDataRequest.newBuilder().setService("journal-service").build()))
                    .toIterable().as("the check-in is gone with its author").noneSatisfy(item -> assertThat(item.getJson()).contains(note));
        } finally {
            driver.quit();
        }
    }

    @Test
    void quickExitLeavesNoTandemPageInHistory() throws IOException {
        WebDriver driver = browser();
        try {
            quickExit(driver);
        } finally {
            driver.quit();
        }
    }

    private static void quickExit(WebDriver driver) {
        driver.get("data:text/html,<title>before</title>");
        driver.get(web);
        int entries = historyLength(driver);
        signIn(driver, "robin-" + GatewayClient.key().substring(0, 8));
        click(driver, By.xpath("//button[text()='Create a couple']"));
        wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("invite-code")));
        // moving between pages adds nothing to the history
        page(driver, "Journal");
        page(driver, "Boundaries");
        assertThat(historyLength(driver)).isEqualTo(entries);

        new Actions(driver).sendKeys(Keys.ESCAPE).sendKeys(Keys.ESCAPE).sendKeys(Keys.ESCAPE).perform();
        wait(driver).until(d -> !d.getCurrentUrl().startsWith(web));
        driver.navigate().back();
        assertThat(driver.getCurrentUrl()).startsWith("data:");
        driver.navigate().forward();
        assertThat(driver.getCurrentUrl()).doesNotStartWith(web);

        // one tap does the same, and the tab's session is gone with it
        driver.get(web);
        signIn(driver, "robin-" + GatewayClient.key().substring(0, 8));
        click(driver, By.id("quick-exit"));
        wait(driver).until(d -> !d.getCurrentUrl().startsWith(web));
        driver.get(web);
        wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.name("name")));
    }

    private static int historyLength(WebDriver driver) {
        return ((Number) ((JavascriptExecutor) driver).executeScript("return history.length")).intValue();
    }

    private static void signIn(WebDriver driver, String name) {
        type(driver, By.name("name"), name);
        click(driver, By.xpath("//button[text()='Sign in']"));
        wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    }

    /** Goes to a page by its link in the navigation, opening its group first when it has one, and waits for its heading. */
    private static void page(WebDriver driver, String title) {
        By link = By.xpath("//nav//a[text()='" + title + "']");
        By group = By.xpath("//nav//button[@aria-controls=//nav//div[a[text()='" + title + "']]/@id]");
        wait(driver).ignoring(StaleElementReferenceException.class).until(d -> {
            WebElement found = d.findElement(link);
            if (!found.isDisplayed()) {
                d.findElement(group).click();
                return false;
            }
            found.click();
            return true;
        });
        wait(driver).until(ExpectedConditions.textToBe(By.tagName("h1"), title));
        assertThat((Boolean) ((JavascriptExecutor) driver).executeScript("""
                return [...document.querySelectorAll('#nav .top, #nav .group:not([hidden])')]
                    .every((row) => row.getBoundingClientRect().height < 2 * row.firstElementChild.getBoundingClientRect().height);
                """)).as("each row of the navigation fits one line of the phone").isTrue();
        wait(driver).until(d -> d.findElements(By.cssSelector("main form, main p, main ul")).size() > 0);
    }

    private static void type(WebDriver driver, By field, String text) {
        WebElement element = wait(driver).until(ExpectedConditions.visibilityOfElementLocated(field));
        element.clear();
        element.sendKeys(text);
    }

    /** Clicks once the element can be; again if the page drew it anew meanwhile. */
    private static void click(WebDriver driver, By what) {
        wait(driver).ignoring(StaleElementReferenceException.class).until(d -> {
            WebElement element = ExpectedConditions.elementToBeClickable(what).apply(d);
            if (element == null) {
                return false;
            }
            element.click();
            return true;
        });
    }

    /**
     * Waits up to twenty seconds, looking every 50 ms (pages draw in tens of them; a read may wait for a projection
     * behind on a loaded machine); a failure says what the page showed.
     */
    private static WebDriverWait wait(WebDriver driver) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(50));
        wait.withMessage(() -> "the page showed: " + driver.getPageSource() + "\nconsole: "
                + driver.manage().logs().get("browser").getAll());
        return wait;
    }

    /** axe-core's rules on the page as it is: no serious or critical violation. */
    private static void accessible(WebDriver driver, String page) {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object'"))) {
            js.executeScript(axe);
        }
        Object violations = js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document).then(result => done(result.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))));
                """);
        assertThat((List<?>) violations).as("axe-core on the %s page", page).isEmpty();
    }

    private static void screenshot(WebDriver driver, String name) throws IOException {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
