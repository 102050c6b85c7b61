import type { Client } from "@connectrpc/connect";
import { timestampDate, timestampFromDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import type { PlansService } from "../gen/tandem/api/v1/plans_pb";

/** What the pages of talking with each other need: the couple, who the reader is, and how to draw the page again. */
export type Together = {
  plans: Client<typeof PlansService>;
  coupleId: string;
  me: string;
  refresh: () => void;
};

const pad = (n: number) => String(n).padStart(2, "0");

/** A date as a date input shows it, in the reader's own time zone. */
export function dateValue(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A moment as a datetime-local input shows it, in the reader's own time zone. */
export function dateTimeValue(date: Date): string {
  return `${dateValue(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local input's value ("2026-12-08T19:00"), which the browser reads as the reader's local time. */
export function fromDateTime(value: FormDataEntryValue | null): Timestamp {
  return timestampFromDate(new Date(String(value)));
}

/** A date input's value as the end of that day in the reader's time zone ("T" keeps it local, not UTC). */
export function endOfDay(value: FormDataEntryValue | null): Timestamp {
  return timestampFromDate(new Date(`${String(value)}T23:59`));
}

/** Tomorrow at seven in the evening: a calm default, easy to change. */
export function tomorrowEvening(): Date {
  const date = new Date();
  date.setDate(date.getDate() + 1);
  date.setHours(19, 0, 0, 0);
  return date;
}

/** The day of a moment, as the reader writes dates. */
export function day(timestamp: Timestamp | undefined): string {
  return timestamp ? timestampDate(timestamp).toLocaleDateString() : "";
}
