/** The fast path for custom resources, its preparation: a CRD schema as a tree of checks (see ./crd-fast.ts). */
import { isObj } from '../model/object.js';

export const T_NULL = 1;
export const T_BOOLEAN = 2;
export const T_OBJECT = 4;
export const T_ARRAY = 8;
export const T_NUMBER = 16;
export const T_INTEGER = 32;
export const T_STRING = 64;
export const TYPE_BITS: Record<string, number> = {
  null: T_NULL,
  boolean: T_BOOLEAN,
  object: T_OBJECT,
  array: T_ARRAY,
  number: T_NUMBER,
  integer: T_INTEGER,
  string: T_STRING,
};

/** Keywords that change nothing ajv (without format validation, defaults or strict mode) accepts. */
const IGNORED = new Set(['description', 'title', 'example', 'examples', 'default', 'format', 'readOnly', 'writeOnly', '$comment']);
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'] as const;
const COUNT_KEYWORDS = ['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'] as const;

export interface FastNode {
  /** bit set of the allowed types; 0 when the schema has no `type` */
  types: number;
  enum?: unknown[];
  required?: string[];
  props?: Map<string, FastNode>;
  /** the properties whose names an object inherits from Object.prototype (`constructor`, `toString`…), which ajv reads there too */
  inheritedProps?: [string, FastNode][];
  /** additionalProperties: a schema, false, or undefined (anything) */
  additional?: FastNode | false;
  items?: FastNode;
  pattern?: RegExp;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  uniqueItems?: boolean;
  allOf?: FastNode[];
  anyOf?: FastNode[];
  oneOf?: FastNode[];
  not?: FastNode;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** The schema (as ./crd.ts hands it to ajv, before sharing) as a tree of checks; undefined when any part of it is not mirrored exactly. */
export function prepareFast(schema: unknown): FastNode | undefined {
  try {
    return node(schema);
  } catch {
    return undefined;
  }
}

class Unsupported extends Error {}

function node(s: unknown): FastNode {
  if (!isObj(s)) throw new Unsupported();
  // every node has every field, in one order: one hidden class, so the walk's property reads stay monomorphic
  const n: FastNode = {
    types: 0,
    enum: undefined,
    required: undefined,
    props: undefined,
    inheritedProps: undefined,
    additional: undefined,
    items: undefined,
    pattern: undefined,
    minimum: undefined,
    maximum: undefined,
    exclusiveMinimum: undefined,
    exclusiveMaximum: undefined,
    multipleOf: undefined,
    minLength: undefined,
    maxLength: undefined,
    minItems: undefined,
    maxItems: undefined,
    minProperties: undefined,
    maxProperties: undefined,
    uniqueItems: undefined,
    allOf: undefined,
    anyOf: undefined,
    oneOf: undefined,
    not: undefined,
  };
  for (const [k, v] of Object.entries(s)) {
    if (IGNORED.has(k)) continue;
    switch (k) {
      case 'type': {
        const list = Array.isArray(v) ? v : [v];
        if (list.length === 0) throw new Unsupported();
        for (const t of list) {
          const bit = typeof t === 'string' ? TYPE_BITS[t] : undefined;
          if (bit === undefined) throw new Unsupported();
          n.types |= bit;
        }
        break;
      }
      case 'enum':
        if (!Array.isArray(v) || v.length === 0) throw new Unsupported();
        n.enum = v;
        break;
      case 'required':
        if (!Array.isArray(v) || !v.every((r) => typeof r === 'string')) throw new Unsupported();
        n.required = v as string[];
        break;
      case 'properties': {
        if (!isObj(v)) throw new Unsupported();
        n.props = new Map();
        for (const [pk, pv] of Object.entries(v)) n.props.set(pk, node(pv));
        const inherited = [...n.props].filter(([pk]) => pk in Object.prototype);
        if (inherited.length) n.inheritedProps = inherited;
        break;
      }
      case 'additionalProperties':
        if (v === false) n.additional = false;
        else if (v !== true) n.additional = node(v);
        break;
      case 'items':
        if (Array.isArray(v)) throw new Unsupported(); // tuples: ajv's additionalItems rules
        n.items = node(v);
        break;
      case 'pattern':
        if (typeof v !== 'string') throw new Unsupported();
        n.pattern = new RegExp(v, 'u'); // throws as ajv's compile does
        break;
      case 'uniqueItems':
        if (typeof v !== 'boolean') throw new Unsupported();
        n.uniqueItems = v;
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        if (!Array.isArray(v) || v.length === 0) throw new Unsupported();
        n[k] = v.map(node);
        break;
      case 'not':
        n.not = node(v);
        break;
      default:
        if ((NUMBER_KEYWORDS as readonly string[]).includes(k)) {
          if (typeof v !== 'number' || !Number.isFinite(v) || (k === 'multipleOf' && v <= 0)) throw new Unsupported();
          n[k as (typeof NUMBER_KEYWORDS)[number]] = v;
        } else if ((COUNT_KEYWORDS as readonly string[]).includes(k)) {
          if (!isCount(v)) throw new Unsupported();
          n[k as (typeof COUNT_KEYWORDS)[number]] = v;
        } else throw new Unsupported();
    }
  }
  return n;
}
