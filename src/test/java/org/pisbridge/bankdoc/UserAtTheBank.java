package org.pisbridge.bankdoc;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A bank customer going through the authorize pages by hand (document section 4.3): reads each page's forms
 * generically, types the credentials into the text and password inputs, ticks what there is to tick, and presses
 * the button that approves (or rejects).
 */
final class UserAtTheBank {
    private static final Set<String> TYPED_INPUTS = Set.of("text", "tel", "number", "email");
    private static final Pattern APPROVE = Pattern.compile("approve|accept|confirm|authori[sz]e|allow|yes",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern REJECT = Pattern.compile("reject|cancel|deny|decline|refuse|no\\b",
            Pattern.CASE_INSENSITIVE);

    private final PageBrowser browser;
    private final String username;
    private final String password;

    UserAtTheBank(SSLContext tls, String username, String password) {
        this.browser = new PageBrowser(tls);
        this.username = username;
        this.password = password;
    }

    /** The TPP redirects the user here (section 4.2). */
    PageBrowser.Page arrive(URI authorizeUrl) {
        return browser.open(authorizeUrl);
    }

    /** Fills the form that has a password input: the user id into its text input, the password into the other. */
    PageBrowser.Page logIn(PageBrowser.Page loginPage) {
        HtmlForm form = loginForm(loginPage)
                .orElseThrow(() -> new AssertionError("no login form on " + loginPage.uri().getPath() + " ("
                        + loginPage.status() + "): " + loginPage.body()));
        Map<String, String> typed = new LinkedHashMap<>();
        form.inputs().stream().filter(i -> TYPED_INPUTS.contains(i.type()) && i.name() != null)
                .findFirst().ifPresent(i -> typed.put(i.name(), username));
        form.inputs().stream().filter(i -> "password".equals(i.type()))
                .forEach(i -> typed.put(i.name(), password));
        return browser.submit(form, form.submission(typed, form.submits().isEmpty() ? null : form.submits().get(0)));
    }

    PageBrowser.Page approve(PageBrowser.Page consentPage) {
        return decide(consentPage, APPROVE);
    }

    PageBrowser.Page reject(PageBrowser.Page consentPage) {
        return decide(consentPage, REJECT);
    }

    /** As far as the bank lets the user go towards approving: stops where the bank leaves or shows no form. */
    PageBrowser.Page tryToApprove(URI authorizeUrl) {
        PageBrowser.Page page = arrive(authorizeUrl);
        if (page.leftTo() == null && loginForm(page).isPresent()) {
            page = logIn(page);
        }
        if (page.leftTo() == null && decision(page, APPROVE).isPresent()) {
            page = approve(page);
        }
        return page;
    }

    static Optional<HtmlForm> loginForm(PageBrowser.Page page) {
        return page.forms().stream()
                .filter(f -> f.input(i -> "password".equals(i.type())).isPresent())
                .findFirst();
    }

    private PageBrowser.Page decide(PageBrowser.Page consentPage, Pattern choice) {
        Map.Entry<HtmlForm, HtmlForm.Control> pressed = decision(consentPage, choice)
                .orElseThrow(() -> new AssertionError("no " + choice.pattern() + " button on "
                        + consentPage.uri().getPath() + " (" + consentPage.status() + "): " + consentPage.body()));
        HtmlForm form = pressed.getKey();
        Map<String, String> ticked = new LinkedHashMap<>();
        form.inputs().stream().filter(i -> "checkbox".equals(i.type()) && i.name() != null)
                .forEach(i -> ticked.put(i.name(), i.value() == null ? "on" : i.value()));
        return browser.submit(form, form.submission(ticked, pressed.getValue()));
    }

    private static Optional<Map.Entry<HtmlForm, HtmlForm.Control>> decision(PageBrowser.Page page, Pattern choice) {
        for (HtmlForm form : page.forms()) {
            Optional<HtmlForm.Control> button = form.submit(b -> choice.matcher(text(b)).find());
            if (button.isPresent()) {
                return Optional.of(Map.entry(form, button.get()));
            }
        }
        return Optional.empty();
    }

    private static String text(HtmlForm.Control button) {
        return (button.name() + " " + button.value() + " " + button.label()).toLowerCase(Locale.ROOT);
    }
}
