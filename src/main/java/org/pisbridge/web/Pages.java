package org.pisbridge.web;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** The runtime's few HTML pages: plain, no third-party content, never cached. */
final class Pages {
    private Pages() {
    }

    static String show(Exchange exchange, int status, String title, String text) {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        m.setHeader("Cache-Control", "no-store");
        m.setHeader("Referrer-Policy", "no-referrer");
        m.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title><style>body{font-family:sans-serif;max-width:40em;margin:3em auto}</style></head><body><h1>"
                + escape(title) + "</h1><p>" + escape(text) + "</p></body></html>";
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
