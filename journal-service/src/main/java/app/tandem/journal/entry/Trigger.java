package app.tandem.journal.entry;

/** The catalogue of common triggers; anything else is a free tag. */
public enum Trigger {
    STRESS, CONFLICT, LONELINESS, BOREDOM, CELEBRATION, PEOPLE, PLACES, PAIN, TIREDNESS, MONEY, CRAVING_CUE
}
