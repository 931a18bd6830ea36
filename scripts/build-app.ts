import { buildIfStale } from "./build-fingerprint";

/**
 * Builds the production app when the sources changed since the last build, as `npm start` would.
 * `npm test` runs it before Playwright, so that the app server's start-up timeout does not have to
 * cover a build on a slow or busy machine.
 */
try {
  buildIfStale();
} catch (error) {
  console.error(`[plugboard] ${(error as Error).message}`);
  process.exit(1);
}
