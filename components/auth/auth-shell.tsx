import type { ReactNode } from "react";

/** The frame of the signed-out pages: setup and invitations (app/(auth)/layout.tsx) and sign-in (pages/sign-in.tsx). */
export function AuthShell({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md">
        <p className="mb-6 text-center text-lg font-semibold tracking-tight">
          <span aria-hidden>⚡ </span>Plugboard
        </p>
        {children}
      </div>
    </main>
  );
}
