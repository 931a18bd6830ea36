import type { ReactNode } from "react";

/**
 * The frame of the pages outside the app's navigation: setup and invitations (app/(auth)/layout.tsx),
 * sign-in (pages/sign-in.tsx) and, wider, the OAuth consent screen.
 */
export function AuthShell({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className={wide ? "w-full max-w-lg" : "w-full max-w-md"}>
        <p className="mb-6 text-center text-lg font-semibold tracking-tight">
          <span aria-hidden>⚡ </span>Plugboard
        </p>
        {children}
      </div>
    </main>
  );
}
