package org.pisbridge.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A form as a browser sees it in a page: its method, action and the inputs and buttons it submits.
 * Read from the markup with patterns, which is enough for the bank's own pages and for the plain
 * forms of a TPP's callback page; it does not pretend to be a full HTML parser.
 */
record HtmlForm(String method, String action, List<Control> controls) {

    /** An {@code <input>} or a {@code <button>}; {@code type} is lower-case, {@code submit} for buttons by default. */
    record Control(String type, String name, String value) {
        boolean isSubmit() {
            return type.equals("submit");
        }
    }

    private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>(.*?)</form\\s*>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern CONTROL = Pattern.compile("<(input|button)\\b([^>]*)>",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTRIBUTE = Pattern.compile(
            "([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'>]+)))?");
    private static final Pattern CHARACTER_REFERENCE = Pattern.compile("&(#[0-9]+|#[xX][0-9a-fA-F]+|amp|lt|gt|quot|apos);");

    static List<HtmlForm> parseAll(String html) {
        List<HtmlForm> forms = new ArrayList<>();
        Matcher form = FORM.matcher(html);
        while (form.find()) {
            Map<String, String> attributes = attributes(form.group(1));
            List<Control> controls = new ArrayList<>();
            Matcher control = CONTROL.matcher(form.group(2));
            while (control.find()) {
                Map<String, String> a = attributes(control.group(2));
                boolean button = control.group(1).equalsIgnoreCase("button");
                String type = a.getOrDefault("type", button ? "submit" : "text").toLowerCase(Locale.ROOT);
                controls.add(new Control(type, a.get("name"), a.getOrDefault("value", "")));
            }
            forms.add(new HtmlForm(attributes.getOrDefault("method", "get").toLowerCase(Locale.ROOT),
                    attributes.getOrDefault("action", ""), controls));
        }
        return forms;
    }

    Optional<Control> control(String type) {
        return controls.stream().filter(c -> c.type().equals(type) && c.name() != null).findFirst();
    }

    /** The values a browser submits without the user typing anything: the hidden inputs. */
    Map<String, String> hiddenValues() {
        Map<String, String> values = new LinkedHashMap<>();
        controls.stream().filter(c -> c.type().equals("hidden") && c.name() != null)
                .forEach(c -> values.put(c.name(), c.value()));
        return values;
    }

    private static Map<String, String> attributes(String markup) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher a = ATTRIBUTE.matcher(markup);
        while (a.find()) {
            String value = a.group(2) != null ? a.group(2) : a.group(3) != null ? a.group(3) : a.group(4);
            attributes.putIfAbsent(a.group(1).toLowerCase(Locale.ROOT), value == null ? "" : unescape(value));
        }
        return attributes;
    }

    static String unescape(String text) {
        Matcher ref = CHARACTER_REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (ref.find()) {
            String name = ref.group(1);
            String replacement = switch (name) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> Character.toString(name.charAt(1) == 'x' || name.charAt(1) == 'X'
                        ? Integer.parseInt(name.substring(2), 16) : Integer.parseInt(name.substring(1)));
            };
            ref.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        ref.appendTail(out);
        return out.toString();
    }
}
