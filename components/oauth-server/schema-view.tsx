import type { JsonSchema } from "@/lib/api/openapi";

/** A readable rendering of a JSON Schema (as zod generates it): properties, types and constraints. */
export function SchemaView({ schema, depth = 0 }: { schema: JsonSchema; depth?: number }) {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  const items = schema.items as JsonSchema | undefined;
  if (properties) {
    const required = (schema.required as string[] | undefined) ?? [];
    return (
      <ul className={depth ? "ml-4 border-l border-zinc-200 pl-3" : ""}>
        {Object.entries(properties).map(([name, property]) => {
          const child = depth < 4 ? nested(property) : undefined;
          return (
            <li key={name} className="py-1 text-sm">
              <code className="font-semibold">{name}</code> <span className="text-zinc-500">{typeLabel(property)}</span>
              {required.includes(name) && <span className="ml-1 text-xs text-red-700">required</span>}
              {constraints(property) && <span className="ml-2 text-xs text-zinc-500">{constraints(property)}</span>}
              {typeof property.description === "string" && <p className="text-zinc-600">{property.description}</p>}
              {child && <SchemaView schema={child} depth={depth + 1} />}
            </li>
          );
        })}
      </ul>
    );
  }
  if (items) return <SchemaView schema={items} depth={depth} />;
  return <p className="text-sm text-zinc-600">{typeLabel(schema)}</p>;
}

function variants(schema: JsonSchema): JsonSchema[] {
  return ((schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined) ?? [schema];
}

function nested(schema: JsonSchema): JsonSchema | null {
  for (const variant of variants(schema)) {
    if (variant.properties) return variant;
    const items = variant.items as JsonSchema | undefined;
    if (items?.properties) return items;
  }
  return null;
}

function typeLabel(schema: JsonSchema): string {
  return variants(schema)
    .map((v) => {
      if (Array.isArray(v.enum)) return v.enum.map((e) => JSON.stringify(e)).join(" | ");
      const type = Array.isArray(v.type) ? v.type.join(" | ") : ((v.type as string | undefined) ?? "any");
      if (type === "array") return `array of ${typeLabel((v.items as JsonSchema) ?? {})}`;
      return v.format ? `${type} (${v.format})` : type;
    })
    .join(" | ");
}

function constraints(schema: JsonSchema): string {
  const parts: string[] = [];
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (typeof schema.maximum === "number" && schema.maximum < Number.MAX_SAFE_INTEGER) parts.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined) parts.push(`min length ${schema.minLength}`);
  if (schema.maxLength !== undefined) parts.push(`max length ${schema.maxLength}`);
  return parts.join(", ");
}
