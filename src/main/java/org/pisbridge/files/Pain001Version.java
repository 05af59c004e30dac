package org.pisbridge.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.xml.sax.SAXException;

/**
 * The pain.001 versions PIS Bridge reads, each with the pain.002 version its status report is
 * written in, and their official schemas (src/main/resources/iso20022).
 */
enum Pain001Version {
    V03("pain.001.001.03", "pain.002.001.03"),
    V09("pain.001.001.09", "pain.002.001.10");

    private static final String NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:";
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    final String pain001;
    final String pain002;

    Pain001Version(String pain001, String pain002) {
        this.pain001 = pain001;
        this.pain002 = pain002;
    }

    static Pain001Version of(String name) {
        for (Pain001Version v : values()) {
            if (v.pain001.equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException(name);
    }

    String pain002Namespace() {
        return NAMESPACE + pain002;
    }

    Schema pain001Schema() {
        return schema(pain001);
    }

    Schema pain002Schema() {
        return schema(pain002);
    }

    /** The version a document declares by its root element's namespace; refused whole when it is none of ours. */
    static Pain001Version of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader xml = safeFactory().createXMLStreamReader(in);
            try {
                while (xml.hasNext()) {
                    if (xml.next() == XMLStreamConstants.START_ELEMENT) {
                        String ns = xml.getNamespaceURI() == null ? "" : xml.getNamespaceURI();
                        for (Pain001Version v : values()) {
                            if (ns.equals(NAMESPACE + v.pain001) && xml.getLocalName().equals("Document")) {
                                return v;
                            }
                        }
                        throw new CsvLayout.UnreadableFile("an XML file that is not a pain.001.001.03 or pain.001.001.09"
                                + " Document (root element " + xml.getLocalName() + " in namespace '" + ns + "')");
                    }
                }
            } finally {
                xml.close();
            }
        } catch (XMLStreamException e) {
            throw new CsvLayout.UnreadableFile("not well-formed XML: " + e.getMessage());
        }
        throw new CsvLayout.UnreadableFile("an XML file without a root element");
    }

    private static Schema schema(String name) {
        return SCHEMAS.computeIfAbsent(name, n -> {
            try {
                SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
                f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
                f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
                return f.newSchema(Pain001Version.class.getResource("/iso20022/" + n + ".xsd"));
            } catch (SAXException e) {
                throw new IllegalStateException("schema " + n + " cannot be loaded", e);
            }
        });
    }

    /** A StAX factory that reads no DTD and no external entity. */
    static XMLInputFactory safeFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return f;
    }
}
