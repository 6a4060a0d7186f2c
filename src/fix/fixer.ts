/**
 * The fixer a rule's `fix` function receives: the edit helpers of
 * src/fix/edits.ts bound to one object (its document and its path inside the
 * document, for the items of a `kind: List`). In a file the fast reader read,
 * the edits come from its span tape (src/fix/tape-edit.ts) wherever that is
 * certain, and the yaml-package editor parses the document only for the rest.
 */
import type { ManifestObject, Obj } from '../model/object.js';
import { sharedText, type Path } from '../parse/source.js';
import type { FixFunction, Fixer } from '../engine/rule.js';
import { mergeEdits, type TextEdit, type YamlEditor } from './edits.js';
import type { FixEdit } from '../engine/result.js';
import { Kind, TapeDoc } from './tape-doc.js';
import { TapeEdits, type FastEdit } from './tape-edit.js';

export interface ObjectFixer {
  /** runs a fix function; one merged edit, or undefined when any edit could not be made safely */
  build(fn: FixFunction): FixEdit | undefined;
}

/**
 * For tests (test/fix-fast.test.ts): when set, every edit the tape can make is made by the yaml-package
 * editor too, and both are passed here (`fast` undefined: the tape was not certain); the fixer then uses
 * the yaml-package editor's edit. `sameDoc` compares whether each side finds the object's document.
 */
export const fixCrossCheck: {
  on?: (c: { file: string; op: string; path: Path; fast: FastEdit; slow: TextEdit | null }) => void;
  sameDoc?: (fast: boolean, slow: boolean) => void;
} = {};

/** The tape view of the object's document, when the fast reader read its file and the tape finds its `kind` as the engine read it. */
function tapeEdits(editor: YamlEditor, obj: ManifestObject<Obj>): TapeEdits | undefined {
  const parse = obj.file.parse;
  if (!parse.fast || !obj.doc.ok || parse.documents[obj.doc.index] !== obj.doc || parse.source.text !== editor.text) return undefined;
  const doc = new TapeDoc(editor.text, parse.spans, obj.doc.node);
  const kind = doc.at([...obj.basePath, 'kind']);
  if (kind < 0 || doc.kind(kind) !== Kind.Scalar) return undefined;
  const q = editor.text.charCodeAt(doc.vs(kind));
  const text = editor.text.slice(doc.vs(kind), doc.ve(kind));
  // a plain scalar on one line: the failsafe value the yaml-package editor compares is its text
  if (q === 34 || q === 39 || text !== obj.kind || text.includes('\n')) return undefined;
  return new TapeEdits(doc);
}

export function objectFixer(editor: YamlEditor, obj: ManifestObject<Obj>): ObjectFixer {
  const doc = obj.doc.index;
  const base = obj.basePath;
  editor.region(doc, obj.doc.rootSpan.vs, obj.doc.rootSpan.ve);
  const fast = tapeEdits(editor, obj);
  // the editor's document must be the object's: its kind, read from the text, is the one the engine read
  const slowSameDoc = (): boolean => {
    const kindNode = editor.nodeAt(doc, [...base, 'kind']) as { value?: unknown } | null | undefined;
    return obj.doc.ok && kindNode !== undefined && kindNode !== null && String(kindNode.value) === obj.kind;
  };
  if (fast && fixCrossCheck.sameDoc) fixCrossCheck.sameDoc(true, slowSameDoc());
  const sameDoc = fast !== undefined || slowSameDoc();
  const abs = (p: Path): Path => (base.length === 0 ? p : [...base, ...p]);
  /** the tape's edit when it is certain, else the yaml-package editor's */
  const edit = (op: string, p: Path, tape: (t: TapeEdits) => FastEdit, yaml: () => TextEdit | null): TextEdit | null => {
    if (!sameDoc) return null;
    const f = fast ? tape(fast) : undefined;
    if (fast && fixCrossCheck.on) {
      const slow = yaml();
      fixCrossCheck.on({ file: obj.file.path, op, path: abs(p), fast: f, slow });
      return slow;
    }
    return f !== undefined ? f : yaml();
  };
  const fixer: Fixer = {
    set: (p, v) =>
      edit(
        'set',
        p,
        (t) => t.set(abs(p), v),
        () => editor.set(doc, abs(p), v),
      ),
    append: (p, v) =>
      edit(
        'append',
        p,
        (t) => t.append(abs(p), v),
        () => editor.append(doc, abs(p), v),
      ),
    replaceText: (p, t) =>
      edit(
        'replaceText',
        p,
        (f) => f.replaceScalar(abs(p), t),
        () => editor.replaceScalar(doc, abs(p), t),
      ),
    replaceValue: (p, v) =>
      edit(
        'replaceValue',
        p,
        (t) => t.replaceValue(abs(p), v),
        () => editor.replaceValue(doc, abs(p), v),
      ),
    removeItem: (p) =>
      edit(
        'removeItem',
        p,
        (t) => t.removeItem(abs(p)),
        () => editor.removeItem(doc, abs(p)),
      ),
    replaceKey: (p, t) =>
      edit(
        'replaceKey',
        p,
        (f) => f.replaceKey(abs(p), t),
        () => editor.replaceKey(doc, abs(p), t),
      ),
  };
  return {
    build(fn) {
      if (!sameDoc) return undefined;
      const out = fn(fixer);
      const list: (TextEdit | null)[] = Array.isArray(out) ? [...(out as (TextEdit | null)[])] : [out as TextEdit | null];
      if (list.length === 0 || list.some((e) => e === null)) return undefined;
      const merged = mergeEdits(editor.text, list as TextEdit[]);
      if (!merged) return undefined;
      // many findings insert the same text (the same key at the same indentation): one string for them
      return { range: [merged.range[0], merged.range[1]], text: sharedText(merged.text) };
    },
  };
}
