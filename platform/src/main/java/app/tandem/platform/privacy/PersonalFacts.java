package app.tandem.platform.privacy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component of a stored event as what a person told about themselves (mood, use, goals, …). It is stored
 * encrypted under the key of the person whose id the {@link #owner()} component holds, so erasing that person's key
 * leaves it unreadable in the event store and its copies. An event read after its owner was erased has this
 * component null: handlers treat null as "erased".
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface PersonalFacts {

    /** The record component holding the id of the person these facts belong to. */
    String owner();
}
