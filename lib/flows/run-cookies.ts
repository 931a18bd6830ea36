import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db";
import { flowRuns } from "@/db/schema";
import type { RunCookieJar } from "@/lib/http";
import { createMasker, type Masker } from "@/lib/http/mask";
import type { CookieSummary } from "@/lib/http/types";

/** A stored cookie value longer than this is cut (the jar itself keeps the whole value for the run). */
const SHOWN_VALUE_LIMIT = 1024;

/**
 * A flow run's cookie jar and what the run page lists of it. Cookie values are response data, shown like
 * response data, but masked with the secrets of every connection the run has used so far: a cookie that
 * carries a connection's token shows as ••••••. The list is stored on the run after a step that changed the
 * jar (or brought a new connection's secrets), so a run page shows it while the run goes on.
 */
export class RunCookies {
  private readonly maskers: Masker[] = [];
  private readonly masker = createMasker(() => this.maskers.flatMap((m) => m.secrets()));
  private saved = { version: 0, maskers: 0 };

  constructor(readonly jar: RunCookieJar) {}

  /** Adds a connection's secrets to what the stored list hides. */
  masks(masker: Masker): void {
    if (!this.maskers.includes(masker)) this.maskers.push(masker);
  }

  /** The jar as the run page shows it: values masked and capped. */
  async snapshot(): Promise<CookieSummary[]> {
    const list = await this.jar.list();
    return list.map((c) => {
      const value = this.masker.text(c.value);
      return { ...c, value: value.length > SHOWN_VALUE_LIMIT ? `${value.slice(0, SHOWN_VALUE_LIMIT)}…` : value };
    });
  }

  /** Stores the list on the run when it changed since the last save; only the job that owns the run writes. */
  async save(db: Database, runId: string, jobId: string): Promise<void> {
    if (this.jar.version === 0) return; // never held a cookie: nothing to list
    const now = { version: this.jar.version, maskers: this.maskers.length };
    if (now.version === this.saved.version && now.maskers === this.saved.maskers) return;
    this.saved = now;
    await db
      .update(flowRuns)
      .set({ cookies: await this.snapshot() })
      .where(and(eq(flowRuns.id, runId), eq(flowRuns.jobId, jobId)));
  }
}
