import { cn } from "@/components/ui/cn";
import { type HealthSegment, type HealthTone, segmentLabel, TONE_WORDS } from "@/lib/connections/health";

const TONE_CLASSES: Record<HealthTone, string> = {
  ok: "bg-green-500",
  warning: "bg-amber-400",
  failed: "bg-red-600",
};

/**
 * Recent checks and token events as a strip, oldest on the left. Each segment is focusable and carries its
 * sentence (time and what happened) as text for screen readers and as a tooltip; the list of checks and
 * the token timeline below say the same in full.
 */
export function HealthStrip({ segments }: { segments: HealthSegment[] }) {
  if (segments.length === 0) return <p className="text-sm text-zinc-600">No checks yet: Verify records one here.</p>;
  return (
    <div>
      <ol aria-label="Connection health, oldest first" className="flex h-8 gap-1" data-testid="health-strip">
        {segments.map((s) => {
          const label = segmentLabel(s);
          return (
            <li
              key={s.key}
              // biome-ignore lint/a11y/noNoninteractiveTabindex: each segment is focusable so keyboard users can reach its sentence.
              tabIndex={0}
              title={label}
              data-tone={s.tone}
              className={cn(
                "min-w-2 max-w-12 flex-1 rounded-sm outline-offset-2 focus-visible:outline-2 focus-visible:outline-indigo-600",
                TONE_CLASSES[s.tone],
              )}
            >
              <span className="sr-only">{label}</span>
            </li>
          );
        })}
      </ol>
      <p className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-600" aria-hidden="true">
        {(Object.keys(TONE_CLASSES) as HealthTone[]).map((tone) => (
          <span key={tone} className="inline-flex items-center gap-1">
            <span className={cn("inline-block h-3 w-3 rounded-sm", TONE_CLASSES[tone])} />
            {TONE_WORDS[tone]}
          </span>
        ))}
      </p>
    </div>
  );
}
