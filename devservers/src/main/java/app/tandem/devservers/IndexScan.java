package app.tandem.devservers;

import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.backend.Missing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a query can be answered by walking one index over a range of its keys, as MongoDB's planner would: equalities
 * on the index's leading fields, then at most one range ({@code $gt}, {@code $gte}, {@code $lt}, {@code $lte}) on the
 * next. The walk yields every document the query can match, and perhaps a few more: each is still matched against
 * the whole query. When the query's sort follows the index, the walk goes in that order and can stop at the limit.
 */
record IndexScan(List<Object> equal, boolean ranged, Object lower, Object upper, boolean reverse, boolean ordered) {

    private static final Comparator<Object> ORDER = ValueComparator.ascWithoutListHandling();
    private static final Set<String> RANGE_OPERATORS = Set.of("$gt", "$gte", "$lt", "$lte");

    /** What the query says of one field: a value it must equal, or bounds it must lie within. */
    record Condition(Object equal, Object lower, Object upper) {
        boolean isEquality() {
            return equal != null;
        }

        /**
         * Both conditions on one field, as MongoDB's planner merges the clauses of an {@code $and}: an equality
         * alone, or the tighter of each bound. (A field holding an array could meet each clause with another element;
         * the walk does not serve indexes of such fields.)
         */
        Condition and(Condition other) {
            if (isEquality() || other.isEquality()) {
                return isEquality() ? this : other;
            }
            return new Condition(null, tighter(lower, other.lower, 1), tighter(upper, other.upper, -1));
        }

        private static Object tighter(Object a, Object b, int higher) {
            if (a == null || b == null) {
                return a == null ? b : a;
            }
            return Integer.signum(ORDER.compare(a, b)) == higher ? a : b;
        }
    }

    /** The fields this index is used for: more is better, and a point lookup uses all of them. */
    int fieldsUsed() {
        return equal.size() + (ranged ? 1 : 0);
    }

    /** Whether the query names one key of an index of {@code fields}, which the index answers by a lookup. */
    boolean isPointLookup(List<String> fields) {
        return !ranged && equal.size() == fields.size();
    }

    /** A scan of the index on {@code fields} that narrows the query, if the query says enough of its leading fields. */
    static Optional<IndexScan> plan(Document query, Document orderBy, List<String> fields) {
        return plan(conditions(query), orderBy, fields);
    }

    /** As {@link #plan(Document, Document, List)}, for the query's {@link #conditions} read once for every index. */
    static Optional<IndexScan> plan(Map<String, Condition> conditions, Document orderBy, List<String> fields) {
        List<Object> equal = new ArrayList<>();
        int next = 0;
        while (next < fields.size() && conditions.containsKey(fields.get(next)) && conditions.get(fields.get(next)).isEquality()) {
            equal.add(conditions.get(fields.get(next)).equal());
            next++;
        }
        Condition range = next < fields.size() ? conditions.get(fields.get(next)) : null;
        boolean ranged = range != null && !range.isEquality();
        if (equal.isEmpty() && !ranged) {
            return Optional.empty();
        }
        Boolean reverse = direction(orderBy, fields.subList(equal.size(), fields.size()), conditions);
        return Optional.of(new IndexScan(List.copyOf(equal), ranged, ranged ? range.lower() : null,
                ranged ? range.upper() : null, Boolean.TRUE.equals(reverse), reverse != null));
    }

    /**
     * Whether the sort walks the index backwards (true), forwards (false), or not along it at all (null): it may name
     * fields fixed by the query, then must follow the index's remaining fields in one direction.
     */
    private static Boolean direction(Document orderBy, List<String> remaining, Map<String, Condition> conditions) {
        if (orderBy == null || orderBy.isEmpty()) {
            return false;
        }
        Integer direction = null;
        int position = 0;
        for (Map.Entry<String, Object> sort : orderBy.entrySet()) {
            Condition fixed = conditions.get(sort.getKey());
            if (fixed != null && fixed.isEquality()) {
                continue;
            }
            if (!(sort.getValue() instanceof Number value) || Math.abs(value.intValue()) != 1
                    || position >= remaining.size() || !remaining.get(position).equals(sort.getKey())
                    || (direction != null && direction != value.intValue())) {
                return null;
            }
            direction = value.intValue();
            position++;
        }
        return direction != null && direction < 0;
    }

    /**
     * The field conditions of a query and of a top-level {@code $and} of field conditions, those on one field merged;
     * anything else is left out.
     */
    static Map<String, Condition> conditions(Document query) {
        Map<String, Condition> conditions = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : query.entrySet()) {
            if (entry.getKey().equals("$and") && entry.getValue() instanceof Collection<?> clauses) {
                for (Object clause : clauses) {
                    if (clause instanceof Document part) {
                        conditions(part).forEach((field, condition) -> conditions.merge(field, condition, Condition::and));
                    }
                }
            } else if (!entry.getKey().startsWith("$")) {
                condition(entry.getValue()).ifPresent(condition -> conditions.merge(entry.getKey(), condition, Condition::and));
            }
        }
        return conditions;
    }

    private static Optional<Condition> condition(Object value) {
        if (value instanceof Document operators) {
            if (operators.size() == 1 && operators.get("$eq") != null) {
                return condition(operators.get("$eq"));
            }
            Object lower = null;
            Object upper = null;
            for (Map.Entry<String, Object> operator : operators.entrySet()) {
                if (!RANGE_OPERATORS.contains(operator.getKey()) || !isScalar(operator.getValue())) {
                    return Optional.empty();
                }
                if (operator.getKey().startsWith("$g")) {
                    lower = operator.getValue();
                } else {
                    upper = operator.getValue();
                }
            }
            return Optional.of(new Condition(null, lower, upper));
        }
        return isScalar(value) ? Optional.of(new Condition(value, null, null)) : Optional.empty();
    }

    /** A value an index key is compared with as it is: not null or missing (which match absent fields), not a pattern. */
    private static boolean isScalar(Object value) {
        return value != null && !(value instanceof Missing) && !(value instanceof Document) && !(value instanceof Collection)
                && !(value instanceof BsonRegularExpression) && !BsonRegularExpression.isRegularExpression(value);
    }

    /** The key to start the walk from, before (or, backwards, after) every key the query can match; empty: the first. */
    List<Object> start() {
        List<Object> start = new ArrayList<>(equal);
        if (reverse) {
            start.add(ranged && upper != null ? upper : MaxKey.getInstance());
            start.add(MaxKey.getInstance()); // after every longer key that starts the same
        } else if (ranged && lower != null) {
            start.add(lower);
        } // else the equal values alone: a shorter key comes before every longer one that starts the same
        return start;
    }

    /** What a key met on the walk means: take it, pass over it, or stop, as every later key is out of range too. */
    enum Step { TAKE, PASS, STOP }

    Step step(List<Object> key) {
        for (int i = 0; i < equal.size(); i++) {
            if (ORDER.compare(key.get(i), equal.get(i)) != 0) {
                return Step.STOP;
            }
        }
        if (!ranged) {
            return Step.TAKE;
        }
        Object value = key.get(equal.size());
        boolean belowLower = lower != null && ORDER.compare(value, lower) < 0;
        boolean aboveUpper = upper != null && ORDER.compare(value, upper) > 0;
        if (reverse ? belowLower : aboveUpper) {
            return Step.STOP;
        }
        return belowLower || aboveUpper ? Step.PASS : Step.TAKE;
    }
}
