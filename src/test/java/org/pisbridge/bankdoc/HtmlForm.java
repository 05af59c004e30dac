package org.pisbridge.bankdoc;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import javax.swing.text.MutableAttributeSet;
import javax.swing.text.html.HTML;
import javax.swing.text.html.HTMLEditorKit;
import javax.swing.text.html.parser.ParserDelegator;

/**
 * A form of an HTML page as a browser sees it: where it posts, its inputs and its submit buttons. Parsed with
 * the JDK's HTML parser, so the tests read the bank's pages generically rather than knowing their markup.
 */
record HtmlForm(URI action, String method, List<Control> inputs, List<Control> submits) {

    /** An input, or a submit button with its visible label. */
    record Control(String name, String type, String value, boolean checked, String label) {
        boolean isSubmit() {
            return "submit".equals(type);
        }
    }

    static List<HtmlForm> parse(String html, URI page) {
        FormCollector collector = new FormCollector(page);
        try {
            new ParserDelegator().parse(new StringReader(html), collector, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return collector.forms;
    }

    Optional<Control> input(Predicate<Control> which) {
        return inputs.stream().filter(which).findFirst();
    }

    Optional<Control> submit(Predicate<Control> which) {
        return submits.stream().filter(which).findFirst();
    }

    /**
     * What a browser posts: every named input (checkboxes and radios only when checked or ticked by the user,
     * i.e. named in {@code typed}), with the typed values, plus the pressed button's name and value.
     */
    Map<String, String> submission(Map<String, String> typed, Control pressed) {
        Map<String, String> data = new LinkedHashMap<>();
        for (Control input : inputs) {
            if (input.name() == null || (isToggle(input) && !input.checked() && !typed.containsKey(input.name()))) {
                continue;
            }
            data.put(input.name(), typed.getOrDefault(input.name(), input.value() == null ? "" : input.value()));
        }
        if (pressed != null && pressed.name() != null) {
            data.put(pressed.name(), pressed.value() == null ? "" : pressed.value());
        }
        return data;
    }

    private static boolean isToggle(Control input) {
        return "checkbox".equals(input.type()) || "radio".equals(input.type());
    }

    private static final class FormCollector extends HTMLEditorKit.ParserCallback {
        private final URI page;
        private final List<HtmlForm> forms = new ArrayList<>();
        private URI action;
        private String method;
        private List<Control> inputs;
        private List<Control> submits;
        private javax.swing.text.AttributeSet openButton;
        private StringBuilder buttonLabel;

        FormCollector(URI page) {
            this.page = page;
        }

        @Override
        public void handleStartTag(HTML.Tag tag, MutableAttributeSet attrs, int pos) {
            if (tag == HTML.Tag.FORM) {
                String target = attr(attrs, HTML.Attribute.ACTION);
                action = target == null || target.isEmpty() ? page : page.resolve(target);
                String m = attr(attrs, HTML.Attribute.METHOD);
                method = m == null ? "GET" : m.toUpperCase(Locale.ROOT);
                inputs = new ArrayList<>();
                submits = new ArrayList<>();
            } else if (isButton(tag) && inputs != null) {
                openButton(attrs);
            }
        }

        @Override
        public void handleSimpleTag(HTML.Tag tag, MutableAttributeSet attrs, int pos) {
            if (inputs == null) {
                return;
            }
            if (tag == HTML.Tag.INPUT) {
                String type = lower(attr(attrs, HTML.Attribute.TYPE));
                Control control = new Control(attr(attrs, HTML.Attribute.NAME), type == null ? "text" : type,
                        attr(attrs, HTML.Attribute.VALUE), attrs.isDefined(HTML.Attribute.CHECKED),
                        attr(attrs, HTML.Attribute.VALUE));
                (control.isSubmit() ? submits : inputs).add(control);
            } else if (isButton(tag)) {
                // the JDK's HTML 3.2 parser reports <button> and </button> as simple unknown tags
                if (attrs.isDefined(HTML.Attribute.ENDTAG)) {
                    closeButton();
                } else {
                    openButton(attrs);
                }
            }
        }

        @Override
        public void handleText(char[] data, int pos) {
            if (buttonLabel != null) {
                buttonLabel.append(data);
            }
        }

        @Override
        public void handleEndTag(HTML.Tag tag, int pos) {
            if (tag == HTML.Tag.FORM && inputs != null) {
                forms.add(new HtmlForm(action, method, List.copyOf(inputs), List.copyOf(submits)));
                inputs = null;
            } else if (isButton(tag)) {
                closeButton();
            }
        }

        private void openButton(MutableAttributeSet attrs) {
            openButton = attrs.copyAttributes();
            buttonLabel = new StringBuilder();
        }

        private void closeButton() {
            if (openButton == null) {
                return;
            }
            String type = lower(attr(openButton, HTML.Attribute.TYPE));
            if (type == null || type.equals("submit")) {
                submits.add(new Control(attr(openButton, HTML.Attribute.NAME), "submit",
                        attr(openButton, HTML.Attribute.VALUE), false, buttonLabel.toString().trim()));
            }
            openButton = null;
            buttonLabel = null;
        }

        private static boolean isButton(HTML.Tag tag) {
            return "button".equalsIgnoreCase(tag.toString());
        }

        private static String attr(javax.swing.text.AttributeSet attrs, HTML.Attribute name) {
            Object value = attrs.getAttribute(name);
            return value == null ? null : value.toString();
        }

        private static String lower(String s) {
            return s == null ? null : s.toLowerCase(Locale.ROOT);
        }
    }
}
