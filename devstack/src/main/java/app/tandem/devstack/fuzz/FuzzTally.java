package app.tandem.devstack.fuzz;

import app.tandem.devstack.fuzz.RequestFuzzer.Finding;
import app.tandem.devstack.fuzz.RequestFuzzer.Form;
import io.grpc.Status;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the fuzzer sent and what came back: requests per RPC and per form, answers per status, findings. */
public final class FuzzTally {

    private long inputs;
    private long renewals;
    private long rechecks;
    private final Map<String, Long> perRpc = new TreeMap<>();
    private final Map<Form, Long> perForm = new EnumMap<>(Form.class);
    private final Map<Status.Code, Long> perStatus = new EnumMap<>(Status.Code.class);
    private final Map<String, Map<Status.Code, Long>> statusPerRpc = new TreeMap<>();
    private final List<Finding> findings = new ArrayList<>();

    synchronized void record(String rpc, Form form, Status.Code code) {
        inputs++;
        perRpc.merge(rpc, 1L, Long::sum);
        perForm.merge(form, 1L, Long::sum);
        perStatus.merge(code, 1L, Long::sum);
        statusPerRpc.computeIfAbsent(rpc, r -> new EnumMap<>(Status.Code.class)).merge(code, 1L, Long::sum);
    }

    synchronized void found(Finding finding) {
        findings.add(finding);
    }

    synchronized void renewed() {
        renewals++;
    }

    synchronized void rechecked() {
        rechecks++;
    }

    public synchronized long inputs() {
        return inputs;
    }

    /** Scenes made again after a request dissolved or joined the couple or ended the consent. */
    public synchronized long renewals() {
        return renewals;
    }

    /** Refused requests sent a second time because counts moved around them while earlier work went on. */
    public synchronized long rechecks() {
        return rechecks;
    }

    public synchronized Map<String, Long> perRpc() {
        return new TreeMap<>(perRpc);
    }

    public synchronized Map<Form, Long> perForm() {
        return new EnumMap<>(perForm);
    }

    public synchronized Map<Status.Code, Long> perStatus() {
        return perStatus.isEmpty() ? Map.of() : new EnumMap<>(perStatus);
    }

    public synchronized Map<String, Map<Status.Code, Long>> statusPerRpc() {
        Map<String, Map<Status.Code, Long>> copy = new TreeMap<>();
        statusPerRpc.forEach((rpc, codes) -> copy.put(rpc, new EnumMap<>(codes)));
        return copy;
    }

    public synchronized List<Finding> findings() {
        return List.copyOf(findings);
    }
}
