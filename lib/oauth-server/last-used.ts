import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { oauthClients } from "@/db/schema";
import { LAST_USED_RESOLUTION_SECONDS } from "./config";

/**
 * An UPDATE that records the use of the clients whose row ids `clientRowIds` yields (a subquery or a
 * value), unless recorded within LAST_USED_RESOLUTION_SECONDS. SKIP LOCKED: a token request never waits
 * for another one's row lock; the one holding it is recording the same minute. NO KEY UPDATE (what an
 * UPDATE of a non-key column takes anyway) lets the token inserts' foreign-key checks pass meanwhile.
 */
export function markClientsUsed(clientRowIds: SQL): SQL {
  return sql`update ${oauthClients} set last_used_at = now() where ${oauthClients.id} in (
    select ${oauthClients.id} from ${oauthClients}
    where ${oauthClients.id} in (${clientRowIds})
      and (${oauthClients.lastUsedAt} is null or ${oauthClients.lastUsedAt} < now() - make_interval(secs => ${LAST_USED_RESOLUTION_SECONDS}))
    for no key update skip locked)`;
}
