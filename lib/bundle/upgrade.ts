import { ServiceError } from "@/lib/errors/service-error";
import { BUNDLE_FORMAT, BUNDLE_VERSION, bundleSchema, type Bundle } from "./schema";

/**
 * Reads a bundle of any version this code knows and brings it to the current one. Each entry of UPGRADES
 * turns version n into n + 1 (a bundle of version 1 passes through none today); a future v2 adds
 * `1: (v1) => v2`, so every bundle ever written keeps importing (lib/bundle/fixtures holds one per version).
 */
type RawBundle = Record<string, unknown>;
const UPGRADES: Record<number, (bundle: RawBundle) => RawBundle> = {};

export function parseBundle(raw: unknown): Bundle {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw invalid("The file is not a Plugboard bundle (expected a JSON object).");
  let bundle = raw as RawBundle;
  if (bundle.format !== BUNDLE_FORMAT) throw invalid(`The file is not a Plugboard bundle (its "format" is not "${BUNDLE_FORMAT}").`);
  const version = bundle.version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) throw invalid('The bundle has no valid "version".');
  if (version > BUNDLE_VERSION)
    throw invalid(`The bundle is version ${version}, made by a newer Plugboard; this one reads up to version ${BUNDLE_VERSION}.`);
  for (let v = version; v < BUNDLE_VERSION; v++) {
    const upgrade = UPGRADES[v];
    if (!upgrade) throw invalid(`No upgrade from bundle version ${v}.`);
    bundle = { ...upgrade(bundle), version: v + 1 };
  }
  const parsed = bundleSchema.safeParse(bundle);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.join(".");
    throw invalid(`The bundle is not valid at ${where || "its top level"}: ${issue.message}`);
  }
  return parsed.data;
}

/** JSON text (an upload, a file, a request body) to a current bundle. */
export function parseBundleText(text: string): Bundle {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw invalid("The file is not JSON.");
  }
  return parseBundle(raw);
}

function invalid(message: string): ServiceError {
  return new ServiceError(message, "invalid", { bundle: message });
}
