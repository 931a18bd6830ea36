export const USER_MENU_TRIGGER_CLASS = "flex h-9 items-center gap-2 rounded-md px-2 text-sm hover:bg-zinc-100";

/** The trigger's content, the same before and after the menu is loaded. */
export function UserMenuTriggerContent({ name }: { name: string }) {
  return (
    <>
      <span className="flex size-7 items-center justify-center rounded-full bg-indigo-100 font-semibold text-indigo-800" aria-hidden>
        {name.slice(0, 1).toUpperCase()}
      </span>
      {/* Named by its content, not aria-label: the visible name must be part of the accessible one (WCAG 2.5.3). */}
      <span className="sr-only">User menu: </span>
      <span className="max-sm:sr-only">{name}</span>
    </>
  );
}
