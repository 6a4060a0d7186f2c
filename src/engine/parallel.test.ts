import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { locate, parseText } from '../parse/parse';
import { parsedMessage, receivedParse, type WorkerMessage } from './parallel';

/** Every span reachable from the documents, as [path, span] pairs in a stable order. */
function allSpans(p: ReturnType<typeof parseText>, docs = p.documents): string[] {
  const out: string[] = [];
  const seen = new Set<object>();
  const visit = (v: unknown, at: string): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    const t = p.spans.get(v);
    if (t instanceof Map) for (const [k, s] of t) out.push(`${at}/${k} ${JSON.stringify(s)}`);
    else if (t) t.forEach((s, i) => out.push(`${at}[${i}] ${JSON.stringify(s)}`));
    else out.push(`${at} none`);
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${at}[${i}]`));
    else for (const k of Object.keys(v)) visit((v as Record<string, unknown>)[k], `${at}/${k}`);
  };
  docs.forEach((d, i) => visit(d.value, `#${i}`));
  return out;
}

describe('span tapes across threads', () => {
  const texts = [
    'a: 1\nb: [x, {c: d}]\n',
    'base: &b {x: 1, y: [1, 2]}\none: *b\ntwo:\n  <<: *b\n  z: 3\n  x: 9\n',
    '2: a\n1: b\nk: c\n10: d\n',
    'a: 1\na: 2\nb: 3\n',
    '__proto__: {p: 1}\nconstructor: 2\n"quoted\\tkey": 3\non: 4\n',
    'x\n---\n- [a, b]\n- {c: d}\n---\n',
    'l: &l [1, 2]\nm: [*l, *l]\n',
  ];
  test.each(texts)('transferred, not copied, and read the same: %j', (text) => {
    const p = parseText(text);
    const before = allSpans(p);
    const paths = [['b', 1, 'c'], ['two', 'y', 1], ['two', 'x'], ['a'], ['quoted\tkey'], ['true'], ['m', 1, 0], [1, 'c'], ['nope', 'x']];
    const located = p.documents.map((d) => paths.map((q) => locate(p.spans, d.value, d.node, q)));
    const { port1, port2 } = new MessageChannel();
    const { msg, transfer } = parsedMessage(0, text, p);
    port1.postMessage(msg, transfer);
    const got = receiveMessageOnPort(port2)!.message as Extract<WorkerMessage, { kind: 'parsed' }>;
    port1.close();
    // the sender's buffer moved to the receiver
    expect(p.spans.data.byteLength).toBe(0);
    const q = receivedParse(got);
    expect(q.spans.data.length).toBeGreaterThan(0);
    expect(allSpans(q)).toEqual(before);
    expect(q.documents.map((d) => paths.map((x) => locate(q.spans, d.value, d.node, x)))).toEqual(located);
    expect(before.length).toBeGreaterThan(0);
  });
});
