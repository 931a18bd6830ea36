import { and, or, type SQL } from "drizzle-orm";

// drizzle types and() / or() as `SQL | undefined` for the no-condition case. These take at least one
// condition, so a team or user filter built with them can never silently become "no filter".

export function allOf(...conditions: [SQL, ...SQL[]]): SQL {
  const joined = and(...conditions);
  if (!joined) throw new Error("allOf() joined no condition");
  return joined;
}

export function anyOf(...conditions: [SQL, ...SQL[]]): SQL {
  const joined = or(...conditions);
  if (!joined) throw new Error("anyOf() joined no condition");
  return joined;
}
