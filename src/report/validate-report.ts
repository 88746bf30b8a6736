import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';

/** Where the published JSON Schema of the report lives (shipped with the package). */
export const SCHEMA_PATH = path.join(__dirname, '../../schema/report.v1.json');

let compiled: ValidateFunction | null = null;

// Compiled on first use: only commands that read reports (merge, --baseline, --durations) pay for it.
function validator(): ValidateFunction {
  if (compiled === null) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = require('ajv') as typeof import('ajv').default;
    const schema = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')) as object;
    compiled = new Ajv({ allErrors: true, allowUnionTypes: true, verbose: true }).compile(schema);
  }
  return compiled;
}

/** `/suites/1/outcome` → `suites[1].outcome`. */
function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
}

// A value as JSON, cut short so that a wrong value cannot flood the one-line message.
function shown(value: unknown): string {
  const json = JSON.stringify(value) ?? 'nothing';
  return json.length > 40 ? `${json.slice(0, 39)}…` : json;
}

const TYPE_WORDS: Record<string, string> = { array: 'a list', integer: 'an integer', object: 'an object', null: 'null' };
const typeWord = (type: string): string => TYPE_WORDS[type] ?? `a ${type}`;

function describeError(e: ErrorObject): string {
  const where = fieldPath(e.instancePath) || 'the report';
  switch (e.keyword) {
    case 'required':
      return `${where === 'the report' ? '' : `${where}.`}${(e.params as { missingProperty: string }).missingProperty} is missing`;
    case 'enum':
      return `${where} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}, got ${shown(e.data)}`;
    case 'type':
      return `${where} must be ${String((e.params as { type: string | string[] }).type).split(',').map(typeWord).join(' or ')}, got ${shown(e.data)}`;
    default:
      return `${where} ${e.message ?? 'is invalid'}, got ${shown(e.data)}`;
  }
}

/** Checks a report against schema/report.v1.json: one line per problem, an empty list when it is valid. */
export function validateReport(report: unknown): string[] {
  const validate = validator();
  return validate(report) ? [] : (validate.errors ?? []).map(describeError);
}
