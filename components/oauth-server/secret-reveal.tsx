"use client";
import { CopyButton } from "@/components/ui/copy-button";
import { Input } from "@/components/ui/input";

/** The client credentials, shown once after create or regenerate. */
export function SecretReveal({ clientId, clientSecret }: { clientId: string; clientSecret: string }) {
  return (
    <div className="space-y-3">
      <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        Copy the client secret now. It will not be shown again; if it is lost, regenerate it.
      </p>
      {[
        ["Client ID", clientId],
        ["Client secret", clientSecret],
      ].map(([label, value]) => (
        <div key={label}>
          <label className="mb-1 block text-sm font-medium" htmlFor={`reveal-${label}`}>
            {label}
          </label>
          <div className="flex gap-2">
            <Input id={`reveal-${label}`} readOnly value={value} className="font-mono" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} />
          </div>
        </div>
      ))}
    </div>
  );
}
