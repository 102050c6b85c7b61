package app.tandem.platform.kafka;

import java.util.Set;

/** A test's handler of one topic's integration events. */
abstract class TopicHandler implements IntegrationEventHandler {

    final String topic;

    TopicHandler(String topic) {
        this.topic = topic;
    }

    @Override
    public Set<String> topics() {
        return Set.of(topic);
    }
}
