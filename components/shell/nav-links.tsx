"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

export function NavLinks({ items }: { items: { href: string; label: string; count?: number }[] }) {
  // Null only under the Pages Router (pages/sign-in.tsx), which never renders this.
  const pathname = usePathname() ?? "";
  // The most specific matching entry is the current one (/team/audit over /team).
  const current = items.filter((i) => pathname === i.href || pathname.startsWith(`${i.href}/`)).sort((a, b) => b.href.length - a.href.length)[0];
  return (
    <nav aria-label="Main" className="flex flex-col gap-1 md:flex-row md:flex-wrap md:items-center">
      {items.map((item) => (
        <Link
          key={item.href}
          href={item.href}
          aria-current={current?.href === item.href ? "page" : undefined}
          className={cn(
            "rounded-md px-3 py-1.5 text-sm text-zinc-700 hover:bg-zinc-100",
            current?.href === item.href && "bg-zinc-100 font-medium text-zinc-900",
          )}
        >
          {item.label}
          {item.count ? (
            <span data-testid="nav-count" className="ml-1.5 rounded-full bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">
              {item.count}
            </span>
          ) : null}
        </Link>
      ))}
    </nav>
  );
}
