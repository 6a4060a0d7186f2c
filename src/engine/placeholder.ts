/**
 * Template syntax kept beside the manifests (a Go template or mustache `{{ … }}` placeholder, a Jinja or Liquid
 * `{% … %}` tag, a `${VAR}` block, a `{NAME}` or `@NAME@` a script replaces) at a YAML syntax error: the file is a template,
 * not a broken manifest, and the load stage reports it so.
 */

/**
 * a line that is only a substitution variable: a block that envsubst inserts (Loki operator's `${STORAGE_STRUCTURED_METADATA}`,
 * or `$CONJUR_SSL_CERT` without braces, as secrets-store-csi-driver's test manifests have, upper-case)
 */
export const SUBST_LINE = /^[ \t]*(?:\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Z_][A-Z0-9_]*)[ \t]*$/m;

/**
 * The `{{ … }}` template placeholder (mustache, Go template) that holds `offset`, on the offset's line, if any:
 * a syntax error there comes from a template kept beside the manifests, not from a broken manifest.
 */
export function placeholderAt(text: string, offset: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const open = text.lastIndexOf('{{', Math.min(offset + 1, lineEnd - 2));
  if (open < lineStart) return undefined;
  const close = text.indexOf('}}', open + 2);
  if (close < 0 || close + 2 > lineEnd || offset > close + 1) return undefined;
  const placeholder = text.slice(open, close + 2);
  return placeholder.length <= 80 ? placeholder : `${placeholder.slice(0, 77)}...`;
}

/**
 * A `{{ … }}` template action or a `{% … %}` tag on the error's line or on the last non-blank line before it (or a
 * `{NAME}` placeholder on the error's line): Go templates break YAML
 * where an action stands for a key or wraps lines (`{{ range $k, $v := .Secrets }}` then `{{ $k }}: |`), and the
 * error is then reported at the line's start, outside the action; a Jinja or Liquid tag (`{% raw %}` around a
 * documentation snippet, which mkdocs removes) cannot start a YAML token.
 */
export function placeholderNear(text: string, offset: number): string | undefined {
  const lineAt = (start: number): string => {
    const end = text.indexOf('\n', start);
    return text.slice(start, end < 0 ? text.length : end);
  };
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const candidates = [lineAt(start)];
  // the last line before the error's line that is neither blank nor a comment (gpu-operator's templates open with
  // `{{ if .Runtime.OpenshiftVersion }}` above a comment block)
  for (let s = start; s > 0; ) {
    s = text.lastIndexOf('\n', s - 2) + 1;
    const line = lineAt(s);
    const t = line.trim();
    if (t !== '' && !t.startsWith('#')) {
      candidates.push(line);
      break;
    }
  }
  for (const line of candidates) {
    const m = /\{\{[^{}\n]*\}\}|\{%[^%\n]*%\}/.exec(line) ?? SUBST_LINE.exec(line);
    if (m) return m[0].length <= 80 ? m[0].trim() : `${m[0].slice(0, 77)}...`;
  }
  // a single-brace upper-case name on the error's line, which a script replaces (`clusterIP: {SERVICE_IP_PREFIX}.16`,
  // `sed -e "s|{SERVICE_IP_PREFIX}|…|"`): as YAML it opens a flow mapping, and the text after it is the error
  // or an autoconf-style `@NAME@` (longhorn's scale test: `name: @STS_NAME@`, which its script substitutes): "@" cannot
  // start a YAML token
  return /(?<![{$])\{[A-Z][A-Z0-9_]*\}(?!\})|(?<![\w@])@[A-Z][A-Z0-9_]*@(?![\w@])/.exec(candidates[0]!)?.[0];
}

/**
 * Whether the error's line is only an indented `...` or `…`: content left out of a documentation excerpt
 * (kubernetes/website's audit event example: `# other fields` then `...`), not a YAML document end marker, which
 * starts its line.
 */
export function elisionAt(text: string, offset: number): boolean {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return /^[ \t]+(?:\.\.\.|…)[ \t]*,?[ \t]*$/.test(text.slice(start, end < 0 ? text.length : end).replace(/\r$/, ''));
}
