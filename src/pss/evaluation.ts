/**
 * One evaluation of the Pod Security controls per pod view, shared by the 19 `pss-*` rules: each control is
 * computed once for the pod (when its rule first asks), and the namespace-label sentence of the messages once
 * per level. The rules run one object after another, so only the evaluation of the last pod view is kept (a pod
 * view asked about again later is evaluated afresh: the same result, and no violations kept for the whole run).
 */
import { CONTROLS, type Control, type Level, type Violation } from './controls.js';
import { ENFORCE_LABEL, type PodView } from './pod.js';

const ORDINAL = new Map<Control, number>(CONTROLS.map((c, i) => [c, i]));

const NONE: readonly Violation[] = [];

export class PodEvaluation {
  /** per control (by its position in CONTROLS): its violations, once computed */
  private readonly results: (readonly Violation[] | undefined)[] = new Array<readonly Violation[] | undefined>(CONTROLS.length);
  private baselineEnforce: string | undefined;
  private restrictedEnforce: string | undefined;
  constructor(readonly pod: PodView) {}

  /** The violations of a control on this pod (none before the control's first policy version). */
  violations(c: Control): readonly Violation[] {
    const i = ORDINAL.get(c);
    // a control outside the built-in list (none today) is computed each time
    if (i === undefined) return this.pod.minor < c.since ? NONE : c.check(this.pod);
    let r = this.results[i];
    if (r === undefined) this.results[i] = r = this.pod.minor < c.since ? NONE : c.check(this.pod);
    return r;
  }

  /** "A namespace labelled pod-security.kubernetes.io/enforce: <levels> rejects <these pods> (<policy version>)." */
  enforce(level: Level): string {
    if (level === 'baseline') return (this.baselineEnforce ??= enforceSentence(this.pod, 'baseline or restricted'));
    return (this.restrictedEnforce ??= enforceSentence(this.pod, 'restricted'));
  }
}

function subject(pod: PodView): string {
  const k = pod.obj.kind;
  if (k === 'Pod' && pod.obj.group === '') return 'this pod';
  return `the pods of this ${k}`;
}

function enforceSentence(pod: PodView, levels: string): string {
  const version =
    pod.versionSource === 'namespace'
      ? `policy v1.${String(pod.minor)}, pinned by the Namespace's enforce-version label`
      : `policy v1.${String(pod.minor)}`;
  return `A namespace labelled ${ENFORCE_LABEL}: ${levels} rejects ${subject(pod)} (${version}).`;
}

let lastEvaluation: PodEvaluation | undefined;

/** The shared evaluation of a pod view. */
export function evaluation(pod: PodView): PodEvaluation {
  if (lastEvaluation?.pod !== pod) lastEvaluation = new PodEvaluation(pod);
  return lastEvaluation;
}
