package app.tandem.devservers;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.type.DataType;

import java.util.Map;
import java.util.function.Supplier;

/**
 * A map of the Mongo-wire server's store whose every change is appended to the {@link StoreJournal} as the entry's
 * new state. Maps are opened before their backend has its journal (the stock backend opens its databases in its
 * constructor), so each map asks for the journal when it writes; the in-memory store has none.
 */
final class JournaledMap<K, V> extends MVMap<K, V> {

    private final Supplier<StoreJournal> journal;
    /** A change and its record are one step, so records of one key are in the order their changes were made. */
    private final Object writes = new Object();

    private JournaledMap(Map<String, Object> config, DataType<K> keyType, DataType<V> valueType, Supplier<StoreJournal> journal) {
        super(config, keyType, valueType);
        this.journal = journal;
    }

    /** Every put, remove and replace of an {@link MVMap} comes here. */
    @Override
    public V operate(K key, V value, DecisionMaker<? super V> decisionMaker) {
        StoreJournal to = journal.get();
        if (to == null) {
            return super.operate(key, value, decisionMaker);
        }
        synchronized (writes) {
            V previous = super.operate(key, value, decisionMaker);
            // values are never changed in place (documents are kept as bytes, the rest is immutable), so the same
            // value as before is the same state: nothing to record when an entry is absent before and after, nor
            // when H2 rewrites a page of an old chunk elsewhere in the file to compact it
            V now = get(key);
            if (now != previous) {
                to.changed(this, key, now);
            }
            return previous;
        }
    }

    @Override
    public void clear() {
        StoreJournal to = journal.get();
        if (to == null) {
            super.clear();
            return;
        }
        synchronized (writes) {
            super.clear();
            to.cleared(this);
        }
    }

    static final class Builder<K, V> extends MVMap.Builder<K, V> {
        private final Supplier<StoreJournal> journal;

        Builder(Supplier<StoreJournal> journal) {
            this.journal = journal;
        }

        @Override
        protected MVMap<K, V> create(Map<String, Object> config) {
            return new JournaledMap<>(config, getKeyType(), getValueType(), journal);
        }
    }
}
