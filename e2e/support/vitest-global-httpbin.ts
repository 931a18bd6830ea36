import { startHttpbin } from "./httpbin";

/** One httpbin for the whole vitest run; tests read its address from process.env.HTTPBIN_URL. */
export default async function setup() {
  const httpbin = await startHttpbin();
  process.env.HTTPBIN_URL = httpbin.url;
  return async () => {
    await httpbin.stop();
  };
}
