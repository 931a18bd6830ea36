import { z } from "zod";
import { line, LIMITS, text } from "@/lib/validation/fields";
import { JsonPathError, parseJsonPath } from "./json-path";
import { parseStopExpression, StopExpressionError } from "./stop-expression";

/** How to fetch more pages of a request; shared by the form and the executor (client-safe). */
export const PAGINATION_MODES = ["off", "nextUrlFromBody", "linkHeader", "pageParam", "offsetParam", "cursorParam"] as const;

const path = (what: string) =>
  line(LIMITS.short)
    .trim()
    .min(1, `Enter the path of ${what}, like data.items`)
    .superRefine((p, ctx) => {
      try {
        parseJsonPath(p);
      } catch (err) {
        if (err instanceof JsonPathError) ctx.addIssue({ code: "custom", message: err.message });
        else throw err;
      }
    });

export const paginationSchema = z
  .object({
    mode: z.enum(PAGINATION_MODES, "Choose how the next page is found").default("off"),
    /** nextUrlFromBody: where the next page's URL is, e.g. "links.next" or "$.next". */
    nextUrlPath: path("the next page's URL").optional(),
    /** pageParam / offsetParam / cursorParam: the query parameter to set. */
    param: line(LIMITS.short).trim().min(1, "Enter the query parameter name").optional(),
    /** First page number (default 1) or offset (default 0). */
    start: z.number().int("Use a whole number").min(0, "Cannot be negative").optional(),
    /** Step per page (default 1); for offsets, default is the number of items on the previous page. */
    increment: z.number().int("Use a whole number").min(1, "Must be at least 1").optional(),
    /** cursorParam: where the next cursor is in the body. */
    cursorPath: path("the next cursor").optional(),
    /** Where each page's items are; an empty list stops paging. */
    itemsPath: path("the items").optional(),
    maxPages: z.number().int("Use a whole number").min(1, "At least 1 page").max(1000, "At most 1000 pages").default(100),
    /** Stop after a page for which this holds, e.g. `$.meta.has_more == false`. */
    stopWhen: text(LIMITS.long)
      .optional()
      .superRefine((s, ctx) => {
        if (!s?.trim()) return;
        try {
          parseStopExpression(s);
        } catch (err) {
          if (err instanceof StopExpressionError) ctx.addIssue({ code: "custom", message: err.message });
          else throw err;
        }
      }),
    /** Return every page's response, or the items of all pages in one list. */
    output: z.enum(["pages", "items"], "Choose pages or items").default("pages"),
  })
  .superRefine((o, ctx) => {
    const need = (ok: unknown, field: string, message: string) => {
      if (!ok) ctx.addIssue({ code: "custom", path: [field], message });
    };
    if (o.mode === "nextUrlFromBody") need(o.nextUrlPath, "nextUrlPath", "Enter where the next page's URL is, like links.next");
    if (o.mode === "pageParam" || o.mode === "offsetParam" || o.mode === "cursorParam") need(o.param, "param", "Enter the query parameter to set");
    if (o.mode === "cursorParam") need(o.cursorPath, "cursorPath", "Enter where the next cursor is, like meta.next_cursor");
    if (o.mode === "offsetParam" && o.increment === undefined)
      need(o.itemsPath, "itemsPath", "Enter the items path or an increment, so the next offset is known");
    if (o.output === "items") need(o.itemsPath, "itemsPath", "Enter where the items are to list them");
  });

export type PaginationOptions = z.output<typeof paginationSchema>;
export type PaginationOptionsInput = z.input<typeof paginationSchema>;
