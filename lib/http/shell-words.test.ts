import { describe, expect, it } from "vitest";
import { splitShellWords } from "./shell-words";

describe("splitShellWords", () => {
  it.each([
    ["curl  -X   POST\thttps://x", ["curl", "-X", "POST", "https://x"]],
    [`curl 'it''s' "a b"`, ["curl", "its", "a b"]],
    [`'don'\\''t'`, ["don't"]],
    [`"say \\"hi\\" \\$HOME \\\\ \\n"`, ['say "hi" $HOME \\ \\n']],
    [`'$HOME \\n "x"'`, ['$HOME \\n "x"']],
    ["a\\ b c", ["a b", "c"]],
    ["curl https://x \\\n  -H 'A: 1' \\\r\n  -d x", ["curl", "https://x", "-H", "A: 1", "-d", "x"]],
    [`"line one \\\nstill one"`, ["line one still one"]],
    ["''  \"\"", ["", ""]],
    ["a'b'\"c\"d", ["abcd"]],
    ["$'tab\\there\\nnewline \\'q\\' \\x41\\u00e9 \\xc3\\xa9 \\101'", ["tab\there\nnewline 'q' Aé é A"]],
    ["curl x # a comment\n -v", ["curl", "x", "-v"]],
    ["a#b", ["a#b"]],
    ["'multi\nline'", ["multi\nline"]],
    ["", []],
  ])("splits %j", (input, expected) => {
    expect(splitShellWords(input)).toEqual(expected);
  });

  it.each([`'open`, `"open`, `$'open`, `"a\\"`])("refuses the unterminated %j", (input) => {
    expect(() => splitShellWords(input)).toThrow(/unterminated/);
  });
});
