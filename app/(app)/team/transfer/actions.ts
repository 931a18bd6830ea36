"use server";
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/auth/action";
import { exportTeamBundle } from "@/lib/bundle/export-bundle";
import { importTeamBundle, previewImport } from "@/lib/bundle/import-bundle";
import { exportFormSchema, importFormSchema } from "@/lib/bundle/schema";
import { parseBundleText } from "@/lib/bundle/upgrade";

export const exportTeamAction = teamAction({ schema: exportFormSchema, role: "admin" }, async (ctx, input, db) => {
  const bundle = await exportTeamBundle(db, ctx, input.withSecrets ? { passphrase: input.passphrase } : {});
  const day = bundle.exportedAt.slice(0, 10);
  return { fileName: `plugboard-${day}${input.withSecrets ? "-with-secrets" : ""}.json`, text: JSON.stringify(bundle, null, 2) };
});

export const previewImportAction = teamAction({ schema: importFormSchema, role: "admin" }, async (ctx, input, db) =>
  previewImport(db, ctx, parseBundleText(input.bundleText), input.choices, input.passphrase || undefined),
);

export const importTeamAction = teamAction({ schema: importFormSchema, role: "admin" }, async (ctx, input, db) => {
  const result = await importTeamBundle(db, ctx, parseBundleText(input.bundleText), input.choices, input.passphrase || undefined);
  revalidatePath("/connections");
  revalidatePath("/flows");
  return result;
});
