"use client";
import { useTransition } from "react";
import { deleteMcpToolAction } from "@/app/(app)/team/mcp/actions";
import { ConfirmButton } from "@/components/ui/confirm-button";

export type ToolRow = { id: string; name: string; description: string; wraps: string };

export function McpToolsTable({ tools }: { tools: ToolRow[] }) {
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-xs text-zinc-500">
        <tr>
          <th className="py-2">Tool</th>
          <th className="py-2">Runs</th>
          <th className="py-2">Description</th>
          <th className="py-2">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {tools.map((tool) => (
          <ToolRowView key={tool.id} tool={tool} />
        ))}
      </tbody>
    </table>
  );
}

function ToolRowView({ tool }: { tool: ToolRow }) {
  const [pending, start] = useTransition();
  return (
    <tr className="border-t border-zinc-100 align-top">
      <td className="py-2 font-mono text-xs font-semibold">{tool.name}</td>
      <td className="py-2">{tool.wraps}</td>
      <td className="py-2 text-zinc-600">{tool.description}</td>
      <td className="py-2 text-right">
        <ConfirmButton
          label="Remove"
          confirmLabel={`Remove ${tool.name}`}
          pending={pending}
          onConfirm={() =>
            start(async () => {
              await deleteMcpToolAction({ toolId: tool.id });
            })
          }
        />
      </td>
    </tr>
  );
}
