"use client";
import dynamic from "next/dynamic";

/**
 * The connection dialog, loaded when it first opens: it carries every connection type's form and zod
 * schema, which the pages that merely offer "New connection" or "Edit" must not load at first paint
 * (issue 13's JS budget). Render it only while open.
 */
export const ConnectionDialog = dynamic(() => import("./connection-dialog").then((m) => m.ConnectionDialog), { ssr: false });
