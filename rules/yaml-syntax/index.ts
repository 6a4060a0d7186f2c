import { createRule } from '../../src/engine/rule.js';

export default createRule({
  meta: {
    id: 'yaml-syntax',
    severity: 'error',
    category: 'syntax',
    description: 'The file must be well-formed YAML (or JSON) that the cluster can read.',
    rationale:
      'kubectl and the API server reject a document they cannot parse, so nothing in it is applied. k8s-gold reports the error at its line and column, skips only the broken document, and goes on linting the rest of the file and every other file. When the error lies inside a `{{ … }}` placeholder (a mustache or Go template kept beside the manifests), the finding is a warning that names the placeholder and says the document was not linted: the file is a template, not a broken manifest. The same holds for a Jinja or Liquid `{% … %}` tag (documentation snippets wrapped in `{% raw %}` … `{% endraw %}`). An error at a line that is only an indented `...` (an excerpt that leaves content out, as documentation does: `# other fields` then `...`) is a warning too.',
    remediation:
      'Fix the syntax at the reported position. Common causes: inconsistent indentation, tabs used for indentation, an unclosed `[` or `{`, or a `:` inside an unquoted value. Aliases that expand to more than a million nodes, and nesting deeper than 500 levels, are refused as hostile input.',
    tags: ['syntax'],
    messages: {
      syntax: '{{message}}',
      /** the error lies inside a `{{ }}` template placeholder: the file is a template kept beside the manifests */
      placeholder: {
        text: '{{placeholder}} is a template placeholder, not YAML the cluster can read, so this document was not linted; lint what the template renders (k8s-gold renders Helm charts and kustomizations itself), or add the file to ignorePatterns',
        severity: 'warning',
      },
      /** the error's line is only an indented `...`: content left out of a documentation excerpt */
      elided: {
        text: 'this line is only "...", which stands for content left out (a documentation excerpt), not YAML the cluster can read, so this document was not linted; write out what it leaves out, or add the file to ignorePatterns',
        severity: 'warning',
      },
      /** the error lies at a `{% %}` tag (Jinja, Liquid): the file is a template kept beside the manifests */
      templateTag: {
        text: '{{tag}} is a template tag (Jinja or Liquid), not YAML the cluster can read, so this document was not linted; lint what the template renders, or add the file to ignorePatterns',
        severity: 'warning',
      },
    },
    defaultOptions: {},
    engine: true,
    precision: 'very-high',
  },
});
