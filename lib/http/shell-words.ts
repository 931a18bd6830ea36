/**
 * Splits a POSIX shell command line into words, the way bash would for a pasted cURL command: '…' is
 * literal, "…" honours \$ \` \" \\ and line continuations, $'…' decodes C escapes (browsers' "Copy as
 * cURL" emits it), a backslash outside quotes escapes the next character and backslash-newline joins
 * lines. Variables, globs and command substitution are not expanded: a pasted command is data, not a script.
 */
export class ShellWordsError extends Error {}

const C_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "?": "?",
};

export function splitShellWords(input: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false; // '' is a word too, so emptiness alone does not tell
  let i = 0;
  const end = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  while (i < input.length) {
    const c = input[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      end();
      i++;
    } else if (c === "#" && !inWord) {
      while (i < input.length && input[i] !== "\n") i++;
    } else if (c === "\\") {
      const next = input[i + 1];
      if (next === "\n") i += 2;
      else if (next === "\r" && input[i + 2] === "\n") i += 3;
      else if (next === undefined) i++;
      else {
        word += next;
        inWord = true;
        i += 2;
      }
    } else if (c === "'") {
      const close = input.indexOf("'", i + 1);
      if (close < 0) throw new ShellWordsError("the command has an unterminated ' quote");
      word += input.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (c === "$" && input[i + 1] === "'") {
      const [text, next] = readAnsiC(input, i + 2);
      word += text;
      inWord = true;
      i = next;
    } else if (c === '"') {
      const [text, next] = readDoubleQuoted(input, i + 1);
      word += text;
      inWord = true;
      i = next;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  end();
  return words;
}

function readDoubleQuoted(input: string, start: number): [string, number] {
  let out = "";
  for (let i = start; i < input.length; i++) {
    const c = input[i];
    if (c === '"') return [out, i + 1];
    if (c === "\\") {
      const next = input[i + 1];
      if (next === "\n") {
        i++;
        continue;
      }
      if (next === "$" || next === "`" || next === '"' || next === "\\") {
        out += next;
        i++;
        continue;
      }
    }
    out += c;
  }
  throw new ShellWordsError('the command has an unterminated " quote');
}

function readAnsiC(input: string, start: number): [string, number] {
  let out = "";
  // \xHH and octal escapes are bytes: consecutive ones are decoded together as UTF-8.
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length) out += new TextDecoder().decode(new Uint8Array(bytes));
    bytes = [];
  };
  let i = start;
  while (i < input.length) {
    const c = input[i];
    if (c === "'") {
      flush();
      return [out, i + 1];
    }
    const rest = input.slice(i + 1, i + 12);
    let m: RegExpExecArray | null;
    if (c !== "\\") {
      flush();
      out += c;
      i++;
    } else if ((m = /^x([0-9a-fA-F]{1,2})/.exec(rest)) || (m = /^([0-7]{1,3})/.exec(rest))) {
      bytes.push(parseInt(m[1], m[0].startsWith("x") ? 16 : 8) & 255);
      i += 1 + m[0].length;
    } else {
      flush();
      const e = input[i + 1];
      if (e === undefined) break;
      if (e in C_ESCAPES) {
        out += C_ESCAPES[e];
        i += 2;
      } else if ((m = /^u([0-9a-fA-F]{1,4})|^U([0-9a-fA-F]{1,8})/.exec(rest))) {
        out += String.fromCodePoint(parseInt(m[1] ?? m[2], 16));
        i += 1 + m[0].length;
      } else {
        out += `\\${e}`;
        i += 2;
      }
    }
  }
  throw new ShellWordsError("the command has an unterminated $' quote");
}
