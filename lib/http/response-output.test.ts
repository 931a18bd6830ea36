import { describe, expect, it } from "vitest";
import { responseOutput } from "./response-output";

const response = { status: 201, statusText: "Created", headers: { "content-type": "application/json" }, body: { id: 7 } };

describe("responseOutput", () => {
  it("passes on the body alone by default", () => {
    expect(responseOutput(false, response)).toEqual({ id: 7 });
  });

  it("passes on status, status text, headers and body with Include full response", () => {
    expect(responseOutput(true, response)).toEqual({
      status: 201,
      statusText: "Created",
      headers: { "content-type": "application/json" },
      body: { id: 7 },
    });
  });

  it("keeps an empty body as null in both shapes", () => {
    expect(responseOutput(false, { ...response, body: null })).toBeNull();
    expect(responseOutput(true, { ...response, body: null })).toMatchObject({ status: 201, body: null });
  });
});
