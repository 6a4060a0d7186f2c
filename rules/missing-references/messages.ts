/** The options and messages of missing-references, and the typed context its checks report through. */
import type { TypedRuleContext } from '../../src/engine/rule.js';

export interface Options {
  requireKindInNamespace: boolean;
  checkMissingSecrets: boolean;
  ignoreNames: string[];
}

const KEY_AMBIGUOUS =
  '{{what}} needs key "{{key}}" of {{kind}} "{{name}}": the nearest one, {{where}}, lacks it, but {{having}} has it; the input holds {{count}} {{kind}}s of that name, so make sure the one applied with this workload has the key.';
const MISSING_KEY =
  '{{what}} needs key "{{key}}" of {{kind}} "{{name}}" ({{where}}), which has no such key ({{has}}){{others}}: the pod fails to start ({{effect}}); {{guess}}fix the key or mark the reference optional: true.';
const MISSING_KEY_EMPTY =
  '{{what}} needs key "{{key}}" of {{kind}} "{{name}}" ({{where}}), which is empty here: an empty {{kind}} is usually a placeholder that an overlay, a script or an operator fills; if nothing does, the pod fails to start ({{effect}}).';
const MISSING_OBJECT =
  '{{what}} references {{kind}} "{{name}}", which is not in the input although {{evidence}}: {{effect}}. {{guess}}Add it, fix the name{{optional}}.';
const PDB_SELECTS_NOTHING =
  'PodDisruptionBudget "{{name}}" selects no pod template of the {{count}} workload{{s}} in namespace "{{namespace}}" in the input ({{sample}}){{far}}: it protects nothing, and node drains can evict every replica at once; make its selector match the workload\'s pod labels.{{crs}}';
export const MESSAGES = {
  /** another object of the name has the key; the nearest one, in this directory, lacks it */
  keyAmbiguous: { text: KEY_AMBIGUOUS, severity: 'warning' },
  keyAmbiguousFar: { text: KEY_AMBIGUOUS, severity: 'info' },
  /** the definition is in the workload's directory line */
  missingKey: { text: MISSING_KEY, severity: 'error' },
  missingKeyUnrelated: { text: MISSING_KEY, severity: 'warning' },
  /** the ConfigMap/Secret has no data at all: a placeholder filled elsewhere, as often as a mistake */
  missingKeyEmpty: { text: MISSING_KEY_EMPTY, severity: 'info' },
  missingObject: MISSING_OBJECT,
  /** the other objects of the kind are all in other directories */
  missingObjectWeak: { text: MISSING_OBJECT, severity: 'info' },
  /** the name starts with a custom resource's name in the namespace: its operator makes objects named so */
  missingObjectOperator: {
    text: '{{what}} references {{kind}} "{{name}}", which is not in the input; its name starts with that of {{maker}} ({{file}}), and operators name what they create after their custom resource, so it is likely made at run time; if nothing creates it, {{effect}}.',
    severity: 'info',
  },
  /** a Role of the namespace lets its holder write the object by name: a component manages it at run time */
  missingObjectManaged: {
    text: '{{what}} references {{kind}} "{{name}}", which is not in the input; {{maker}} ({{file}}) lets its holder write that {{kind}} by name, so a component likely creates or fills it at run time; if nothing does, {{effect}}.',
    severity: 'info',
  },
  hpaTarget:
    'HorizontalPodAutoscaler "{{name}}" targets {{kind}} "{{target}}", which is not in the input although namespace "{{namespace}}" has {{count}} other {{kind}}{{s}} here: it scales nothing (FailedGetScale).{{hint}} {{guess}}Fix scaleTargetRef.',
  /** the other objects of the kind are all in other directories */
  hpaTargetWeak: {
    text: 'HorizontalPodAutoscaler "{{name}}" targets {{kind}} "{{target}}", which is not in the input; namespace "{{namespace}}" has {{count}} other {{kind}}{{s}}, all in other directories (e.g. {{example}}), so the input may not hold this one\'s: if nothing else creates it, the HPA scales nothing (FailedGetScale). {{guess}}Fix scaleTargetRef, or lint it with its target.',
    severity: 'info',
  },
  pdbSelectsNothing: PDB_SELECTS_NOTHING,
  /** an operator may create the pods, or no workload is in the PDB's directory */
  pdbSelectsNothingWeak: { text: PDB_SELECTS_NOTHING, severity: 'info' },
} as const;
export type Ctx = TypedRuleContext<Options, keyof typeof MESSAGES>;
