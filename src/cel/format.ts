/** The Kubernetes CEL `format.*` library: the named validators (DNS labels, qualified names, URIs, …) behind `format.named()`. */
import { URL_ } from './values.js';

// ---------------------------------------------------------------- format library

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';

function check(value: string, re: RegExp, max: number, what: string, regex: string, example: string): string[] {
  const errs: string[] = [];
  if (value.length > max) errs.push(`must be no more than ${max} characters`);
  if (!re.test(value)) errs.push(`${what} (e.g. ${example}, regex used for validation is '${regex}')`);
  return errs;
}

const label1123 = (s: string) =>
  check(
    s,
    new RegExp(`^${DNS1123_LABEL}$`),
    63,
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
    DNS1123_LABEL,
    "'my-name', or '123-abc'",
  );
const sub1123 = (s: string) =>
  check(
    s,
    new RegExp(`^${DNS1123_SUBDOMAIN}$`),
    253,
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    DNS1123_SUBDOMAIN,
    "'example.com'",
  );
const label1035 = (s: string) =>
  check(
    s,
    new RegExp(`^${DNS1035_LABEL}$`),
    63,
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
    DNS1035_LABEL,
    "'my-name', or 'abc-123'",
  );
/** generateName prefixes: a trailing '-' is allowed */
const prefix = (f: (s: string) => string[]) => (s: string) => f(s.endsWith('-') ? s.slice(0, -1) || 'a' : s);

function qualifiedName(s: string): string[] {
  const parts = s.split('/');
  const errs: string[] = [];
  let name = s;
  if (parts.length === 2) {
    if (parts[0] === '') errs.push('prefix part must be non-empty');
    else errs.push(...sub1123(parts[0]!).map((e) => `prefix part ${e}`));
    name = parts[1]!;
  } else if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character with an optional DNS subdomain prefix and '/' (e.g. 'MyName', 'my.name', or 'example.com/MyName')",
    ];
  }
  if (name === '') errs.push('name part must be non-empty');
  else
    errs.push(
      ...check(
        name,
        new RegExp(`^${QUALIFIED_NAME}$`),
        63,
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        QUALIFIED_NAME,
        "'MyName', or 'my.name', or '123-abc'",
      ),
    );
  return errs;
}

function labelValue(s: string): string[] {
  if (s === '') return [];
  return check(
    s,
    new RegExp(`^${QUALIFIED_NAME}$`),
    63,
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    `(${QUALIFIED_NAME})?`,
    "'MyValue', or 'my_value', or '12345'",
  );
}

export const FORMATS: Readonly<Record<string, (s: string) => string[]>> = {
  dns1123Label: label1123,
  dns1123Subdomain: sub1123,
  dns1035Label: label1035,
  qualifiedName,
  dns1123LabelPrefix: prefix(label1123),
  dns1123SubdomainPrefix: prefix(sub1123),
  dns1035LabelPrefix: prefix(label1035),
  labelValue,
  uri: (s) => (URL_.is(s) ? [] : ['invalid URI']),
  uuid: (s) =>
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s) ? [] : ['does not match the UUID format'],
  byte: (s) => (/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s) ? [] : ['invalid base64']),
  date: (s) => (/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(s) && !Number.isNaN(Date.parse(s)) ? [] : ['invalid date']),
  datetime: (s) =>
    /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s))
      ? []
      : ['invalid datetime'],
};

export class Formatter {
  constructor(readonly name: string) {}
}
