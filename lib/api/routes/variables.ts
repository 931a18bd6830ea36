import { z } from "zod";
import { deleteVariable, getVariable, listVariables, setVariable, type VariableSummary } from "@/lib/variables";
import { variableInputSchema } from "@/lib/variables/schemas";
import { defineApiRoute } from "../define-route";

// A variable as the API shows it: a secret one's value is never given out (it is write-only).
const variableSchema = z.object({
  id: z.uuid(),
  name: z.string().describe("Used as {{vars.NAME}} in the fields of requests and flow steps."),
  secret: z.boolean().describe("A secret value is stored encrypted, never returned, and masked in every output."),
  value: z.string().nullable().describe("null for a secret variable."),
  valueSet: z.boolean().describe("false for a secret variable imported without its value: requests naming it fail until it is set."),
  updatedAt: z.iso.datetime(),
});

const idParams = z.object({ id: z.uuid("Not a variable id.") });

const body = variableInputSchema.extend({
  value: variableInputSchema.shape.value.describe("For a secret variable being replaced, an empty value keeps the stored one."),
});

const toApi = (v: VariableSummary): z.input<typeof variableSchema> => ({ ...v, updatedAt: v.updatedAt.toISOString() });

const read = { tag: "Variables", scope: "variables:read", role: "member" } as const;
const write = { tag: "Variables", scope: "variables:write", role: "admin" } as const;

export const listVariablesRoute = defineApiRoute({
  ...read,
  method: "GET",
  path: "/api/v1/variables",
  operationId: "listVariables",
  summary: "List the team's variables, by name",
  response: z.object({ variables: z.array(variableSchema) }),
  handler: async ({ db, ctx }) => ({ variables: (await listVariables(db, ctx)).map(toApi) }),
});

export const getVariableRoute = defineApiRoute({
  ...read,
  method: "GET",
  path: "/api/v1/variables/{id}",
  operationId: "getVariable",
  summary: "Read one variable",
  params: idParams,
  response: z.object({ variable: variableSchema }),
  handler: async ({ db, ctx, params }) => ({ variable: toApi(await getVariable(db, ctx, params.id)) }),
});

export const createVariableRoute = defineApiRoute({
  ...write,
  method: "POST",
  path: "/api/v1/variables",
  operationId: "createVariable",
  summary: "Add a variable (409 when the name is taken, in any case, or the team has reached the limit)",
  body,
  status: 201,
  response: z.object({ variable: variableSchema }),
  handler: async ({ db, ctx, body }) => ({ variable: toApi(await setVariable(db, ctx, body)) }),
});

export const updateVariableRoute = defineApiRoute({
  ...write,
  method: "PUT",
  path: "/api/v1/variables/{id}",
  operationId: "updateVariable",
  summary: "Replace a variable's name, value and secret flag",
  params: idParams,
  body,
  response: z.object({ variable: variableSchema }),
  handler: async ({ db, ctx, params, body }) => ({ variable: toApi(await setVariable(db, ctx, { ...body, id: params.id })) }),
});

export const deleteVariableRoute = defineApiRoute({
  ...write,
  method: "DELETE",
  path: "/api/v1/variables/{id}",
  operationId: "deleteVariable",
  summary: "Delete a variable (requests and flows that name it are refused until it exists again)",
  params: idParams,
  response: z.null(),
  status: 204,
  handler: async ({ db, ctx, params }) => {
    await deleteVariable(db, ctx, params.id);
    return null;
  },
});
