/** Syntax messages in words: the yaml package's token names and hints, JSON.parse's error offsets. */
import { SourceText } from './source.js';

/** Offset of a JSON.parse error, from V8's message ("... at position 12", "line 2 column 5"). */
export function jsonErrorOffset(message: string, text: string): number {
  const m = /at position (\d+)/.exec(message);
  if (m) return Number(m[1]);
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) {
    const src = new SourceText(text);
    let off = 0;
    for (let l = 1; l < Number(lc[1]); l++) off += src.lineText(l).length + 1;
    return off + Number(lc[2]) - 1;
  }
  return 0;
}

const HINTS: Record<string, string> = {
  TAB_AS_INDENT: 'tabs are not allowed as indentation in YAML; indent with spaces',
  BLOCK_AS_IMPLICIT_KEY:
    'a nested mapping cannot start here: check the indentation of the lines below, or quote a value that contains ": "',
  MULTILINE_IMPLICIT_KEY: 'a key must be on a single line: check the indentation, or quote a value that contains ": "',
  BAD_INDENT: 'check the indentation',
};

/** How the yaml package's CST token types read in a message. */
const TOKEN_WORDS: Record<string, string> = {
  'flow-seq-end': '"]"',
  'flow-map-end': '"}"',
  'flow-seq-start': '"["',
  'flow-map-start': '"{"',
  comma: '","',
  'map-value-ind': '":"',
  'seq-item-ind': '"- "',
  'explicit-key-ind': '"? "',
  'doc-start': '"---"',
  'doc-end': '"..."',
  scalar: 'text',
  'single-quoted-scalar': 'quoted string',
  'double-quoted-scalar': 'quoted string',
  'block-scalar': 'block scalar',
  'block-scalar-header': 'block scalar',
  anchor: 'anchor',
  alias: 'alias',
  tag: 'tag',
  comment: 'comment',
  directive: 'directive',
};

/** The yaml package's messages that dump token names, in words. */
function untoken(first: string): string {
  let m = /^Unexpected ([\w-]+) token in YAML stream: "(.*)"$/.exec(first);
  if (m) {
    if (m[1] === 'flow-seq-end' || m[1] === 'flow-map-end') return `"${m[2]}" without a matching "${m[2] === ']' ? '[' : '{'}"`;
    return `unexpected ${TOKEN_WORDS[m[1]!] ?? JSON.stringify(m[2])} here`;
  }
  m = /^Unexpected ([\w-]+) at node end$/.exec(first);
  if (m)
    return `unexpected ${TOKEN_WORDS[m[1]!] ?? m[1]} after a complete value: check the indentation, and the space after ":" in "key: value"`;
  m = /^Flow (sequence|map) in block collection must be sufficiently indented and end with a ([\]}])$/.exec(first);
  if (m) return `unclosed flow ${m[1] === 'map' ? 'mapping' : 'sequence'}: "${m[2]}" missing`;
  m = /^Unexpected , in (flow \w+)$/.exec(first);
  if (m) return `"," without a value before it in a ${m[1]}`;
  if (/^Unexpected block-seq-ind on same line with key$/.test(first))
    return 'a list item ("- ") cannot start on the line of its key: move it to the next line';
  m = /^Unexpected ([\w-]+) token$/.exec(first);
  if (m && TOKEN_WORDS[m[1]!]) return `unexpected ${TOKEN_WORDS[m[1]!]} here`;
  return first;
}

export function friendly(code: string, message: string): string {
  const first = untoken(message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''));
  const hint = HINTS[code];
  if (!hint || first.startsWith('unclosed flow')) return first;
  return code === 'TAB_AS_INDENT' || code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY' ? hint : `${first}; ${hint}`;
}
