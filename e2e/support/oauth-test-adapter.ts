/**
 * In-memory storage for the OAuth test server's oidc-provider. Unlike the library's built-in one it is
 * per server (tests can start several) and lets the test server list and delete stored tokens, which
 * is how it revokes refresh tokens and expires access tokens on demand.
 */

type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string; consumed?: number };

interface Entry {
  payload: Payload;
  expiresAt: number; // epoch ms, Infinity when the model has no TTL
}

export class OAuthTestStore {
  readonly models = new Map<string, Map<string, Entry>>();

  model(name: string): Map<string, Entry> {
    let m = this.models.get(name);
    if (!m) this.models.set(name, (m = new Map()));
    return m;
  }

  /** Deletes the matching entries of one model; returns how many were deleted. */
  deleteWhere(name: string, match: (payload: Payload) => boolean = () => true): number {
    const m = this.model(name);
    let n = 0;
    for (const [id, entry] of m) {
      if (match(entry.payload)) {
        m.delete(id);
        n++;
      }
    }
    return n;
  }

  live(name: string): Payload[] {
    const now = Date.now();
    return [...this.model(name).values()].filter((e) => e.expiresAt > now).map((e) => e.payload);
  }
}

// Models whose entries belong to a grant (revokeByGrantId removes them all).
const GRANTABLE = ["AccessToken", "AuthorizationCode", "RefreshToken", "DeviceCode", "BackchannelAuthenticationRequest"];

/** The `adapter` option for oidc-provider: a class it instantiates once per model name. */
export function memoryAdapterFor(store: OAuthTestStore) {
  return class OAuthTestAdapter {
    constructor(private readonly name: string) {}

    private get entries() {
      return store.model(this.name);
    }

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      const expiresAt = typeof expiresIn === "number" ? Date.now() + expiresIn * 1000 : Infinity;
      this.entries.set(id, { payload, expiresAt });
    }

    async find(id: string): Promise<Payload | undefined> {
      const entry = this.entries.get(id);
      if (!entry) return undefined;
      if (entry.expiresAt <= Date.now()) {
        this.entries.delete(id);
        return undefined;
      }
      return entry.payload;
    }

    async findByUid(uid: string): Promise<Payload | undefined> {
      for (const [id, e] of this.entries) if (e.payload.uid === uid) return this.find(id);
      return undefined;
    }

    async findByUserCode(userCode: string): Promise<Payload | undefined> {
      for (const [id, e] of this.entries) if (e.payload.userCode === userCode) return this.find(id);
      return undefined;
    }

    async consume(id: string): Promise<void> {
      const entry = this.entries.get(id);
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string): Promise<void> {
      this.entries.delete(id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      for (const model of GRANTABLE) store.deleteWhere(model, (p) => p.grantId === grantId);
    }
  };
}
