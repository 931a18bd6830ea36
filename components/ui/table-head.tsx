import { cn } from "./cn";

export type TableColumn = string | { label: string; align: "right" };

/** The header row every list table shares: small uppercase labels over a rule. */
export function TableHead({ columns, cell = "px-4 py-2" }: { columns: TableColumn[]; cell?: string }) {
  return (
    <thead className="border-b border-zinc-200 text-xs uppercase text-zinc-500">
      <tr>
        {columns.map((column, index) => {
          const label = typeof column === "string" ? column : column.label;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: a fixed column list, and action columns may share an empty label.
            <th key={`${index}-${label}`} className={cn(cell, typeof column !== "string" && "text-right")}>
              {label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
