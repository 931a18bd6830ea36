"use client";
import { useHydrated } from "./use-hydrated";

/**
 * The one way a date is shown. The server (and hydration) render a fixed UTC text that does not depend
 * on any locale or time zone; once hydrated the browser shows it in the reader's own time zone and
 * locale. The exact UTC instant stays in `dateTime` and the tooltip.
 */

type Style = "datetime" | "date" | "time";

const LOCAL_OPTIONS: Record<Style, Intl.DateTimeFormatOptions> = {
  datetime: { dateStyle: "medium", timeStyle: "short" },
  date: { dateStyle: "medium" },
  time: { timeStyle: "medium" },
};

/** "2026-11-29 08:30 UTC": the same text on every machine. */
export function formatUtc(date: Date, style: Style = "datetime"): string {
  const iso = date.toISOString();
  if (style === "date") return `${iso.slice(0, 10)} UTC`;
  if (style === "time") return `${iso.slice(11, 19)} UTC`;
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

export function LocalTime({ value, style = "datetime", empty = "—" }: { value: Date | string | null | undefined; style?: Style; empty?: string }) {
  const hydrated = useHydrated();
  if (value === null || value === undefined || value === "") return <>{empty}</>;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return <>{empty}</>;
  const utc = formatUtc(date, style);
  return (
    <time dateTime={date.toISOString()} title={formatUtc(date, "datetime")}>
      {hydrated ? new Intl.DateTimeFormat(undefined, LOCAL_OPTIONS[style]).format(date) : utc}
    </time>
  );
}
