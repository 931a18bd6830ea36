/**
 * What the direct routes' handlers (the REST API, the OAuth token, revocation and introspection endpoints)
 * answer: a status, headers and the whole body as text. The production server writes it to Node's response
 * as it is (lib/server/node-bridge.ts); Next.js route files and tests get a Web Response (`toResponse`).
 * Profiled on the token endpoint, building a Web `Response` (`Response.json`: its Headers and body stream) and
 * reading the stream back to write it took about 70 µs of the 400 µs of CPU a token cost.
 */
export type Answer = {
  readonly status: number;
  /** Header names as given; a list is sent as that many headers (Set-Cookie). */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: string | null;
};

/** `value` as JSON, as Response.json sends it (Content-Type application/json). */
export function jsonAnswer(value: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Answer {
  return { status: init.status ?? 200, headers: { "content-type": "application/json", ...init.headers }, body: JSON.stringify(value) };
}

/** An answer without a body. */
export function emptyAnswer(status: number, headers: Record<string, string> = {}): Answer {
  return { status, headers, body: null };
}

/** The answer as a Web Response (what a Next.js route handler returns). */
export function toResponse(answer: Answer): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    for (const one of typeof value === "string" ? [value] : value) headers.append(name, one);
  }
  return new Response(answer.body, { status: answer.status, headers });
}

/** A handler that answers, as a Next.js route handler (its route file exports this). */
export function routeHandler<A extends unknown[]>(answer: (...args: A) => Promise<Answer>): (...args: A) => Promise<Response> {
  return async (...args) => toResponse(await answer(...args));
}
