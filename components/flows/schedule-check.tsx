"use client";
import { useMemo } from "react";
import { checkSchedule } from "@/lib/flows/cron";

/** A schedule's meaning and next run times, or why it is refused (loaded by the flow editor when a schedule is on). */
export function ScheduleCheckView({ cron, timezone, hydrated }: { cron: string; timezone: string; hydrated: boolean }) {
  const check = useMemo(() => checkSchedule(cron, timezone, 5), [cron, timezone]);
  return (
    <>
      {check.ok ? (
        <div className="text-sm" data-testid="schedule-explanation">
          <p className="font-medium">{check.description}</p>
          <p className="mt-1 text-zinc-600">Next runs:</p>
          <ul className="list-inside list-disc text-zinc-600">
            {hydrated &&
              check.nextRuns.map((d) => (
                <li key={d.toISOString()}>{d.toLocaleString("en-GB", { timeZone: timezone, dateStyle: "medium", timeStyle: "medium" })}</li>
              ))}
          </ul>
        </div>
      ) : (
        <p className="text-sm text-red-600">{check.error}</p>
      )}
    </>
  );
}
