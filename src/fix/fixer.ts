/**
 * The fixer a rule's `fix` function receives: the edit helpers of
 * src/fix/edits.ts bound to one object (its document and its path inside the
 * document, for the items of a `kind: List`).
 */
import type { ManifestObject, Obj } from '../model/object.js';
import type { Path } from '../parse/source.js';
import type { FixFunction, Fixer } from '../engine/rule.js';
import { mergeEdits, type TextEdit, type YamlEditor } from './edits.js';
import type { FixEdit } from '../engine/result.js';

export interface ObjectFixer {
  /** runs a fix function; one merged edit, or undefined when any edit could not be made safely */
  build(fn: FixFunction): FixEdit | undefined;
}

export function objectFixer(editor: YamlEditor, obj: ManifestObject<Obj>): ObjectFixer {
  const doc = obj.doc.index;
  const base = obj.basePath;
  editor.region(doc, obj.doc.rootSpan.vs, obj.doc.rootSpan.ve);
  // the editor's document must be the object's: its kind, read from the text, is the one the engine read
  const kindNode = editor.nodeAt(doc, [...base, 'kind']) as { value?: unknown } | null | undefined;
  const sameDoc = obj.doc.ok && kindNode !== undefined && kindNode !== null && String(kindNode.value) === obj.kind;
  const abs = (p: Path): Path => [...base, ...p];
  const fixer: Fixer = {
    set: (p, v) => (sameDoc ? editor.set(doc, abs(p), v) : null),
    append: (p, v) => (sameDoc ? editor.append(doc, abs(p), v) : null),
    replaceText: (p, t) => (sameDoc ? editor.replaceScalar(doc, abs(p), t) : null),
    replaceValue: (p, v) => (sameDoc ? editor.replaceValue(doc, abs(p), v) : null),
    removeItem: (p) => (sameDoc ? editor.removeItem(doc, abs(p)) : null),
    replaceKey: (p, t) => (sameDoc ? editor.replaceKey(doc, abs(p), t) : null),
  };
  return {
    build(fn) {
      if (!sameDoc) return undefined;
      const out = fn(fixer);
      const list: (TextEdit | null)[] = Array.isArray(out) ? [...(out as (TextEdit | null)[])] : [out as TextEdit | null];
      if (list.length === 0 || list.some((e) => e === null)) return undefined;
      const merged = mergeEdits(editor.text, list as TextEdit[]);
      if (!merged) return undefined;
      return { range: [merged.range[0], merged.range[1]], text: merged.text };
    },
  };
}
