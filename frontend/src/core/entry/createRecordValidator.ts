import type { FieldProblem } from '../api/apiError';
import { explainOutput } from './explainOutput';
import type { JsonSchema } from './types';

/** RecordValidator checks a record's data against its form's schema, as the server will. */
export type RecordValidator = (data: Record<string, unknown>) => FieldProblem[];

/**
 * createRecordValidator builds the browser's check of a form's JSON Schema (2020-12),
 * formats date and email included. The validator interprets the schema rather than
 * compiling it to code, since the app's Content-Security-Policy forbids eval; it is
 * loaded on first use, with the entry page.
 *
 * @example
 * const check = await createRecordValidator(form.schema);
 * check({ name: 'x' }) // [{ path: "/name", code: "minLength", params: { limit: 2 }, … }]
 */
export async function createRecordValidator(schema: JsonSchema): Promise<RecordValidator> {
  const { Validator } = await import('@cfworker/json-schema');
  // The validator annotates the schema it is given; the definition stays as it came.
  const own = structuredClone(schema);
  const validator = new Validator(own, '2020-12', false);
  return (data) => {
    const result = validator.validate(data);
    return result.valid ? [] : explainOutput(result.errors, schema, data);
  };
}
