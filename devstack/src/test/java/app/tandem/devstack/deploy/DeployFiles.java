package app.tandem.devstack.deploy;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The repository's deploy/ folder and what each image module's pom says about its image. */
final class DeployFiles {

    /** The modules that become images, by the name their Deployment, compose service and image carry. */
    static final List<String> IMAGES = List.of("journal-service", "plans-service", "notifications-service", "care-service", "gateway");

    /** What a module's pom sets for its image ({@code image.*} properties). */
    record Image(String module, boolean skip, String mainClass, int grpcPort, int managementPort) {
    }

    private DeployFiles() {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no deploy/ above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static Path deploy() {
        return root().resolve("deploy");
    }

    static Document pom(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    static Map<String, Image> images() throws Exception {
        Map<String, Image> images = new LinkedHashMap<>();
        for (String module : IMAGES) {
            Map<String, String> properties = properties(pom(root().resolve(module).resolve("pom.xml")).getDocumentElement());
            images.put(module, new Image(module, Boolean.parseBoolean(properties.get("image.skip")), properties.get("image.main-class"),
                    Integer.parseInt(properties.get("image.grpc-port")), Integer.parseInt(properties.get("image.management-port"))));
        }
        return images;
    }

    /** The {@code <properties>} directly under {@code project}. */
    static Map<String, String> properties(Element project) {
        Map<String, String> properties = new LinkedHashMap<>();
        Element block = child(project, "properties");
        if (block != null) {
            for (Node node = block.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element property) {
                    properties.put(property.getTagName(), property.getTextContent().trim());
                }
            }
        }
        return properties;
    }

    static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }

    /** The element at {@code path} of child names under {@code from}; fails naming the missing step. */
    static Element at(Element from, String... path) {
        Element current = from;
        for (String name : path) {
            Element next = child(current, name);
            if (next == null) {
                throw new AssertionError("no <" + name + "> under <" + current.getTagName() + ">");
            }
            current = next;
        }
        return current;
    }

    static List<String> texts(Element parent) {
        List<String> texts = new java.util.ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                texts.add(element.getTextContent().trim());
            }
        }
        return texts;
    }
}
