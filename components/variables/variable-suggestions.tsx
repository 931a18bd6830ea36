"use client";

/** The team's variables as {{vars.NAME}}, each a button that copies it (to paste into any field). */
export function VariableSuggestions({ names }: { names: string[] }) {
  if (names.length === 0) return null;
  return (
    <details className="rounded-md border border-zinc-200 p-3 text-sm">
      <summary className="cursor-pointer font-medium">Team variables ({names.length})</summary>
      <p className="mt-2 text-xs text-zinc-500">Click one to copy it, then paste it into any field: it is filled in when the request is sent.</p>
      <ul className="mt-2 flex flex-wrap gap-1">
        {names.map((name) => (
          <li key={name}>
            <button
              type="button"
              className="rounded bg-zinc-100 px-2 py-0.5 font-mono text-xs hover:bg-indigo-100"
              onClick={() => navigator.clipboard?.writeText(`{{vars.${name}}}`).catch(() => {})}
            >
              {`{{vars.${name}}}`}
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
