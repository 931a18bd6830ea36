"use client";
import { useCombobox } from "downshift";
import { useEffect, useMemo, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";

/**
 * A connection picker that searches the team's connections on the server (`/connections/options`) as you
 * type, instead of rendering every connection as an option: an ARIA combobox (downshift's useCombobox:
 * arrows, Enter, Escape, Home/End) whose first option is "No connection". `known` names the connections
 * the page already has (the current value, ones created in place); a value it cannot name is looked up by id.
 * `extraItems` (a flow's slots) are listed after the matches, filtered by the same words.
 */

export type PickerConnection = { id: string; name: string; type: string };
export type PickerItem = { value: string; label: string };

const NO_CONNECTION = "No connection";
const connectionLabel = (c: PickerConnection) => `${c.name} (${c.type})`;

export function ConnectionPicker({
  id,
  value,
  onChange,
  known = [],
  extraItems = [],
  noneLabel = NO_CONNECTION,
  toValue = (connectionId) => connectionId,
  toConnectionId = (v) => v || null,
  "aria-invalid": invalid,
  "aria-describedby": describedBy,
}: {
  id?: string;
  value: string;
  onChange: (value: string) => void;
  known?: PickerConnection[];
  extraItems?: PickerItem[];
  /** The first option's words (the empty value). */
  noneLabel?: string;
  /** The form's value for a connection (the request builder: its id; a flow step: `connection:<id>`). */
  toValue?: (connectionId: string) => string;
  /** The connection id in a form value, or null (no connection, a slot). */
  toConnectionId?: (value: string) => string | null;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
}) {
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<{ options: PickerConnection[]; more: boolean } | null>(null);
  const [looking, setLooking] = useState(false);
  const [named, setNamed] = useState<PickerConnection[]>([]);
  const none = useMemo<PickerItem>(() => ({ value: "", label: noneLabel }), [noneLabel]);

  const labels = useMemo(() => {
    const map = new Map<string, string>([[none.value, none.label]]);
    for (const c of [...known, ...named, ...(found?.options ?? [])]) map.set(toValue(c.id), connectionLabel(c));
    for (const item of extraItems) map.set(item.value, item.label);
    return map;
  }, [none, known, named, found, extraItems, toValue]);
  // No connection shows an empty box (its placeholder says what to do), not the words "No connection".
  const selectedItem = value !== "" && labels.has(value) ? { value, label: labels.get(value) as string } : null;

  // A value nobody has named yet (set after a consent, or a saved request's): ask for its name once.
  const unnamed = labels.has(value) ? null : toConnectionId(value);
  useEffect(() => {
    if (!unnamed) return;
    const controller = new AbortController();
    fetch(`/connections/options?id=${encodeURIComponent(unnamed)}`, { signal: controller.signal })
      .then((r) => (r.ok ? r.json() : { options: [] }))
      .then((data: { options: PickerConnection[] }) => setNamed((list) => [...list, ...data.options]))
      .catch(() => {});
    return () => controller.abort();
  }, [unnamed]);

  const words = query.trim().toLowerCase();
  const items = useMemo(
    () => [
      none,
      ...(found?.options ?? []).map((c) => ({ value: toValue(c.id), label: connectionLabel(c) })),
      ...extraItems.filter((item) => !words || item.label.toLowerCase().includes(words)),
    ],
    [none, found, extraItems, words, toValue],
  );

  const combobox = useCombobox<PickerItem>({
    items,
    inputId: id,
    selectedItem,
    itemToString: (item) => item?.label ?? "",
    itemToKey: (item) => item?.value,
    onSelectedItemChange: ({ selectedItem: item }) => onChange(item?.value ?? ""),
    onInputValueChange: ({ inputValue, type }) => {
      if (type === useCombobox.stateChangeTypes.InputChange) setQuery(inputValue);
    },
    // Opened by a click or the arrows: list from the start (the box shows the chosen name, not search words).
    onIsOpenChange: ({ isOpen, type }) => {
      if (isOpen && type !== useCombobox.stateChangeTypes.InputChange) setQuery("");
    },
  });
  const { isOpen } = combobox;

  // The matches for the words typed: asked a moment after typing stops, the previous question cancelled.
  const latest = useRef(0);
  useEffect(() => {
    if (!isOpen) return;
    const controller = new AbortController();
    const ticket = ++latest.current;
    setLooking(true);
    const timer = setTimeout(() => {
      fetch(`/connections/options?q=${encodeURIComponent(query)}`, { signal: controller.signal })
        .then((r) => (r.ok ? r.json() : { options: [], more: false }))
        .then((data: { options: PickerConnection[]; more: boolean }) => {
          if (ticket === latest.current) setFound(data);
        })
        .catch(() => {})
        .finally(() => {
          if (ticket === latest.current) setLooking(false);
        });
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [isOpen, query]);

  return (
    <div className="relative">
      <input
        {...combobox.getInputProps({
          "aria-labelledby": undefined,
          "aria-invalid": invalid,
          "aria-describedby": describedBy,
          placeholder: `${noneLabel} (type to search)`,
          spellCheck: false,
          className:
            "block h-10 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-xs placeholder:text-zinc-400 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200 aria-[invalid=true]:border-red-500",
        })}
      />
      <div className={cn("absolute z-20 mt-1 w-full rounded-md border border-zinc-200 bg-white shadow-lg", !isOpen && "hidden")}>
        <ul {...combobox.getMenuProps({ "aria-labelledby": undefined, "aria-label": "Connections" })} className="max-h-72 overflow-auto py-1 text-sm">
          {isOpen &&
            items.map((item, index) => (
              <li
                key={item.value || "none"}
                {...combobox.getItemProps({ item, index })}
                className={cn(
                  "cursor-pointer px-3 py-1.5",
                  combobox.highlightedIndex === index && "bg-indigo-50 text-indigo-900",
                  item.value === value && "font-medium",
                  item === none && "text-zinc-500",
                )}
              >
                {item.label}
              </li>
            ))}
        </ul>
        <p className="border-t border-zinc-100 px-3 py-1 text-xs text-zinc-600 empty:hidden" aria-live="polite">
          {!isOpen
            ? ""
            : looking
              ? "Searching…"
              : found?.more
                ? "More connections match: type to narrow the list."
                : found && !found.options.length
                  ? "No connection matches."
                  : ""}
        </p>
      </div>
    </div>
  );
}
