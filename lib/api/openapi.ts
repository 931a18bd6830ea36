import { z } from "zod";
import { getEnv } from "@/lib/config/env";
import { SCOPE_CATALOGUE } from "@/lib/oauth-server/scopes";
import { bundleJsonSchema } from "@/lib/bundle/schema";
import type { ApiRoute } from "./define-route";
import { API_ROUTES } from "./registry";

export type JsonSchema = { [key: string]: unknown };

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

/** Path and query schemas become OpenAPI parameters, one per property. */
function parameters(schema: z.ZodType | undefined, where: "path" | "query") {
  if (!schema) return [];
  const object = jsonSchema(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: where, required: where === "path" || (object.required ?? []).includes(name), description, schema: rest };
  });
}

const errorRef = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });

function operation(route: ApiRoute) {
  const success =
    route.status === 204
      ? { description: "Done." }
      : { description: "Success.", content: { "application/json": { schema: jsonSchema(route.response, "output") } } };
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: route.description,
    tags: [route.tag],
    security: [{ oauth2: [route.scope] }],
    "x-required-role": route.role ?? "member",
    parameters: [...parameters(route.params, "path"), ...parameters(route.query, "query")],
    ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(route.body, "input") } } } } : {}),
    responses: {
      [String(route.status ?? 200)]: success,
      "400": errorRef("Invalid input; `fields` names each invalid field."),
      "401": errorRef("Missing, invalid or expired access token (WWW-Authenticate: Bearer)."),
      "403": errorRef("insufficient_scope, or the token's role is too low (forbidden)."),
      ...(route.outbound
        ? {
            "429": errorRef(
              "rate_limited: this server's outbound requests and their queue are full; nothing was sent. Retry after the Retry-After seconds.",
            ),
          }
        : {}),
    },
  };
}

/** The OpenAPI 3.1 document for /api/v1, generated from the route registry's zod schemas. */
export function buildOpenApiDocument(routes: ApiRoute[] = API_ROUTES) {
  const base = getEnv().publicUrl;
  const scopes = Object.fromEntries(SCOPE_CATALOGUE.map((s) => [s.name, s.description]));
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  return {
    openapi: "3.1.0",
    info: {
      title: "Plugboard API",
      version: "1",
      description:
        "Get an access token from /oauth2/token with an application registered under Admin › Applications, and send it as `Authorization: Bearer <token>`. Each operation needs a scope and the role behind the token. An application set to JWT access tokens gets RFC 9068 JWTs signed with the keys at /oauth2/jwks (the metadata's jwks_uri); this API refuses a revoked one at once, an offline verifier only at its expiry.",
    },
    servers: [{ url: base }],
    paths,
    components: {
      securitySchemes: {
        oauth2: {
          type: "oauth2",
          flows: {
            clientCredentials: { tokenUrl: `${base}/oauth2/token`, scopes },
            authorizationCode: {
              authorizationUrl: `${base}/oauth2/authorize`,
              tokenUrl: `${base}/oauth2/token`,
              refreshUrl: `${base}/oauth2/token`,
              scopes,
            },
          },
        },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error", "error_description"],
          properties: {
            error: { type: "string", description: "invalid_request, invalid_token, insufficient_scope, forbidden, not_found, …" },
            error_description: { type: "string" },
            fields: { type: "object", additionalProperties: { type: "string" }, description: "Invalid fields, as params.x, query.x or body.x." },
          },
        },
        // The team bundle's format (also served alone at /api/v1/team-bundle.schema.json).
        TeamBundle: bundleJsonSchema(),
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
