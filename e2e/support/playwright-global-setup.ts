import { mkdirSync } from "node:fs";

export default async function globalSetup() {
  mkdirSync("e2e/.auth", { recursive: true });
}
