import { defineRule } from '../../src/engine/rule.js';
import { asArray, isObj } from '../../src/model/object.js';
import { containers } from '../../src/model/workload.js';
import { memoizeString } from '../../src/util/memo.js';

interface Options {
  ignoreNames: string[];
}

/** Name endings (as `_`-separated tokens) that name a secret value. */
const SECRET_SUFFIXES: readonly string[][] = [
  ['PASSWORD'],
  ['PASSWD'],
  ['PASS'],
  ['PASSPHRASE'],
  ['SECRET'],
  ['TOKEN'],
  ['APIKEY'],
  ['API', 'KEY'],
  ['SECRET', 'KEY'],
  ['SECRET', 'ACCESS', 'KEY'],
  ['PRIVATE', 'KEY'],
  ['SIGNING', 'KEY'],
  ['ENCRYPTION', 'KEY'],
  ['MASTER', 'KEY'],
  ['SECRET', 'KEY', 'BASE'],
  ['KEY', 'CONTENT'],
  ['CREDENTIALS'],
];

/** `DB_PASSWORD`, `dbPassword`, `db.password`, `db-password` → DB PASSWORD */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
}

/** Whether a variable or key name says it holds a credential (memoised: the same names recur across objects). */
export const isSecretName: (name: string) => boolean = memoizeString((name) => secretNameUncached(name));

function secretNameUncached(name: string): boolean {
  const t = nameTokens(name);
  if (t[0] === 'AZURE' && t.length > 1 && t[t.length - 1] === 'KEY') return true;
  return SECRET_SUFFIXES.some((s) => s.length <= t.length && s.every((x, i) => t[t.length - s.length + i] === x));
}

const PLACEHOLDER =
  /^(<.*>|\[.*\]|\(.*\)|x{3,}|\*{3,}|\.{3,}|-+|_+|todo|tbd|fixme|changeme|change[-_ ]?(me|it|this)|replace[-_ ]?(me|it|this)|placeholder|redacted|secret|password|token|none|null|nil|undefined|unset|n\/a|not[-_ ]?(applied|set|configured|provided|specified|given)|dummy|example|sample|(your|my)[-_ ]?(db[-_ ]?|root[-_ ]?|admin[-_ ]?|super[-_ ]?)?(password|passwd|pass|secret|token|key|apikey|api[-_]key)[a-z0-9_-]*|(fake|dummy|example|sample)[-_ ]?(password|passwd|pass|secret|token|key|apikey|api[-_]key)[a-z0-9_-]*|(insert|enter|paste|put|fill[-_ ]?in)[-_ ][a-z0-9_-]+|[a-z0-9_-]+[-_ ]here)$/i;
const NOT_A_SECRET = /^(true|false|yes|no|on|off|enabled?|disabled?|required|optional)$/i;
const PRIVATE_KEY = /-{3,}\s*BEGIN [A-Z ]*PRIVATE KEY\s*-{3,}/;

/** Why a literal value is not a secret (a reference, template, placeholder, path or flag), or undefined when it looks like one. */
export function notSecretValue(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return 'empty';
  if (/\$\(|\$\{|\{\{|%\{|#\{/.test(v)) return 'a reference or template';
  if (PLACEHOLDER.test(v)) return 'a placeholder';
  if (NOT_A_SECRET.test(v)) return 'a flag';
  if (/^\d{1,5}$/.test(v) || /^\d+(ms|s|m|h|d)$/.test(v)) return 'a number or duration';
  if (isProse(v)) return 'a sentence';
  if (/^(\/|\.\/|~\/|file:|[a-z]+:\/\/[^:@/]*\/)/i.test(v) && !/\s/.test(v)) return 'a path or URL without credentials';
  return undefined;
}

/** Words that a sentence has and a generated or chosen credential does not repeat: function words of English. */
const FUNCTION_WORDS = new Set(
  'the a an is are was be been we you it this that these since because not no as of to for via by with and or if so but when which here there'.split(
    ' ',
  ),
);

/** A sentence (`doesn't matter, since we are authenticated via the client certificate`): six or more words, three of them function words. */
function isProse(v: string): boolean {
  const words = v.toLowerCase().split(/\s+/);
  if (words.length < 6) return false;
  let n = 0;
  for (const w of words) if (FUNCTION_WORDS.has(w.replace(/[^a-z']/g, '')) && ++n >= 3) return true;
  return false;
}

/** A Kubernetes object name made of words (`elastic-operator-webhook-cert`): under a name ending in SECRET, the name of a Secret, not a credential. */
const OBJECT_NAME = /^[a-z]+(-[a-z]+)+$/;

/** Why the value of a secret-looking variable is a Secret's name rather than a credential, or undefined. */
function secretObjectName(varName: string, value: string, named: (name: string) => boolean): string | undefined {
  const v = value.trim();
  if (v.length > 253 || !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(v)) return undefined;
  if (named(v)) return 'the name of a Secret in the input';
  const t = nameTokens(varName);
  return t[t.length - 1] === 'SECRET' && OBJECT_NAME.test(v) ? 'the name of a Secret' : undefined;
}

export default defineRule<Options>({
  meta: {
    id: 'literal-secret',
    severity: 'warning',
    category: 'security',
    description: 'Passwords, tokens and keys must not be written as literal values in `env` or ConfigMaps; reference a Secret.',
    rationale:
      'A literal `value:` of an environment variable named like `DB_PASSWORD`, `API_TOKEN` or `AWS_SECRET_ACCESS_KEY` (or a ConfigMap key named so, or any value holding a PEM private key) is a credential committed to Git: everyone who can read the repository, its forks, CI logs and every `kubectl get -o yaml` of the object has it, it cannot be rotated without a commit, and RBAC treats it as public configuration (ConfigMaps and pod specs are readable by `view`). ' +
      'Values that are references (`$(VAR)`, `${VAR}`, templates), the name of a Secret (a Secret of that name in the input, or words joined by hyphens under a name ending in `SECRET`: `WEBHOOK_SECRET: elastic-operator-webhook-cert`), placeholders (`<token>`, `changeme`, `your-password`, `INSERT_TOKEN`, `api-key-here`, `not-applied`), paths (`/run/secrets/db`), flags, sentences (six or more words, three of them such as "the", "we", "since": `doesn\'t matter, since we are authenticated via the client certificate`) and empty values are not reported.',
    remediation:
      'Put the value in a Secret (created out of band, or by Sealed Secrets, External Secrets or SOPS) and read it with `valueFrom.secretKeyRef` or a Secret volume; rotate the value that was committed. `ignoreNames` lists variable or key names that only look secret.',
    tags: ['security', 'env', 'secrets'],
    appliesTo: ['PodSpecHolder', 'core/ConfigMap'],
    presets: ['recommended'],
    equivalents: { 'kube-linter': ['env-var-secret'], polaris: ['sensitiveContainerEnvVar', 'sensitiveConfigmapContent'] },
    messages: {
      env: 'container "{{container}}" of {{kind}} {{name}} sets env {{var}} to a literal value ({{length}} characters) that looks like a credential; read it from a Secret with valueFrom.secretKeyRef and rotate it.',
      envKey:
        'container "{{container}}" of {{kind}} {{name}} sets env {{var}} to a literal PEM private key; mount it from a Secret and rotate it.',
      configMap:
        'ConfigMap {{name}} holds {{var}} as a literal value ({{length}} characters) that looks like a credential, readable by anyone who can read ConfigMaps; move it to a Secret and rotate it.',
      configMapKey:
        'ConfigMap {{name}} key {{var}} holds a PEM private key, readable by anyone who can read ConfigMaps; move it to a Secret and rotate it.',
    },
    schema: {
      type: 'object',
      properties: {
        ignoreNames: {
          type: 'array',
          items: { type: 'string' },
          description: 'Environment variable or ConfigMap key names never reported (exact).',
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { ignoreNames: [] },
    precision: 'high',
    securitySeverity: 7.0,
  },
  check(obj, ctx) {
    const ignore = ctx.options.ignoreNames;
    const named = (n: string): boolean => ctx.index.named('Secret', n).length > 0;
    if (obj.kind === 'ConfigMap') {
      const data = obj.data.data;
      if (!isObj(data)) return;
      for (const [key, value] of Object.entries(data)) {
        if (typeof value !== 'string' || ignore.includes(key)) continue;
        if (PRIVATE_KEY.test(value)) ctx.report({ path: ['data', key], messageId: 'configMapKey', data: { name: obj.name, var: key } });
        else if (isSecretName(key) && notSecretValue(value) === undefined && secretObjectName(key, value, named) === undefined)
          ctx.report({ path: ['data', key], messageId: 'configMap', data: { name: obj.name, var: key, length: value.length } });
      }
      return;
    }
    for (const c of containers(obj, ['init', 'sidecar', 'regular', 'ephemeral'])) {
      asArray(c.container.env).forEach((e, i) => {
        if (!isObj(e) || typeof e.name !== 'string' || ignore.includes(e.name)) return;
        const value = typeof e.value === 'number' ? String(e.value) : e.value;
        if (typeof value !== 'string') return;
        const data = { container: c.name, kind: obj.kind, name: obj.name, var: e.name, length: value.length };
        if (PRIVATE_KEY.test(value)) ctx.report({ path: [...c.path, 'env', i, 'value'], messageId: 'envKey', data });
        else if (isSecretName(e.name) && notSecretValue(value) === undefined && secretObjectName(e.name, value, named) === undefined)
          ctx.report({ path: [...c.path, 'env', i, 'value'], messageId: 'env', data });
      });
    }
  },
});
