package app.tandem.devstack.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.zjsonpatch.JsonPatch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * What {@code kubectl kustomize} makes of a kustomization, for the fields the manifests in deploy/k8s use: resources
 * (files and folders), JSON 6902 patches by kind and name, images and the namespace. A field it does not know fails
 * the rendering, so the manifests cannot use one that this would silently leave out.
 */
final class Kustomization {

    static final ObjectMapper YAML = new YAMLMapper();
    private static final Set<String> KNOWN = Set.of("apiVersion", "kind", "namespace", "resources", "patches", "images");

    private Kustomization() {
    }

    static List<ObjectNode> render(Path folder) throws IOException {
        JsonNode kustomization = YAML.readTree(folder.resolve("kustomization.yaml").toFile());
        for (Iterator<String> fields = kustomization.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!KNOWN.contains(field)) {
                throw new IllegalArgumentException(folder + ": kustomization field " + field + " is not rendered here");
            }
        }
        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = folder.resolve(resource.asText()).normalize();
            resources.addAll(Files.isDirectory(path) ? render(path) : documents(path));
        }
        for (JsonNode patch : kustomization.path("patches")) {
            String kind = patch.path("target").path("kind").asText();
            String name = patch.path("target").path("name").asText();
            JsonNode operations = YAML.readTree(patch.path("patch").asText());
            boolean found = false;
            for (int i = 0; i < resources.size(); i++) {
                ObjectNode resource = resources.get(i);
                if (resource.path("kind").asText().equals(kind) && resource.path("metadata").path("name").asText().equals(name)) {
                    resources.set(i, (ObjectNode) JsonPatch.apply(operations, resource));
                    found = true;
                }
            }
            if (!found) {
                throw new IllegalArgumentException(folder + ": a patch's target " + kind + "/" + name + " is not among the resources");
            }
        }
        for (JsonNode image : kustomization.path("images")) {
            for (ObjectNode resource : resources) {
                for (JsonNode container : resource.path("spec").path("template").path("spec").path("containers")) {
                    String current = container.path("image").asText();
                    int tag = current.lastIndexOf(':') > current.lastIndexOf('/') ? current.lastIndexOf(':') : current.length();
                    if (current.substring(0, tag).equals(image.path("name").asText())) {
                        String name = image.has("newName") ? image.get("newName").asText() : current.substring(0, tag);
                        String newTag = image.has("newTag") ? ":" + image.get("newTag").asText() : current.substring(tag);
                        ((ObjectNode) container).put("image", name + newTag);
                    }
                }
            }
        }
        if (kustomization.has("namespace")) {
            resources.forEach(r -> ((ObjectNode) r.get("metadata")).put("namespace", kustomization.get("namespace").asText()));
        }
        return resources;
    }

    /** Every YAML document in {@code file}. */
    static List<ObjectNode> documents(Path file) throws IOException {
        List<ObjectNode> documents = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            var parser = new YAMLFactory().createParser(in);
            for (Iterator<ObjectNode> all = YAML.readValues(parser, ObjectNode.class); all.hasNext(); ) {
                documents.add(all.next());
            }
        }
        return documents;
    }

    /** {@code kubectl kustomize folder}, where kubectl is installed; null where it is not. */
    static List<ObjectNode> byKubectl(Path folder) throws IOException, InterruptedException {
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", folder.toString()).redirectErrorStream(false).start();
        } catch (IOException notInstalled) {
            return null;
        }
        byte[] output = kubectl.getInputStream().readAllBytes();
        String errors = new String(kubectl.getErrorStream().readAllBytes());
        if (kubectl.waitFor() != 0) {
            throw new IllegalStateException("kubectl kustomize " + folder + " failed: " + errors);
        }
        Path rendered = Files.createTempFile("kustomize", ".yaml");
        try {
            Files.write(rendered, output);
            return documents(rendered);
        } finally {
            Files.delete(rendered);
        }
    }

    static ArrayNode array(JsonNode node) {
        return node instanceof ArrayNode array ? array : YAML.createArrayNode();
    }
}
