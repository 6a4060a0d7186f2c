/**
 * JSON with comments (JSONC: VS Code's launch.json and settings.json, devcontainer.json, tsconfig.json): the value,
 * read with `//` and `/* … *\/` comments and trailing commas left out, or undefined when it is not JSONC either.
 */
export function parseJsonc(text: string): { value: unknown } | undefined {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"') {
      // a string, escapes included, copied as it is
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      out += ' ';
      i = end + 2;
    } else {
      out += c;
      i++;
    }
  }
  try {
    return { value: JSON.parse(out.replace(/,(\s*[}\]])/g, '$1')) };
  } catch {
    return undefined;
  }
}
