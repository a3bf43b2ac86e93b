package dev.roomdeck.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The web client's page loads in real Chromium without script errors, and its join form behaves. No server needed. */
class WebClientPageTest {
    /** On a static field: one browser and one static site for all the tests of the class. */
    @RegisterExtension
    static final BrowserMeeting MEETING = new BrowserMeeting();
    private static StaticSite site;
    private static Browser browser;

    @BeforeAll
    static void start() {
        site = MEETING.closeAfter(StaticSite.serve(BrowserTests.webAssets(), Map.of()));
        browser = MEETING.browser();
    }

    @Test
    void pageLoadsWithoutErrorsAndExposesTheTestHooks() {
        browser.open(site.baseUrl() + "/?room=standup&name=Alice");
        browser.waitFor("window.roomdeck", Duration.ofSeconds(10));

        assertThat(browser.pageErrors()).isEmpty();
        assertThat(browser.roomdeckState()).isEqualTo("idle");
        assertThat(browser.js("return document.getElementById('room-input').value")).isEqualTo("standup");
        assertThat(browser.js("return document.getElementById('name-input').value")).isEqualTo("Alice");
        assertThat(browser.js("return document.getElementById('call-view').hidden")).isEqualTo(true);
        @SuppressWarnings("unchecked")
        Map<String, Object> stats = (Map<String, Object>) browser.jsAsync("return await window.roomdeck.stats()");
        assertThat(stats).containsEntry("state", "idle").containsKeys("peers", "outbound", "selectedPair");
    }

    @Test
    void joiningWithoutAServerFailsWithAClearMessageAndStaysOnTheForm() {
        browser.open(site.baseUrl() + "/?room=standup&name=Bob");
        browser.waitFor("window.roomdeck", Duration.ofSeconds(10));
        browser.js("document.getElementById('cam-check').checked = false; document.getElementById('mic-check').checked = false;"
                + "document.getElementById('join-button').click()");

        // The static site has no /api/generateToken: the join must fail visibly, not hang.
        browser.waitFor("!document.getElementById('join-error').hidden", Duration.ofSeconds(10));
        assertThat((String) browser.js("return document.getElementById('join-error').textContent"))
                .contains("refused");
        assertThat(browser.roomdeckState()).isEqualTo("failed");
        assertThat(browser.js("return document.getElementById('join-button').disabled")).isEqualTo(false);
        assertThat(browser.pageErrors()).isEmpty();
    }

    @Test
    void emptyNameIsRejectedBeforeAnyNetworkRequest() {
        browser.open(site.baseUrl() + "/?room=standup");
        browser.waitFor("window.roomdeck", Duration.ofSeconds(10));
        browser.js("document.getElementById('name-input').value = '  '; document.getElementById('join-button').click()");

        assertThat((String) browser.js("return document.getElementById('join-error').textContent")).contains("name");
        assertThat(browser.roomdeckState()).isEqualTo("idle");
    }

    @Test
    void theUserIdIsMadeOnceAndKeptInThisBrowserUnlessALinkChoosesIt() {
        browser.open(site.baseUrl() + "/?room=standup");
        browser.waitFor("window.roomdeck", Duration.ofSeconds(10));
        String id = (String) browser.js("return window.roomdeck.user");
        assertThat(id).matches("u-[0-9a-f]{16}");
        assertThat(browser.js("return localStorage.getItem('roomdeck.user')")).isEqualTo(id);

        browser.open(site.baseUrl() + "/?room=other&name=Anna");
        browser.waitFor("window.roomdeck", Duration.ofSeconds(10));
        assertThat(browser.js("return window.roomdeck.user")).as("a reload keeps the seat").isEqualTo(id);

        browser.open(site.baseUrl() + "/?room=standup&user=kiosk-1");
        browser.waitFor("window.roomdeck", Duration.ofSeconds(10));
        assertThat(browser.js("return window.roomdeck.user")).isEqualTo("kiosk-1");
        assertThat(browser.js("return localStorage.getItem('roomdeck.user')")).isEqualTo(id);
        assertThat(browser.pageErrors()).isEmpty();
    }
}
