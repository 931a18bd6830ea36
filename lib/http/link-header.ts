/** The URL of the link with the given rel in an RFC 8288 Link header (e.g. <https://…?page=2>; rel="next"). */
export function findLink(header: string | string[] | undefined, rel: string): string | undefined {
  const values = Array.isArray(header) ? header : header ? [header] : [];
  for (const value of values) {
    // Links are comma-separated; a comma inside <…> belongs to the URL, so split only before a "<".
    for (const link of value.split(/,(?=\s*<)/)) {
      const m = /^\s*<([^>]*)>(.*)$/s.exec(link);
      if (!m) continue;
      const rels = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(m[2]);
      const names = (rels?.[1] ?? rels?.[2] ?? "").toLowerCase().split(/\s+/);
      if (names.includes(rel.toLowerCase())) return m[1].trim();
    }
  }
  return undefined;
}
