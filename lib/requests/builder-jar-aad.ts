/** A request-builder cookie jar's owner: the signed-in user in the current team, and the builder session (a browser tab). */
export type BuilderJarKey = { teamId: string; userId: string; sessionId: string };

/** The associated data binding a sealed builder cookie jar to its row (lib/requests/builder-cookies.ts, key rotation). */
export const builderJarAad = (key: BuilderJarKey) => `team:${key.teamId}:user:${key.userId}:builder_cookies:${key.sessionId}`;
