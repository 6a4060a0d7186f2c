import { createRule } from '../../src/engine/rule.js';

export default createRule({
  meta: {
    id: 'unreadable-file',
    severity: 'error',
    category: 'syntax',
    description: 'Every input file must be readable, valid UTF-8 text within the size limit.',
    rationale:
      'A linter that silently skips a file gives a false sense of safety. A file that cannot be read, that is binary (contains NUL bytes), that is not valid UTF-8, or that is larger than `--max-file-size` is reported instead of being skipped.',
    remediation:
      'Check the file: fix its permissions, re-save it as UTF-8, remove it from the manifest directory if it is not a manifest (or add an ignore pattern), or raise `--max-file-size`.',
    tags: ['syntax'],
    messages: {
      binary: 'binary file (a NUL byte at byte {{byte}}); not a manifest',
      invalidUtf8: 'invalid UTF-8 at byte {{byte}}; the file must be UTF-8 text',
      cannotRead: 'cannot read file: {{error}}',
      tooLarge: 'file is {{size}} bytes, larger than --max-file-size ({{max}} bytes); not linted',
      stdinTooLarge: 'input is {{size}} bytes, larger than --max-file-size ({{max}} bytes); not linted',
    },
    defaultOptions: {},
    engine: true,
    precision: 'very-high',
  },
});
