package app.tandem.notifications.preferences;

/** Where copies of prompts can go besides the inbox; each is used only once the person confirmed it. */
public enum Contact { EMAIL, WEBHOOK }
