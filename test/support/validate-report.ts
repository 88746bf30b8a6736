import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../schema/report.v1.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);

/** Checks a report against schema/report.v1.json: one line per problem, an empty list when it is valid. */
export function validateReport(report: unknown): string[] {
  if (validate(report)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`);
}
