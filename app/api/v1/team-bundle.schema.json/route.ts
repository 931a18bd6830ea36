import { bundleJsonSchema } from "@/lib/bundle/schema";

/** The team bundle's JSON Schema, published beside the OpenAPI document (and inside it as TeamBundle). */
export function GET(): Response {
  return Response.json(bundleJsonSchema(), { headers: { "Access-Control-Allow-Origin": "*" } });
}
