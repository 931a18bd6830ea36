"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Refreshes the server-rendered page every second while `active` (a run still queued or running). */
export function RefreshWhile({ active }: { active: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), 1000);
    return () => clearInterval(timer);
  }, [active, router]);
  return null;
}
