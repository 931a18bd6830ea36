"use client";
import { useEffect, useMemo, useRef, useState } from "react";
import { flushSync } from "react-dom";
import type { ConnectionCombobox } from "./connection-combobox";

/**
 * A connection picker that searches the team's connections on the server (`/connections/options`) as you
 * type, instead of rendering every connection as an option. The combobox itself (downshift, about 9.5 KiB
 * gzipped) is not in the page's first load (issue 13's JS budget): this module renders a plain text box
 * with the combobox role showing the chosen connection, starts loading the combobox when it is pointed at,
 * focused, clicked or typed in, and hands over what it received meanwhile (focus, the selection, the words
 * typed, an arrow key or click that opens the list) to the combobox that replaces it.
 * `known` names the connections the page already has (the current value, ones created in place); a value it
 * cannot name is looked up by id. `extraItems` (a flow's slots) are listed after the matches.
 */

export type PickerConnection = { id: string; name: string; type: string };
export type PickerItem = { value: string; label: string };

export const connectionLabel = (c: PickerConnection) => `${c.name} (${c.type})`;
export const PICKER_INPUT_CLASS =
  "block h-10 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-xs placeholder:text-zinc-400 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200 aria-[invalid=true]:border-red-500";

export type ConnectionPickerProps = {
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
};

/** What the plain box received before the combobox replaced it. */
export type PickerStart = { focused: boolean; selection: [number, number] | null; typed: string | null; open: boolean };

let loading: Promise<typeof ConnectionCombobox> | undefined;
function loadCombobox() {
  loading ??= import("./connection-combobox").then(
    (m) => m.ConnectionCombobox,
    (error: unknown) => {
      loading = undefined; // tried again on the next focus
      throw error;
    },
  );
  return loading;
}

const defaultToValue = (connectionId: string) => connectionId;
const defaultToConnectionId = (v: string) => v || null;

export function ConnectionPicker(props: ConnectionPickerProps) {
  const {
    id,
    value,
    known = [],
    extraItems = [],
    noneLabel = "No connection",
    toValue = defaultToValue,
    toConnectionId = defaultToConnectionId,
  } = props;
  const [named, setNamed] = useState<PickerConnection[]>([]);
  const labels = useMemo(() => {
    const map = new Map<string, string>([["", noneLabel]]);
    for (const c of [...known, ...named]) map.set(toValue(c.id), connectionLabel(c));
    for (const item of extraItems) map.set(item.value, item.label);
    return map;
  }, [noneLabel, known, named, extraItems, toValue]);

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

  const [Loaded, setLoaded] = useState<{ Combobox: typeof ConnectionCombobox; start: PickerStart } | null>(null);
  const [typed, setTyped] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const open = useRef(false);
  const typedNow = useRef<string | null>(null);

  if (Loaded) {
    const { Combobox, start } = Loaded;
    return <Combobox {...props} noneLabel={noneLabel} toValue={toValue} extraItems={extraItems} labels={labels} start={start} />;
  }

  const load = () =>
    void loadCombobox().then(
      (Combobox) => {
        const box = input.current;
        const focused = box !== null && document.activeElement === box;
        const selection: [number, number] | null =
          focused && box.selectionStart !== null ? [box.selectionStart, box.selectionEnd ?? box.selectionStart] : null;
        // At once, so that no key lands in this box between reading its state and the combobox replacing it.
        flushSync(() => setLoaded({ Combobox, start: { focused, selection, typed: typedNow.current, open: open.current } }));
      },
      () => {},
    );
  // No connection shows an empty box (its placeholder says what to do), not the words "No connection".
  const shown = typed ?? (value !== "" ? (labels.get(value) ?? "") : "");
  return (
    <div className="relative">
      <input
        ref={input}
        id={id}
        type="text"
        role="combobox"
        aria-expanded={false}
        aria-autocomplete="list"
        aria-invalid={props["aria-invalid"]}
        aria-describedby={props["aria-describedby"]}
        autoComplete="off"
        placeholder={`${noneLabel} (type to search)`}
        spellCheck={false}
        className={PICKER_INPUT_CLASS}
        value={shown}
        onPointerEnter={load}
        onFocus={load}
        onClick={() => {
          open.current = true;
          load();
        }}
        onKeyDown={(event) => {
          if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
          event.preventDefault();
          open.current = true;
          load();
        }}
        onChange={(event) => {
          typedNow.current = event.target.value;
          setTyped(event.target.value);
          load();
        }}
      />
    </div>
  );
}
