/**
 * Kubernetes label selectors.
 *
 * Two flavours exist in the API:
 *  - `metav1.LabelSelector` ({matchLabels, matchExpressions}) used by
 *    Deployments, StatefulSets, NetworkPolicies, PDBs, ... -> {@link selectorMatches}
 *  - plain `map[string]string` selectors used by Services and
 *    ReplicationControllers -> {@link mapSelectorMatches}
 *
 * Semantics follow apimachinery's `metav1.LabelSelectorAsSelector` and
 * `labels.Requirement.Matches`:
 *  - null/undefined selector selects nothing (labels.Nothing()),
 *  - a selector with no matchLabels entries and no matchExpressions selects
 *    everything (labels.Everything()),
 *  - In: key present and value in the set; NotIn: key absent OR value not in
 *    the set; Exists: key present; DoesNotExist: key absent,
 *  - a selector LabelSelectorAsSelector would reject (unknown operator,
 *    values given to Exists, empty values for In, invalid key or value
 *    syntax, ...) selects nothing.
 *
 * Type leniency: manifests come from YAML, where `version: 1` is a number and
 * `enabled: true` a boolean. The API server actually rejects such values in
 * string maps ("cannot unmarshal number into ... of type string"), but for
 * matching we compare `String(value)`, so `version: 1` matches `version: "1"`;
 * {@link validateSelector} still reports them. A YAML null (`app:` with no
 * value) decodes to "" in Go's map[string]string, and is treated as "" here.
 * Objects and arrays where a scalar is expected make a selector invalid.
 * Nothing here throws, whatever the input.
 */
import { coerceScalar, compile, hasOwn, isRecord, type Requirement } from './selector-compile.js';
export { SELECTOR_OPERATORS, labelKeyProblems, labelValueProblems } from './selector-compile.js';
export type { SelectorOperator } from './selector-compile.js';

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** One problem found in a selector. `fatal` problems make it select nothing. */
export interface SelectorProblem {
  path: string;
  message: string;
  fatal: boolean;
}

/** A selector compiled once, to be matched against many label sets. */
export interface CompiledSelector {
  /** False when the selector is null/undefined or has a fatal problem. */
  readonly valid: boolean;
  /** True when the selector is valid and selects every object ({} or empty lists). */
  readonly selectsEverything: boolean;
  readonly problems: readonly SelectorProblem[];
  /**
   * The first `In` requirement (a matchLabels entry is one) of a valid
   * selector: every label set it matches has `key` with one of `values`.
   * Indexes use it to narrow the candidates (see ObjectIndex); undefined when
   * the selector has none (or is invalid).
   */
  readonly narrowing?: { readonly key: string; readonly values: readonly string[] };
  matches(labels: unknown): boolean;
}

// --- matching ---------------------------------------------------------------

/**
 * A label value as selectors compare it: a string as is, a number or boolean
 * as its string form, null as ""; undefined for a map or list (which equals
 * no value). Label indexes key on it.
 */
export function labelString(v: unknown): string | undefined {
  const c = coerceScalar(v);
  return c.ok ? c.value : undefined;
}

/** A label value that equals nothing (non-scalar label values). */
const UNMATCHABLE = Symbol('unmatchable');

function labelValue(labels: Record<string, unknown>, key: string): string | typeof UNMATCHABLE | undefined {
  if (!hasOwn(labels, key)) return undefined;
  const c = coerceScalar(labels[key]);
  return c.ok ? c.value : UNMATCHABLE;
}

function requirementMatches(r: Requirement, labels: Record<string, unknown>): boolean {
  const v = labelValue(labels, r.key);
  switch (r.op) {
    case 'In':
      return v !== undefined && v !== UNMATCHABLE && r.values.has(v);
    case 'NotIn':
      return v === undefined || v === UNMATCHABLE || !r.values.has(v);
    case 'Exists':
      return v !== undefined;
    case 'DoesNotExist':
      return v === undefined;
  }
}

const NOTHING: CompiledSelector = {
  valid: false,
  selectsEverything: false,
  problems: [],
  matches: () => false,
};

/**
 * Compiles a metav1.LabelSelector for repeated matching. `labels` given to
 * `matches` may be anything: a non-map is treated as "no labels"; non-scalar
 * label values are present (satisfy Exists) but equal no value.
 */
export function compileSelector(selector: unknown): CompiledSelector {
  if (selector === undefined || selector === null) return NOTHING;
  try {
    const { requirements, problems } = compile(selector);
    if (problems.some((p) => p.fatal)) {
      return { valid: false, selectsEverything: false, problems, matches: () => false };
    }
    const first = requirements.find((r) => r.op === 'In');
    return {
      valid: true,
      selectsEverything: requirements.length === 0,
      problems,
      narrowing: first && first.op === 'In' ? { key: first.key, values: [...first.values] } : undefined,
      matches(labels: unknown): boolean {
        try {
          const l = isRecord(labels) ? labels : {};
          return requirements.every((r) => requirementMatches(r, l));
        } catch {
          return false;
        }
      },
    };
  } catch {
    return {
      valid: false,
      selectsEverything: false,
      problems: [{ path: '', message: 'unreadable label selector', fatal: true }],
      matches: () => false,
    };
  }
}

/**
 * Whether a metav1.LabelSelector selects an object with these labels.
 * null/undefined selects nothing; `{}` selects everything; invalid selectors
 * select nothing. Never throws.
 */
export function selectorMatches(selector: unknown, labels: Record<string, unknown> | undefined | null): boolean {
  return compileSelector(selector).matches(labels);
}

/**
 * Human-readable problems with a metav1.LabelSelector, e.g.
 * `matchExpressions[0].operator: "in" is not a valid label selector operator ...; did you mean "In"?`.
 * Includes non-fatal notes (numbers/booleans/nulls that should be quoted strings).
 * null/undefined is not a problem (an absent selector is legal in many places).
 */
export function validateSelector(selector: unknown): string[] {
  return compileSelector(selector).problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
}

/**
 * Service / ReplicationController style selector: a plain map whose entries
 * must all be present with equal values in `labels`.
 *
 * An absent, null or empty map selects NOTHING. That is the Service
 * semantics: a Service without a selector gets no endpoints from the
 * endpoints controller (its Endpoints/EndpointSlices are managed by hand),
 * and an empty map is stored as "no selector". Callers handling a
 * ReplicationController should first default an empty selector to the pod
 * template's labels, as the API server does.
 *
 * Values are compared as label strings (String(number|boolean), null as "");
 * a map or list anywhere a string is expected means no match. Never throws.
 */
export function mapSelectorMatches(
  selector: Record<string, unknown> | undefined | null,
  labels: Record<string, unknown> | undefined | null,
): boolean {
  try {
    if (!isRecord(selector)) return false;
    const keys = Object.keys(selector);
    if (keys.length === 0) return false;
    const l: Record<string, unknown> = isRecord(labels) ? labels : {};
    for (const key of keys) {
      const want = coerceScalar(selector[key]);
      if (!want.ok) return false;
      const have = labelValue(l, key);
      if (have !== want.value) return false;
    }
    return true;
  } catch {
    return false;
  }
}
