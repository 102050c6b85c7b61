package app.tandem.platform.kafka;

import app.tandem.events.v1.CareEvents;
import app.tandem.events.v1.JournalEvents;
import app.tandem.events.v1.PlansEvents;
import app.tandem.events.v1.PrivacyEvents;
import com.google.protobuf.Descriptors;

import java.util.List;

/** The files that define integration events: a payload of any other type is no integration event. */
final class EventTypes {

    static final List<Descriptors.FileDescriptor> FILES = List.of(JournalEvents.getDescriptor(), PlansEvents.getDescriptor(),
            CareEvents.getDescriptor(), PrivacyEvents.getDescriptor());

    private EventTypes() {
    }
}
