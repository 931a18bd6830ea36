"use client";
import { useState, useTransition } from "react";
import { tryItTokenAction } from "@/app/(app)/api-docs/actions";
import { Button } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code-block";
import { Field, FormMessage } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import type { ScopeName } from "@/lib/oauth-server/scopes";

export type TryItOperation = {
  operationId: string;
  method: string;
  path: string;
  scope: string;
  role: string;
  parameters: { name: string; in: string; required: boolean }[];
  hasBody: boolean;
};

/** The answer shown is cut here: the page is for trying, not for downloading. */
const SHOWN_CHARS = 100_000;
// One token per scope for this page's life, asked for again shortly before it expires.
const tokens = new Map<string, { token: string; until: number }>();

async function tokenFor(scope: string): Promise<string> {
  const kept = tokens.get(scope);
  if (kept && kept.until > Date.now()) return kept.token;
  const result = await tryItTokenAction({ scope: scope as ScopeName });
  if (!result.ok) throw new Error(result.error);
  tokens.set(scope, { token: result.data.token, until: Date.now() + (result.data.expiresIn - 30) * 1000 });
  return result.data.token;
}

/** Builds the request from the inputs, sends it with the signed-in user's Try it token, and shows the answer. */
export function TryItPanel({ operation }: { operation: TryItOperation }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [body, setBody] = useState("{}");
  const [answer, setAnswer] = useState<{ status: number; text: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const send = () =>
    startTransition(async () => {
      setError(null);
      const missing = operation.parameters.find((p) => p.required && !values[p.name]);
      if (missing) return setError(`Enter ${missing.name}.`);
      const query = new URLSearchParams();
      for (const p of operation.parameters) if (p.in === "query" && values[p.name]) query.set(p.name, values[p.name]);
      const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ""));
      try {
        const response = await fetch(`${path}${query.size ? `?${query}` : ""}`, {
          method: operation.method,
          // The token alone says who calls (no cookies): what a script with this token could do.
          credentials: "omit",
          headers: {
            authorization: `Bearer ${await tokenFor(operation.scope)}`,
            ...(operation.hasBody ? { "content-type": "application/json" } : {}),
          },
          body: operation.hasBody ? body : undefined,
        });
        const text = await response.text();
        let shown = text;
        try {
          shown = JSON.stringify(JSON.parse(text), null, 2);
        } catch {
          // Not JSON: shown as it came.
        }
        setAnswer({ status: response.status, text: shown.length > SHOWN_CHARS ? `${shown.slice(0, SHOWN_CHARS)}\n… (cut)` : shown });
      } catch (e) {
        setError(e instanceof Error ? e.message : "The request failed.");
      }
    });

  return (
    <section aria-label={`Try ${operation.method} ${operation.path}`} className="mt-3 space-y-3 rounded-md border border-zinc-200 p-3">
      <p className="text-xs text-zinc-600">
        Sent from your browser as you, in this team, with a 10-minute token that holds only <code>{operation.scope}</code> (issued by the
        system-configured application "API documentation").
      </p>
      {operation.parameters.map((p) => (
        <Field key={p.name} label={`${p.name} (${p.in}${p.required ? ", required" : ""})`}>
          <Input value={values[p.name] ?? ""} onChange={(e) => setValues({ ...values, [p.name]: e.currentTarget.value })} />
        </Field>
      ))}
      {operation.hasBody && (
        <Field label="Request body (JSON)">
          <Textarea rows={6} className="font-mono text-xs" value={body} onChange={(e) => setBody(e.currentTarget.value)} />
        </Field>
      )}
      <FormMessage error={error} />
      <Button size="sm" pending={pending} onClick={send}>
        Send {operation.method}
      </Button>
      {answer && (
        <div data-testid="try-it-answer">
          <p className="text-sm font-semibold">Status {answer.status}</p>
          <CodeBlock label="Answer" className="max-h-96 overflow-auto rounded-md bg-zinc-900 p-3 text-xs text-zinc-100">
            {answer.text}
          </CodeBlock>
        </div>
      )}
    </section>
  );
}
