package app.tandem.devstack.deploy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image configuration of the {@code images} profile, checked in every build, where Jib cannot pull a base image:
 * a non-root user, memory from the container's limit, the gRPC and management ports, and in each image module a main
 * class that is its Spring Boot application and the ports its default configuration listens on.
 */
class ImageConfigurationTest {

    @Test
    void everyServiceAndTheGatewayBuildAnImageThatRunsAsItShould() throws Exception {
        Element root = DeployFiles.pom(DeployFiles.root().resolve("pom.xml")).getDocumentElement();
        Map<String, String> defaults = DeployFiles.properties(root);
        assertThat(defaults.get("jib-maven-plugin.version")).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(defaults.get("image.skip")).as("only the image modules build one").isEqualTo("true");

        Element jib = jibPlugin(root);
        Element configuration = DeployFiles.at(jib, "configuration");
        assertThat(DeployFiles.at(configuration, "skip").getTextContent()).isEqualTo("${image.skip}");
        Element container = DeployFiles.at(configuration, "container");
        String user = DeployFiles.at(container, "user").getTextContent().trim();
        assertThat(user).as("a numeric user and group, not root").matches("[1-9]\\d*:[1-9]\\d*");
        assertThat(DeployFiles.texts(DeployFiles.at(container, "jvmFlags"))).anyMatch(flag -> flag.startsWith("-XX:MaxRAMPercentage="))
                .noneMatch(flag -> flag.startsWith("-Xmx"));
        assertThat(DeployFiles.texts(DeployFiles.at(container, "ports"))).containsExactlyInAnyOrder("${image.grpc-port}", "${image.management-port}");
        assertThat(DeployFiles.at(container, "mainClass").getTextContent()).isEqualTo("${image.main-class}");
        Element environment = DeployFiles.at(container, "environment");
        assertThat(DeployFiles.at(environment, "SPRING_GRPC_SERVER_ADDRESS").getTextContent()).isEqualTo("0.0.0.0");
        assertThat(DeployFiles.at(environment, "SERVER_ADDRESS").getTextContent()).as("the management port's").isEqualTo("0.0.0.0");
        assertThat(DeployFiles.at(environment, "SPRING_GRPC_SERVER_PORT").getTextContent()).isEqualTo("${image.grpc-port}");
        assertThat(DeployFiles.at(environment, "MANAGEMENT_SERVER_PORT").getTextContent()).isEqualTo("${image.management-port}");
        assertThat(DeployFiles.texts(DeployFiles.at(jib, "executions", "execution", "goals"))).containsExactly("buildTar");

        for (DeployFiles.Image image : DeployFiles.images().values()) {
            assertThat(image.skip()).as("%s builds its image", image.module()).isFalse();
            Class<?> main = Class.forName(image.mainClass());
            assertThat(main.isAnnotationPresent(SpringBootApplication.class)).as("%s's main class", image.module()).isTrue();
            main.getMethod("main", String[].class);
            assertThat(image.grpcPort()).isNotEqualTo(image.managementPort());
            // the port its own configuration defaults to, so that the image and a plain run agree
            String yaml = java.nio.file.Files.readString(DeployFiles.root().resolve(image.module()).resolve("src/main/resources/" + image.module() + ".yaml"));
            assertThat(yaml).as("%s's default gRPC port", image.module()).contains(":" + image.grpcPort() + "}");
        }
        assertThat(DeployFiles.images().values()).extracting(DeployFiles.Image::grpcPort).doesNotHaveDuplicates();
    }

    private static Element jibPlugin(Element project) {
        Element profiles = DeployFiles.at(project, "profiles");
        for (Node profile = profiles.getFirstChild(); profile != null; profile = profile.getNextSibling()) {
            if (profile instanceof Element element && DeployFiles.at(element, "id").getTextContent().equals("images")) {
                Element plugins = DeployFiles.at(element, "build", "plugins");
                for (Node plugin = plugins.getFirstChild(); plugin != null; plugin = plugin.getNextSibling()) {
                    if (plugin instanceof Element p && DeployFiles.at(p, "artifactId").getTextContent().equals("jib-maven-plugin")) {
                        assertThat(DeployFiles.at(p, "groupId").getTextContent()).isEqualTo("com.google.cloud.tools");
                        assertThat(DeployFiles.at(p, "version").getTextContent()).isEqualTo("${jib-maven-plugin.version}");
                        return p;
                    }
                }
            }
        }
        throw new AssertionError("no jib-maven-plugin in the images profile");
    }
}
