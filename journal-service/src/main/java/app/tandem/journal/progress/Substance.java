package app.tandem.journal.progress;

/** Substances in the shared catalogue; goals and check-ins name them, never in free text. */
public enum Substance {
    ALCOHOL, OPIOIDS, STIMULANTS, CANNABIS, BENZODIAZEPINES, NICOTINE, OTHER_SUBSTANCE
}
