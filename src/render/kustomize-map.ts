/** The map from `kustomize build` output back to the source documents, and the suppressions those documents carry. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { locate, parseText, type ParseOutput } from '../parse/parse.js';
import type { Path } from '../parse/source.js';
import { commentMatches, parseCommentSuppressions, type CommentSuppression } from '../engine/suppress.js';
import type { SourcePlace } from './helm.js';
import { KUSTOMIZATION_NAMES, kustomizationRefs } from './kustomization.js';

/**
 * The comment suppression in a kustomize source file that covers a finding
 * placed on `line` (kustomize drops comments, so they are read from the source).
 */
export function sourceSuppression(abs: string, ruleId: string, line: number): CommentSuppression | undefined {
  const sd = sourceDocs(abs);
  if (!sd) return undefined;
  sd.comments ??= parseCommentSuppressions(sd.parse.source);
  return sd.comments.find((c) => commentMatches(c, ruleId, line));
}

export interface KustomizeMap {
  /** the source place of a finding on object document `doc` at JSON path `objPath` (from the object root) */
  place(doc: number, objPath: Path | undefined): SourcePlace | undefined;
  /** the source file of a rendered document */
  sourceOf(doc: number): string | undefined;
  /** the source file and document a rendered object came from (its origin annotation, same kind and name), with both values */
  sourceDoc(doc: number): { abs: string; doc: number; value: Record<string, unknown>; rendered: Record<string, unknown> } | undefined;
}

interface SourceDoc {
  parse: ParseOutput;
  comments?: CommentSuppression[];
  docs: { value: Record<string, unknown>; index: number }[];
}

export const sources = new Map<string, SourceDoc | null>();
function sourceDocs(abs: string): SourceDoc | null {
  let s = sources.get(abs);
  if (s === undefined) {
    try {
      const parse = parseText(fs.readFileSync(abs, 'utf8'));
      const docs = parse.documents
        .filter((d) => d.ok && !d.empty && d.value && typeof d.value === 'object' && !Array.isArray(d.value))
        .map((d) => ({ value: d.value as Record<string, unknown>, index: d.index }));
      s = { parse, docs };
    } catch {
      s = null;
    }
    sources.set(abs, s);
  }
  return s;
}

function nameOf(v: Record<string, unknown>): string {
  const md = v.metadata;
  return md && typeof md === 'object' && typeof (md as { name?: unknown }).name === 'string' ? (md as { name: string }).name : '';
}

/** The document of a source file that became the rendered object: same kind, and its name inside the rendered name (name prefixes and suffixes). */
function findDoc(
  sd: SourceDoc,
  rendered: Record<string, unknown>,
  anyKind = false,
): { value: Record<string, unknown>; index: number } | undefined {
  const rn = nameOf(rendered);
  const cands = sd.docs.filter((d) => d.value.kind === rendered.kind && (nameOf(d.value) === '' || rn.includes(nameOf(d.value))));
  cands.sort((a, b) => nameOf(b.value).length - nameOf(a.value).length);
  if (cands[0]) return cands[0];
  // renamed on the way (a patch or replacement sets metadata.name): the file's only object of the kind
  const sameKind = sd.docs.filter((d) => d.value.kind === rendered.kind);
  if (sameKind.length > 0 || !anyKind) return sameKind.length === 1 ? sameKind[0] : undefined;
  // a patch changed its kind on the way (`options: allowKindChange`, sourcegraph's StatefulSet made a Deployment): the
  // file's only object of its name
  const named = sd.docs.filter((d) => nameOf(d.value) !== '' && rn.includes(nameOf(d.value)));
  return named.length === 1 ? named[0] : undefined;
}

function placeIn(
  sd: SourceDoc,
  abs: string,
  d: { value: Record<string, unknown>; index: number },
  p: Path,
): { place: SourcePlace; exact: boolean; value: unknown } {
  const doc = sd.parse.documents[d.index]!;
  const loc = locate(sd.parse.spans, doc.value, doc.node, p);
  const off = loc.span.ks >= 0 ? loc.span.ks : loc.span.vs;
  const pos = sd.parse.source.position(off);
  const lt = sd.parse.source.lineText(pos.line);
  return {
    place: { abs, line: pos.line, column: pos.column, endColumn: Math.max(lt.trimEnd().length + 1, pos.column + 1) },
    exact: loc.exact,
    value: loc.value,
  };
}

/**
 * The path in a source document (a resource or a strategic-merge patch) of what path `p` names in the rendered
 * object. A patch may insert list items (a JSON patch `add` at /rules/0) or the source may hold only some of them
 * (a strategic-merge patch lists the containers it changes), so a list index is carried over only where the
 * items agree: the same item at the same index, else the source item with the rendered item's `name`, else an
 * equal item at another index. An item the source does not hold (added on the way) stops the path at its list;
 * a list of the same length with a different item at that index was changed in place, and keeps the index.
 */
export function alignPath(source: unknown, rendered: unknown, p: Path): Path {
  const out: (string | number)[] = [];
  let s = source;
  let r = rendered;
  for (const seg of p) {
    if (typeof seg === 'number' && Array.isArray(s) && Array.isArray(r)) {
      const item = r[seg];
      let at = seg;
      if (!isDeepStrictEqual(s[seg], item)) {
        const name = itemName(item);
        const byName = name === undefined ? -1 : s.findIndex((x) => itemName(x) === name);
        const equal = byName >= 0 ? byName : s.findIndex((x) => isDeepStrictEqual(x, item));
        if (equal >= 0) at = equal;
        else if (s.length !== r.length || (name !== undefined && itemName(s[seg]) !== undefined)) return out;
      }
      out.push(at);
      s = s[at];
      r = item;
      continue;
    }
    out.push(seg);
    s = s !== null && typeof s === 'object' ? (s as Record<string, unknown>)[seg as string] : undefined;
    r = r !== null && typeof r === 'object' ? (r as Record<string, unknown>)[seg as string] : undefined;
  }
  return out;
}

function itemName(v: unknown): string | undefined {
  const n = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as { name?: unknown }).name : undefined;
  return typeof n === 'string' ? n : undefined;
}

export function buildKustomizeMap(
  parse: ParseOutput,
  annotated: string | undefined,
  wrapDir: string,
  dir: string,
  kfile: string,
): KustomizeMap {
  const docs = parse.documents.filter((d) => d.ok && !d.empty);
  const ap = annotated !== undefined ? parseText(annotated) : undefined;
  const adocs = ap?.documents.filter((d) => d.ok && !d.empty) ?? [];
  const aligned = adocs.length === docs.length;
  // every patch file of the target and the kustomizations it builds on
  const patches: string[] = [];
  const seenDirs = new Set<string>();
  const visit = (d: string): void => {
    if (seenDirs.has(d)) return;
    seenDirs.add(d);
    const refs = kustomizationRefs(d);
    patches.push(...refs.patches);
    refs.dirs.forEach(visit);
  };
  visit(dir);
  const originOf = (docIndex: number): string | undefined => {
    if (!aligned) return undefined;
    const pos = docs.findIndex((d) => d.index === docIndex);
    const a = adocs[pos]?.value as { metadata?: { annotations?: Record<string, unknown> } } | undefined;
    const origin = a?.metadata?.annotations?.['config.kubernetes.io/origin'];
    if (typeof origin !== 'string') return undefined;
    const pm = /^path:\s*(.+?)\s*$/m.exec(origin) ?? /^configuredIn:\s*(.+?)\s*$/m.exec(origin);
    if (!pm) return undefined;
    const abs = path.resolve(wrapDir, pm[1]!.replace(/^["']|["']$/g, ''));
    return fs.existsSync(abs) ? abs : undefined;
  };
  const kplace: SourcePlace = { abs: kfile, line: 1, column: 1, endColumn: 1 };
  return {
    sourceOf: (doc) => originOf(doc),
    sourceDoc: (docIndex) => {
      const abs = originOf(docIndex);
      const rendered = parse.documents[docIndex]?.value as Record<string, unknown> | undefined;
      const sd = abs ? sourceDocs(abs) : undefined;
      if (!abs || !sd || !rendered || typeof rendered !== 'object') return undefined;
      // a kustomization file is no object's source as such (generators write their objects)
      if (KUSTOMIZATION_NAMES.includes(path.basename(abs))) return undefined;
      const d = findDoc(sd, rendered);
      return d ? { abs, doc: d.index, value: d.value, rendered } : undefined;
    },
    place: (docIndex, objPath) => {
      const abs = originOf(docIndex);
      if (!abs) return kplace;
      const rendered = parse.documents[docIndex]?.value as Record<string, unknown> | undefined;
      const sd = sourceDocs(abs);
      if (!sd || !rendered) return { abs, line: 1, column: 1, endColumn: 1 };
      const d = findDoc(sd, rendered, true);
      if (!d) {
        // a generated object (configMapGenerator, secretGenerator): the generator entry with its name
        if (KUSTOMIZATION_NAMES.includes(path.basename(abs))) {
          const rn = nameOf(rendered);
          const lines = sd.parse.source.text.split('\n');
          let best: number | undefined;
          let bestLen = 0;
          lines.forEach((l, i) => {
            const m = /^\s*-?\s*name:\s*["']?([^"'\s#]+)/.exec(l);
            if (m && rn.includes(m[1]!) && m[1]!.length > bestLen) {
              best = i;
              bestLen = m[1]!.length;
            }
          });
          if (best !== undefined)
            return { abs, line: best + 1, column: lines[best]!.search(/\S/) + 1, endColumn: lines[best]!.trimEnd().length + 1 };
        }
        return { abs, line: 1, column: 1, endColumn: 1 };
      }
      const p = objPath ?? [];
      const inSource = placeIn(sd, abs, d, alignPath(d.value, rendered, p));
      if (p.length === 0) return inSource.place;
      const inRendered = locate(parse.spans, rendered, parse.documents[docIndex]!.node, p);
      if (!inRendered.exact) return inSource.place;
      const renderedValue = inRendered.value;
      if (inSource.exact && isDeepStrictEqual(inSource.value, renderedValue)) return inSource.place;
      // changed or added on the way: the patch that set it, when one has the field with the rendered value
      for (const pf of patches) {
        const pd = sourceDocs(pf);
        if (!pd) continue;
        const hit = findDoc(pd, rendered);
        if (!hit) continue;
        const inPatch = placeIn(pd, pf, hit, alignPath(hit.value, rendered, p));
        if (inPatch.exact && isDeepStrictEqual(inPatch.value, renderedValue)) return inPatch.place;
      }
      return inSource.place;
    },
  };
}
