import { withDefaults } from './defaults';

describe('withDefaults', () => {
  const schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          mode: { type: 'string', default: 'Auto' },
          items: { type: 'array', items: { type: 'object', properties: { weight: { type: 'integer', default: 1 } } } },
        },
      },
      status: { type: 'object', properties: { phase: { type: 'string' } } },
    },
  };

  test('applies defaults deep in objects and list items, without changing the input', () => {
    const value = { spec: { items: [{}, { weight: 5 }] }, status: {} };
    const out = withDefaults(schema, value) as { spec: { mode: string; items: { weight: number }[] }; status: unknown };
    expect(out).toEqual({ spec: { mode: 'Auto', items: [{ weight: 1 }, { weight: 5 }] }, status: {} });
    expect(value).toEqual({ spec: { items: [{}, { weight: 5 }] }, status: {} });
    // the subtree with no default anywhere is the input's own value
    expect(out.status).toBe(value.status);
  });

  test('a schema with no default anywhere returns the value itself, as many times as asked', () => {
    const plain = { type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'string' } } } } };
    const v = { a: { b: 'x' } };
    expect(withDefaults(plain, v)).toBe(v);
    expect(withDefaults(plain, { a: {} })).toEqual({ a: {} });
    // a default added later to a fresh schema object is seen (the memo is per schema node)
    const later = { type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'string', default: 'y' } } } } };
    expect(withDefaults(later, { a: {} })).toEqual({ a: { b: 'y' } });
  });

  test('additionalProperties and a schema that contains itself', () => {
    const map = { type: 'object', additionalProperties: { type: 'object', properties: { on: { type: 'boolean', default: true } } } };
    expect(withDefaults(map, { x: {}, y: { on: false } })).toEqual({ x: { on: true }, y: { on: false } });
    const self: Record<string, unknown> = { type: 'object', properties: {} };
    (self.properties as Record<string, unknown>).child = self;
    (self.properties as Record<string, unknown>).n = { type: 'integer', default: 0 };
    expect(withDefaults(self, { child: { child: {} } })).toEqual({ n: 0, child: { n: 0, child: { n: 0 } } });
  });
});
