/** The error a CEL library function throws: the evaluator reports it as the expression's error. */

export class CelError extends Error {}
