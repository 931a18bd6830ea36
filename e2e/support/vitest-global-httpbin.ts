import { startHttpbin } from "./httpbin";

/** One httpbin for the whole vitest run (unless HTTPBIN_URL names one); tests read process.env.HTTPBIN_URL. */
export default async function setup() {
  if (process.env.HTTPBIN_URL) return;
  const httpbin = await startHttpbin();
  process.env.HTTPBIN_URL = httpbin.url;
  return async () => {
    await httpbin.stop();
  };
}
