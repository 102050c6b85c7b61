package app.tandem.devstack;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a local Tandem keeps its data and which ports it uses; every value can be overridden with --name=value.
 * Each part's management port ({@code /actuator/health}, {@code /actuator/prometheus}) is fixed too, 0 for a random one;
 * so is the gateway's web port (the browser app and gRPC-Web).
 * {@code scriptedLoad} lifts the limits that protect people from each other, for a bench that acts faster than people.
 * {@code replicas} instances of each service run (the gateway stays one), replica n on its service's ports plus
 * (n - 1) times {@code replicaPortOffset}.
 */
public record DevstackSettings(Path dataDir, String host, int gatewayPort, int journalPort, int plansPort, int notificationsPort,
                        int carePort, int kafkaPort, int mongoPort, String serviceHeap, boolean scriptedLoad,
                        int gatewayManagementPort, int journalManagementPort, int plansManagementPort,
                        int notificationsManagementPort, int careManagementPort, int replicas, int replicaPortOffset, int webPort) {

    public static DevstackSettings parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--replicas")) { // as in "up --replicas 2"
                options.put("replicas", args[i + 1]);
            }
        }
        int replicas = Integer.parseInt(options.getOrDefault("replicas", "1"));
        if (replicas < 1) {
            throw new IllegalArgumentException("--replicas must be 1 or more");
        }
        return new DevstackSettings(
                Path.of(options.getOrDefault("data", ".devstack")).toAbsolutePath(),
                options.getOrDefault("host", "127.0.0.1"),
                Integer.parseInt(options.getOrDefault("gateway-port", "9090")),
                Integer.parseInt(options.getOrDefault("journal-port", "9101")),
                Integer.parseInt(options.getOrDefault("plans-port", "9102")),
                Integer.parseInt(options.getOrDefault("notifications-port", "9103")),
                Integer.parseInt(options.getOrDefault("care-port", "9104")),
                Integer.parseInt(options.getOrDefault("kafka-port", "9092")),
                Integer.parseInt(options.getOrDefault("mongo-port", "27017")),
                options.getOrDefault("service-heap", "256m"),
                Boolean.parseBoolean(options.getOrDefault("scripted-load", "false")),
                Integer.parseInt(options.getOrDefault("gateway-management-port", "9190")),
                Integer.parseInt(options.getOrDefault("journal-management-port", "9201")),
                Integer.parseInt(options.getOrDefault("plans-management-port", "9202")),
                Integer.parseInt(options.getOrDefault("notifications-management-port", "9203")),
                Integer.parseInt(options.getOrDefault("care-management-port", "9204")),
                replicas,
                Integer.parseInt(options.getOrDefault("replica-port-offset", "10")),
                Integer.parseInt(options.getOrDefault("web-port", "9080")));
    }

    /** Whether {@code arg} is one of these settings ({@code --data=...}, {@code --gateway-port=...}, ...). */
    static boolean isSetting(String arg) {
        return arg.startsWith("--") && arg.contains("=") && SETTINGS.contains(arg.substring(2, arg.indexOf('=')));
    }

    private static final java.util.Set<String> SETTINGS = java.util.Set.of("data", "host", "gateway-port", "journal-port",
            "plans-port", "notifications-port", "care-port", "kafka-port", "mongo-port", "service-heap", "scripted-load",
            "gateway-management-port", "journal-management-port", "plans-management-port", "notifications-management-port",
            "care-management-port", "replicas", "replica-port-offset", "web-port");

    public String gatewayTarget() {
        return host + ":" + gatewayPort;
    }

    public String webAddress() {
        return "http://" + host + ":" + webPort + "/";
    }

    Path jwks() {
        return dataDir.resolve("jwks.json");
    }
}
