/**
 * cel-go syntax that cel-js does not parse, rewritten to an expression with the same meaning:
 *
 * - cel-js accepts `has()` only on a selector chain from an identifier
 *   (`has(self.a.b)`); cel-go also accepts an indexed or computed operand
 *   (`has(self[0].matches)`, common in Gateway API CRDs). Such calls are
 *   rewritten to `__k8s_gold_has(<operand>, '<field>')`, a function with the
 *   same meaning (is the field present in the map or object?).
 * - cel-go's grammar allows a leading dot on an identifier or a global call
 *   (`.self.group`, `.size(x)`: the name resolved from the root scope, which in
 *   Kubernetes, with no container, is the name itself); Kong's CRDs write
 *   `rule: .self.group != 'core' || …`. The dot is replaced by a space (offsets
 *   in error messages stay those of the expression as written).
 */

/** The index after the string literal starting at `i` (single, double or triple quotes; escapes skipped). */
function skipString(src: string, i: number): number {
  const q = src[i]!;
  const triple = src.startsWith(q.repeat(3), i);
  const end = triple ? q.repeat(3) : q;
  let j = i + end.length;
  while (j < src.length) {
    if (src[j] === '\\') {
      j += 2;
      continue;
    }
    if (src.startsWith(end, j)) return j + end.length;
    j++;
  }
  return src.length;
}

/** The index of the parenthesis closing the one at `open`, or -1. */
function closing(src: string, open: number): number {
  let depth = 0;
  for (let j = open; j < src.length; ) {
    const c = src[j]!;
    if (c === '"' || c === "'") {
      j = skipString(src, j);
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j;
    j++;
  }
  return -1;
}

export const HAS_FUNCTION = '__k8s_gold_has';

/** The expression with `has(<indexed operand>.f)` rewritten, or undefined when there is none. */
export function rewriteHas(src: string): string | undefined {
  let out = '';
  let changed = false;
  for (let i = 0; i < src.length; ) {
    const c = src[i]!;
    if (c === '"' || c === "'") {
      const j = skipString(src, i);
      out += src.slice(i, j);
      i = j;
      continue;
    }
    if (src.startsWith('has(', i) && (i === 0 || !/[\w.]/.test(src[i - 1]!))) {
      const close = closing(src, i + 3);
      if (close < 0) return undefined;
      const inner = src.slice(i + 4, close);
      const m = /^([\s\S]*?)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(inner);
      if (m && /[[(]/.test(m[1]!)) {
        out += `${HAS_FUNCTION}(${rewriteHas(m[1]!) ?? m[1]!}, '${m[2]!}')`;
        changed = true;
        i = close + 1;
        continue;
      }
    }
    out += c;
    i++;
  }
  return changed ? out : undefined;
}

/**
 * The expression with each leading dot of an identifier (`.self`, after an operator, a parenthesis, a comma or
 * at the start) replaced by a space, or undefined when there is none. A dot after an operand (`a.b`, `x[0].c`,
 * `'s'.size()`) selects a field and stays; `.5` is a number and stays.
 */
export function rewriteLeadingDot(src: string): string | undefined {
  let out = '';
  let changed = false;
  // the last character that is not white space, outside string literals ('' at the start)
  let prev = '';
  for (let i = 0; i < src.length; ) {
    const c = src[i]!;
    if (c === '"' || c === "'") {
      const j = skipString(src, i);
      out += src.slice(i, j);
      prev = c;
      i = j;
      continue;
    }
    // after an operand the dot selects; after the operator `in` (a word too) it leads
    const leads = (): boolean => !/[\w)\]}"'`]/.test(prev) || /(?:^|[^\w.])in\s*$/.test(out);
    if (c === '.' && /^\.\s*[A-Za-z_]/.test(src.slice(i, i + 64)) && leads()) {
      out += ' ';
      changed = true;
      prev = '.';
      i++;
      continue;
    }
    out += c;
    if (!/\s/.test(c)) prev = c;
    i++;
  }
  return changed ? out : undefined;
}

/** The expression rewritten for the cel-go syntax that cel-js's compile `error` shows it lacks, or undefined. */
export function rewriteForCelJs(src: string, error: string): string | undefined {
  if (/Unexpected token: DOT/.test(error)) return rewriteLeadingDot(src);
  if (/has\(\) invalid argument/.test(error)) return rewriteHas(src);
  return undefined;
}
