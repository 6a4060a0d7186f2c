/**
 * The fields of `self` a CEL expression reads, when it reads `self` only as `self.name` (a field selection,
 * `has(self.name)` included): then the value a rule sees needs only those fields typed (./typed.ts,
 * toCelTypedFields), not the whole object, which for a rule on `spec` is most of a custom resource.
 *
 * The reading is deliberately simple and errs towards "the whole value" (undefined): any `self` not followed
 * by `.identifier` (bare `self`, `self[...]`, `self.?x`, a method or macro call such as `self.all(...)`), a field
 * name with `__` (an escaped name), a backslash, triple quotes or a `//` comment anywhere, or a string literal
 * it cannot delimit. String literals are skipped, so `'self'` in a message does not count.
 */

const cache = new Map<string, readonly string[] | null>();

/** The field names `expression` reads of `self`, or undefined when it may read more (or anything else) of it. */
export function selfFields(expression: string): readonly string[] | undefined {
  let r = cache.get(expression);
  if (r === undefined) {
    r = scan(expression) ?? null;
    if (cache.size < 10_000) cache.set(expression, r);
  }
  return r ?? undefined;
}

const IDENT_CHAR = /[A-Za-z0-9_]/;
const SELECTION = /self\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*/y;

function scan(text: string): string[] | undefined {
  if (text.includes('\\') || text.includes('"""') || text.includes("'''")) return undefined;
  const fields = new Set<string>();
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return undefined;
      i = end + 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') return undefined;
    if (c === 's' && text.startsWith('self', i) && !IDENT_CHAR.test(text[i - 1] ?? '') && !IDENT_CHAR.test(text[i + 4] ?? '')) {
      // `x.self` is a field named self, not the variable: not worth telling apart
      if (/\.\s*$/.test(text.slice(0, i))) return undefined;
      SELECTION.lastIndex = i;
      const m = SELECTION.exec(text);
      if (!m || m[1]!.includes('__') || text[SELECTION.lastIndex] === '(') return undefined;
      fields.add(m[1]!);
      i = SELECTION.lastIndex;
      continue;
    }
    i++;
  }
  return [...fields];
}
