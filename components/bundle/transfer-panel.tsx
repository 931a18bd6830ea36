"use client";
import Link from "next/link";
import { useState, useTransition } from "react";
import { exportTeamAction, importTeamAction, previewImportAction } from "@/app/(app)/team/transfer/actions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormMessage } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import type { ImportPreview, ImportResult } from "@/lib/bundle/import-bundle";
import type { ConflictChoice, ImportChoices } from "@/lib/bundle/forms";

const KIND_LABELS = {
  variable: "Variable",
  connection: "Connection",
  savedRequest: "Saved request",
  flow: "Flow",
  application: "Application",
} as const;
/** A variable is named by the bundle's requests and flows, so it is kept or replaced, never renamed. */
const CONFLICT_CHOICES = (kind: keyof typeof KIND_LABELS) =>
  kind === "variable" ? (["skip", "replace"] as const) : (["skip", "rename", "replace"] as const);
const ACTION_LABELS = {
  create: "Create",
  skip: "Skip (keep the existing one)",
  rename: "Create under a new name",
  replace: "Replace the existing one",
} as const;

/** Export (a download) and Import (file, preview with per-item choices, then one all-or-nothing import). */
export function TransferPanel() {
  return (
    <div className="space-y-6">
      <ExportCard />
      <ImportCard />
    </div>
  );
}

function ExportCard() {
  const [withSecrets, setWithSecrets] = useState(false);
  const [passphrase, setPassphrase] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const submit = () =>
    start(async () => {
      setError(null);
      setDone(null);
      // Checked by the action against the form's schema (lib/bundle/forms.ts): this page does not load zod,
      // which alone would take its first-load JS over the budget, for one length check.
      const input = { withSecrets, passphrase: withSecrets ? passphrase : "" };
      const result = await exportTeamAction(input);
      setFieldError(result.ok ? undefined : result.fieldErrors?.passphrase);
      if (!result.ok) return setError(result.fieldErrors?.passphrase ? null : result.error);
      const url = URL.createObjectURL(new Blob([result.data.text], { type: "application/json" }));
      const link = Object.assign(document.createElement("a"), { href: url, download: result.data.fileName });
      link.click();
      URL.revokeObjectURL(url);
      setPassphrase("");
      setDone(`Downloaded ${result.data.fileName}.`);
    });
  return (
    <Card>
      <h2 className="text-lg font-semibold">Export</h2>
      <p className="mt-1 mb-4 text-sm text-zinc-600">
        Connections, saved requests, flows with their schedules, and Applications (never their client secrets), as one JSON file.
      </p>
      <div className="space-y-4">
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={withSecrets} onChange={(e) => setWithSecrets(e.target.checked)} />
          Include connection secrets, encrypted under a passphrase
        </label>
        {withSecrets ? (
          <Field label="Passphrase" hint="At least 12 characters. It is not stored anywhere: the import asks for it." error={fieldError}>
            <Input type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
          </Field>
        ) : (
          <p className="text-sm text-zinc-600">Without secrets, the connections arrive as “Needs credentials” and ask for them.</p>
        )}
        <FormMessage error={error} success={done} />
        <Button type="button" onClick={submit} pending={pending}>
          Export
        </Button>
      </div>
    </Card>
  );
}

function ImportCard() {
  const [bundleText, setBundleText] = useState("");
  const [fileError, setFileError] = useState<string | undefined>();
  const [sealed, setSealed] = useState(false);
  const [passphrase, setPassphrase] = useState("");
  const [choices, setChoices] = useState<ImportChoices>({ conflicts: {}, names: {}, connectionMap: {}, activateFlows: false });
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  const readFile = async (file: File | undefined) => {
    setPreview(null);
    setResult(null);
    setError(null);
    setFileError(undefined);
    if (!file) return setBundleText("");
    const text = await file.text();
    setBundleText(text);
    try {
      setSealed((JSON.parse(text) as { secrets?: { mode?: string } }).secrets?.mode === "passphrase");
    } catch {
      setFileError("The file is not JSON.");
    }
  };

  const runPreview = (next: ImportChoices) =>
    start(async () => {
      setChoices(next);
      setError(null);
      const answer = await previewImportAction({ bundleText, passphrase, choices: next });
      if (!answer.ok) return setError(answer.error);
      setPreview(answer.data);
    });

  const runImport = () =>
    start(async () => {
      setError(null);
      const answer = await importTeamAction({ bundleText, passphrase, choices });
      if (!answer.ok) return setError(answer.error);
      setResult(answer.data);
      setPreview(null);
      setPassphrase("");
    });

  const setConflict = (id: string, choice: ConflictChoice) => runPreview({ ...choices, conflicts: { ...choices.conflicts, [id]: choice } });
  const setName = (id: string, name: string) => runPreview({ ...choices, names: { ...choices.names, [id]: name } });
  const setMapping = (flowId: string, key: string, connectionId: string) => {
    const flowMap = { ...(choices.connectionMap[flowId] ?? {}) };
    if (connectionId) flowMap[key] = connectionId;
    else delete flowMap[key];
    runPreview({ ...choices, connectionMap: { ...choices.connectionMap, [flowId]: flowMap } });
  };

  return (
    <Card>
      <h2 className="text-lg font-semibold">Import</h2>
      <p className="mt-1 mb-4 text-sm text-zinc-600">Preview first; the import then happens in one step, all or nothing, with new ids.</p>
      <div className="space-y-4">
        <Field label="Bundle file" error={fileError}>
          <Input type="file" accept="application/json,.json" onChange={(e) => void readFile(e.target.files?.[0])} />
        </Field>
        {sealed && (
          <Field label="Bundle passphrase" hint="The passphrase the bundle was exported with.">
            <Input type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
          </Field>
        )}
        <FormMessage error={error} />
        <Button
          type="button"
          variant="secondary"
          onClick={() => runPreview(choices)}
          pending={pending && !preview}
          disabled={!bundleText || !!fileError}
        >
          Preview import
        </Button>
        {preview && <PreviewTable preview={preview} choices={choices} onConflict={setConflict} onName={setName} onMapping={setMapping} />}
        {preview && (
          <>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={choices.activateFlows} onChange={(e) => setChoices({ ...choices, activateFlows: e.target.checked })} />
              Keep flows active as they were (otherwise they arrive inactive, schedules kept)
            </label>
            <Button type="button" onClick={runImport} pending={pending}>
              Import
            </Button>
          </>
        )}
        {result && <ImportDone result={result} />}
      </div>
    </Card>
  );
}

function PreviewTable({
  preview,
  choices,
  onConflict,
  onName,
  onMapping,
}: {
  preview: ImportPreview;
  choices: ImportChoices;
  onConflict: (id: string, choice: ConflictChoice) => void;
  onName: (id: string, name: string) => void;
  onMapping: (flowId: string, key: string, connectionId: string) => void;
}) {
  return (
    <div className="space-y-4" data-testid="import-preview">
      <p className="text-sm text-zinc-700">
        From team “{preview.team}”, exported {new Date(preview.exportedAt).toLocaleString()},{" "}
        {preview.withSecrets ? "with secrets" : "without secrets"}.
      </p>
      <table className="w-full text-left text-sm" aria-label="What the import does">
        <thead>
          <tr className="border-b border-zinc-200 text-zinc-500">
            <th className="py-2 pr-3 font-medium">Kind</th>
            <th className="py-2 pr-3 font-medium">Name</th>
            <th className="py-2 font-medium">Action</th>
          </tr>
        </thead>
        <tbody>
          {preview.items.map((item) => (
            <tr key={`${item.kind}:${item.bundleId}`} className="border-b border-zinc-100">
              <td className="py-2 pr-3">{KIND_LABELS[item.kind]}</td>
              <td className="py-2 pr-3">
                {item.name}
                {item.targetName !== item.name && <span className="text-zinc-500"> → {item.targetName}</span>}
              </td>
              <td className="py-2">
                {item.existing ? (
                  <Select
                    aria-label={`${KIND_LABELS[item.kind]} ${item.name} already exists`}
                    value={choices.conflicts[item.bundleId] ?? (item.kind === "variable" ? "skip" : "rename")}
                    onChange={(e) => onConflict(item.bundleId, e.target.value as ConflictChoice)}
                  >
                    {CONFLICT_CHOICES(item.kind).map((choice) => (
                      <option key={choice} value={choice}>
                        {ACTION_LABELS[choice]}
                      </option>
                    ))}
                  </Select>
                ) : (
                  ACTION_LABELS.create
                )}
                {item.action === "rename" && (
                  <Input
                    key={`${item.bundleId}:${item.targetName}`}
                    className="mt-1"
                    aria-label={`New name for ${KIND_LABELS[item.kind].toLowerCase()} ${item.name}`}
                    defaultValue={item.targetName}
                    onBlur={(e) => {
                      const name = e.target.value.trim();
                      if (name && name !== item.targetName) onName(item.bundleId, name);
                    }}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {Object.entries(preview.flowConnections)
        .filter(([, refs]) => refs.length > 0)
        .map(([flowId, refs]) => {
          const flow = preview.items.find((i) => i.kind === "flow" && i.bundleId === flowId);
          return (
            <fieldset key={flowId} className="rounded-md border border-zinc-200 p-3">
              <legend className="px-1 text-sm font-medium">Connections of flow “{flow?.name}”</legend>
              {refs.map((ref) => (
                <Field key={ref.key} label={ref.key.startsWith("slot:") ? `Slot ${ref.key.slice(5)}` : `Step ${ref.key.slice(5)}`}>
                  <Select value={choices.connectionMap[flowId]?.[ref.key] ?? ""} onChange={(e) => onMapping(flowId, ref.key, e.target.value)}>
                    <option value="">{ref.target ? `${ref.target.name} (from the bundle's “${ref.bundleConnection}”)` : "none"}</option>
                    {preview.teamConnections.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name} (already in this team)
                      </option>
                    ))}
                  </Select>
                </Field>
              ))}
            </fieldset>
          );
        })}
      {preview.webhooksToRecreate.length > 0 && (
        <p className="text-sm text-zinc-600">
          These flows had a webhook; create a new webhook URL for them after import: {preview.webhooksToRecreate.join(", ")}.
        </p>
      )}
    </div>
  );
}

function ImportDone({ result }: { result: ImportResult }) {
  return (
    <div role="status" data-testid="import-result" className="rounded-md bg-green-50 px-4 py-3 text-sm text-green-900">
      <p>
        Imported: {result.created} created, {result.replaced} replaced, {result.skipped} skipped.
      </p>
      {result.needCredentials.length > 0 && (
        <p className="mt-2">
          Enter the credentials of:{" "}
          {result.needCredentials.map((c, i) => (
            <span key={c.id}>
              {i > 0 && ", "}
              <Link className="underline" href={`/connections/${c.id}`}>
                {c.name}
              </Link>
            </span>
          ))}
        </p>
      )}
      {result.needValues.length > 0 && (
        <p className="mt-2">
          Enter the values of the secret variables {result.needValues.join(", ")} on the{" "}
          <Link className="underline" href="/team/variables">
            Variables
          </Link>{" "}
          page.
        </p>
      )}
    </div>
  );
}
