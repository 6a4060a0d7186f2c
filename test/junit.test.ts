/**
 * `--format junit`. No XSD validator is available offline (no xmllint, no
 * lxml, no npm XSD package installed), so the output is parsed by a strict
 * little XML reader here and checked against the structure of Jenkins'
 * junit-10.xsd (jenkinsci/xunit-plugin, the schema Jenkins validates with;
 * GitLab and Azure DevOps read the same elements), transcribed below:
 * allowed children, required and allowed attributes, and the SUREFIRE_TIME
 * pattern of `time`.
 */
import { cli, ROOT, writeTree } from './helpers';

interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

/** A strict XML reader for what the formatter writes: a declaration, elements, attributes, text, the five entities. */
function parseXml(src: string): El {
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`${msg} at ${i}: ${JSON.stringify(src.slice(i, i + 40))}`);
  };
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(src);
  if (!decl) fail('no XML declaration');
  i = decl![0].length;
  const decodeText = (s: string): string => {
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(s)) fail(`bad entity in ${s}`);
    if (/[<]/.test(s)) fail('raw < in text');
    return s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  };
  const element = (): El => {
    const m = /^<([A-Za-z][\w-]*)/.exec(src.slice(i));
    if (!m) fail('expected an element');
    i += m![0].length;
    const el: El = { name: m![1]!, attrs: {}, children: [], text: '' };
    for (;;) {
      const a = /^\s+([A-Za-z][\w-]*)="([^"<]*)"/.exec(src.slice(i));
      if (!a) break;
      if (a[1]! in el.attrs) fail(`duplicate attribute ${a[1]}`);
      el.attrs[a[1]!] = decodeText(a[2]!);
      i += a[0].length;
    }
    if (src.startsWith(' />', i) || src.startsWith('/>', i)) {
      i += src.startsWith(' />', i) ? 3 : 2;
      return el;
    }
    if (src[i] !== '>') fail('expected >');
    i++;
    for (;;) {
      if (src.startsWith(`</${el.name}>`, i)) {
        i += el.name.length + 3;
        return el;
      }
      if (src[i] === '<') el.children.push(element());
      else {
        const end = src.indexOf('<', i);
        if (end < 0) fail('unterminated element');
        el.text += decodeText(src.slice(i, end));
        i = end;
      }
    }
  };
  const root = element();
  if (src.slice(i) !== '\n') fail('content after the root element');
  return root;
}

/** junit-10.xsd: children and attributes of each element. */
const XSD: Record<string, { children: string[]; required: string[]; optional: string[]; text: boolean }> = {
  testsuites: { children: ['testsuite'], required: [], optional: ['name', 'time', 'tests', 'failures', 'errors'], text: false },
  testsuite: {
    children: ['testsuite', 'properties', 'testcase', 'system-out', 'system-err'],
    required: ['name', 'tests', 'failures', 'errors'],
    optional: ['group', 'time', 'skipped', 'timestamp', 'hostname', 'id', 'package', 'file', 'log', 'url'],
    text: false,
  },
  testcase: {
    children: ['skipped', 'error', 'failure', 'rerunFailure', 'rerunError', 'flakyFailure', 'flakyError', 'system-out', 'system-err'],
    required: ['name'],
    optional: ['time', 'classname', 'group'],
    text: false,
  },
  failure: { children: [], required: [], optional: ['type', 'message'], text: true },
  error: { children: [], required: [], optional: ['type', 'message'], text: true },
  skipped: { children: [], required: [], optional: ['type', 'message'], text: true },
  'system-out': { children: [], required: [], optional: [], text: true },
  'system-err': { children: [], required: [], optional: [], text: true },
};
const SUREFIRE_TIME = /^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$/;

function xsdProblems(el: El, where = ''): string[] {
  const spec = XSD[el.name];
  const at = `${where}/${el.name}`;
  if (!spec) return [`${at}: element not in junit-10.xsd`];
  const out: string[] = [];
  for (const r of spec.required) if (!(r in el.attrs)) out.push(`${at}: missing attribute ${r}`);
  for (const a of Object.keys(el.attrs))
    if (!spec.required.includes(a) && !spec.optional.includes(a)) out.push(`${at}: attribute ${a} not allowed`);
  if ('time' in el.attrs && (el.name === 'testsuite' || el.name === 'testsuites') && !SUREFIRE_TIME.test(el.attrs.time!))
    out.push(`${at}: time ${el.attrs.time} does not match SUREFIRE_TIME`);
  if (!spec.text && el.text.trim() !== '') out.push(`${at}: text not allowed`);
  for (const c of el.children) {
    if (!spec.children.includes(c.name)) out.push(`${at}: child ${c.name} not allowed`);
    out.push(...xsdProblems(c, at));
  }
  return out;
}

describe('--format junit', () => {
  test('the xsd check is live: it rejects what junit-10.xsd rejects', () => {
    expect(
      xsdProblems(
        parseXml(
          '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="a" tests="1" failures="0"><testcase file="x"><failure/></testcase></testsuite></testsuites>\n',
        ),
      ),
    ).toEqual([
      '/testsuites/testsuite: missing attribute errors',
      '/testsuites/testsuite/testcase: missing attribute name',
      '/testsuites/testsuite/testcase: attribute file not allowed',
    ]);
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="a & b"></testsuites>\n')).toThrow(/bad entity/);
  });

  test('examples/: a suite per file, a testcase per object and rule, a failure per finding; valid against junit-10.xsd', async () => {
    const r = await cli(['lint', 'examples/', '-f', 'junit'], { cwd: ROOT });
    const json = JSON.parse((await cli(['lint', 'examples/', '-f', 'json'], { cwd: ROOT })).stdout) as {
      filePath: string;
      messages: { level: string; ruleId: string; object?: { kind: string; name: string } }[];
    }[];
    const root = parseXml(r.stdout);
    expect(xsdProblems(root)).toEqual([]);
    expect(root.children.map((s) => s.attrs.name)).toEqual(json.map((j) => j.filePath));
    const failures = root.children.flatMap((s) => s.children.flatMap((c) => c.children.filter((x) => x.name === 'failure')));
    expect(failures.length).toBe(json.flatMap((j) => j.messages).filter((m) => m.level !== 'info').length);
    for (const s of root.children) {
      const j = json.find((x) => x.filePath === s.attrs.name)!;
      const keys = new Set(j.messages.map((m) => `${m.object ? `${m.object.kind}/` : ''}${m.ruleId}`));
      expect(Number(s.attrs.tests)).toBe(Math.max(1, s.children.length));
      expect(s.children.length).toBeGreaterThanOrEqual(Math.min(1, keys.size));
      expect(Number(s.attrs.failures)).toBe(
        s.children.filter((c) => c.children.some((x) => x.name === 'failure') && !c.children.some((x) => x.name === 'error')).length,
      );
    }
    expect(Number(root.attrs.failures)).toBeGreaterThan(0);
    expect(r.code).toBe(1);
  });

  test('syntax errors are <error>s, infos are output of a passing testcase, clean files pass, XML special characters are escaped', async () => {
    const dir = writeTree({
      'clean.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\ndata:\n  a: b\n',
      'broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  key: value: other\n',
      'info.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "p<&>"\nspec:\n  containers:\n    - name: a\n      image: IMAGE_PLACEHOLDER\n',
    });
    const r = await cli(
      [
        'lint',
        '.',
        '-f',
        'junit',
        '--no-config',
        '--rule',
        'image-tag=warning',
        ...[
          'resource-requests-limits',
          'missing-probes',
          'privilege-escalation',
          'read-only-root-filesystem',
          'default-namespace',
          'run-as-high-uid',
          'drop-net-raw',
          'default-service-account',
          'schema',
          'automount-service-account-token',
          'image-pull-policy',
        ].flatMap((x) => ['--rule', `${x}=off`]),
      ],
      { cwd: dir },
    );
    const root = parseXml(r.stdout);
    expect(xsdProblems(root)).toEqual([]);
    const suite = (n: string) => root.children.find((s) => s.attrs.name === n)!;
    expect(suite('clean.yaml').children.map((c) => [c.attrs.name, c.children.length])).toEqual([['no findings', 0]]);
    const broken = suite('broken.yaml');
    expect(broken.attrs.errors).toBe('1');
    expect(broken.children[0]!.children.map((c) => c.name)).toEqual(['error']);
    const info = suite('info.yaml');
    expect(info.attrs.failures).toBe('0');
    const tc = info.children.find((c) => c.attrs.name!.endsWith('image-tag'))!;
    expect(tc.attrs.name).toBe('Pod/p<&> image-tag');
    expect(tc.children.map((c) => c.name)).toEqual(['system-out']);
    expect(tc.children[0]!.text).toMatch(/^info\.yaml:8:7: info: image "IMAGE_PLACEHOLDER"/);
  });
});
