/**
 * A Map that holds at most `limit` entries: adding a key when it is full drops the entry added first.
 * For per-process memos and caches keyed by input (secrets, URLs, hosts), which must not grow with it.
 * Setting a key that is there keeps its place; delete it first to make it the newest.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly #limit: number;

  constructor(limit: number) {
    super();
    this.#limit = limit;
  }

  override set(key: K, value: V): this {
    if (this.size >= this.#limit && !this.has(key)) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return super.set(key, value);
  }
}
