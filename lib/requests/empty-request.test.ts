import { describe, expect, it } from "vitest";
import { paginationSchema } from "@/lib/http/pagination-spec";
import { requestSpecSchema } from "@/lib/http/spec";
import { EMPTY_PAGINATION, EMPTY_REQUEST, EMPTY_REQUEST_SPEC } from "./empty-request";
import { runRequestSchema } from "./schemas";

describe("the blank request's plain values", () => {
  it("equal the request spec schema's defaults, with an empty URL", () => {
    const parsed = requestSpecSchema.parse({ url: "https://example.invalid" });
    expect(EMPTY_REQUEST_SPEC).toEqual({ ...parsed, url: "", caCertificatePem: "" });
    // Every field the schema knows is there (none left to a default the form would not show).
    expect(Object.keys(EMPTY_REQUEST_SPEC).sort()).toEqual(Object.keys(requestSpecSchema.shape).sort());
  });

  it("equal the pagination schema's parse of nothing", () => {
    expect(EMPTY_PAGINATION).toEqual(paginationSchema.parse({}));
  });

  it("make a run request the schema accepts once a URL is typed, unchanged but for it", () => {
    const filled = { ...EMPTY_REQUEST, spec: { ...EMPTY_REQUEST.spec, url: "https://example.invalid" } };
    expect(runRequestSchema.parse(filled)).toEqual(filled);
  });
});
