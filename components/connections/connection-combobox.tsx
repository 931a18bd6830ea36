"use client";
import { useCombobox } from "downshift";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import {
  type ConnectionPickerProps,
  connectionLabel,
  PICKER_INPUT_CLASS,
  type PickerConnection,
  type PickerItem,
  type PickerStart,
} from "./connection-picker";

/**
 * The connection picker once loaded (see connection-picker.tsx, which loads it): an ARIA combobox
 * (downshift's useCombobox: arrows, Enter, Escape, Home/End) whose first option is "No connection", then the
 * server's matches for the words typed, then `extraItems` filtered by the same words.
 */
export function ConnectionCombobox({
  id,
  value,
  onChange,
  extraItems,
  noneLabel,
  toValue,
  labels: knownLabels,
  start,
  "aria-invalid": invalid,
  "aria-describedby": describedBy,
}: ConnectionPickerProps & {
  extraItems: PickerItem[];
  noneLabel: string;
  toValue: (connectionId: string) => string;
  /** The labels the plain box knew (No connection, `known`, the value looked up by id, `extraItems`). */
  labels: Map<string, string>;
  start: PickerStart;
}) {
  const [query, setQuery] = useState(start.typed ?? "");
  const [found, setFound] = useState<{ options: PickerConnection[]; more: boolean } | null>(null);
  const [looking, setLooking] = useState(false);
  const none = useMemo<PickerItem>(() => ({ value: "", label: noneLabel }), [noneLabel]);

  const labels = useMemo(() => {
    const map = new Map(knownLabels);
    for (const c of found?.options ?? []) map.set(toValue(c.id), connectionLabel(c));
    return map;
  }, [knownLabels, found, toValue]);
  // No connection shows an empty box (its placeholder says what to do), not the words "No connection".
  const selectedItem = value !== "" && labels.has(value) ? { value, label: labels.get(value) as string } : null;

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
    // What was typed in the plain box, and a click or arrow key given to it, carry over.
    initialInputValue: start.typed ?? undefined,
    initialIsOpen: start.open || start.typed !== null,
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

  // Focus and the caret where the plain box had them, in the same commit that replaced it.
  const input = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => {
    if (!start.focused || !input.current) return;
    input.current.focus();
    if (start.selection) input.current.setSelectionRange(...start.selection);
  }, [start]);

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
          ref: input,
          "aria-labelledby": undefined,
          "aria-invalid": invalid,
          "aria-describedby": describedBy,
          placeholder: `${noneLabel} (type to search)`,
          spellCheck: false,
          className: PICKER_INPUT_CLASS,
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
