import Link from "next/link";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { TableHead } from "@/components/ui/table-head";
import { TableScroll } from "@/components/ui/table-scroll";
import { DeleteVariable } from "@/components/variables/delete-variable";
import { EditVariableForm, NewVariableForm } from "@/components/variables/variable-form";
import { getDb } from "@/db";
import { requirePageContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/team-context";
import { countVariables, listVariables } from "@/lib/variables";
import { VARIABLE_LIMITS } from "@/lib/variables/schemas";

export const metadata = { title: "Variables" };

const PAGE_SIZE = 50;

export default async function VariablesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requirePageContext();
  const admin = hasRole(ctx, "admin");
  const raw = (await searchParams).page;
  const requested = Number(Array.isArray(raw) ? raw[0] : raw);
  const db = await getDb();
  const total = await countVariables(db, ctx);
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(Number.isInteger(requested) && requested > 0 ? requested : 1, pageCount);
  const variables = await listVariables(db, ctx, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  return (
    <>
      <PageHeader
        title="Variables"
        description={
          <>
            Values {ctx.team.name} uses in many places: write <code className="font-mono">{"{{vars.NAME}}"}</code> in any field of the request builder
            or of a flow step. {admin ? "" : "Only admins change them."}
          </>
        }
      />
      <div className="space-y-6">
        {variables.length === 0 ? (
          <EmptyState title="No variables yet">
            {admin ? "Add one below, such as baseUrl, and use it as {{vars.baseUrl}}." : "A team admin can add them, such as baseUrl."}
          </EmptyState>
        ) : (
          <TableScroll label="Variables">
            <table className="w-full text-left text-sm">
              <TableHead columns={["Name", "Value", "Updated", ...(admin ? [{ label: "", align: "right" as const }] : [])]} />
              <tbody>
                {variables.map((v) => (
                  <tr key={v.id} className="border-b border-zinc-100 align-top">
                    <td className="px-4 py-2">
                      <span className="break-all font-mono text-xs">{v.name}</span>
                      <span className="block font-mono text-xs text-zinc-500">{`{{vars.${v.name}}}`}</span>
                    </td>
                    <td className="px-4 py-2">
                      {v.secret ? (
                        v.valueSet ? (
                          <span className="text-zinc-600">Secret (set, hidden)</span>
                        ) : (
                          <span className="font-medium text-amber-800">Secret, no value yet: edit it to enter one</span>
                        )
                      ) : (
                        <span className="break-all font-mono text-xs">{v.value || <span className="text-zinc-500">(empty)</span>}</span>
                      )}
                    </td>
                    <td className="px-4 py-2 text-zinc-600">
                      <LocalTime value={v.updatedAt} />
                    </td>
                    {admin && (
                      <td className="px-4 py-2">
                        <div className="flex flex-col items-end gap-2">
                          <details className="w-full max-w-sm">
                            <summary className="cursor-pointer text-right text-indigo-700">Edit {v.name}</summary>
                            <div className="mt-2 text-left">
                              <EditVariableForm variable={v} />
                            </div>
                          </details>
                          <DeleteVariable id={v.id} name={v.name} />
                        </div>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        {pageCount > 1 && (
          <nav aria-label="Pages" className="flex items-center gap-3 text-sm">
            {page > 1 && (
              <Link href={`/team/variables?page=${page - 1}`} className="text-indigo-700 hover:underline" rel="prev">
                Previous page
              </Link>
            )}
            <span className="text-zinc-600">
              Page {page} of {pageCount} ({total} variables)
            </span>
            {page < pageCount && (
              <Link href={`/team/variables?page=${page + 1}`} className="text-indigo-700 hover:underline" rel="next">
                Next page
              </Link>
            )}
          </nav>
        )}
        {admin && (
          <Card>
            <h2 className="text-lg font-semibold">Add a variable</h2>
            <p className="mb-4 mt-1 text-sm text-zinc-600">
              Up to {VARIABLE_LIMITS.perTeam} per team. A secret value cannot be read back, only replaced.
            </p>
            <NewVariableForm />
          </Card>
        )}
      </div>
    </>
  );
}
