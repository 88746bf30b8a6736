// A JSON Schema of the Trace Event Format's JSON Object Format, written from the format's documented
// fields (the "Trace Event Format" document of Chrome's trace viewer, catapult/docs/trace-event-format.md),
// for the events stress-run writes: complete (X), counter (C) and metadata (M) events.
//   - the file is an object with `traceEvents` (an array of events); `displayTimeUnit` is "ms" or "ns";
//     any other key (`otherData`) is metadata
//   - every event has `name` (string), `ph` (one character: the phase), `ts` (microseconds, a number),
//     `pid` (process id) and, except for process-wide events, `tid`; `cat` is a comma-separated string;
//     `args` an object
//   - a complete event (X) has `dur` (microseconds, ≥ 0) and a `tid`
//   - a counter event (C) holds its series in `args`, each value a number; (pid, name[, id]) is one counter
//   - a metadata event (M) is named process_name, process_labels, process_sort_index, thread_name or
//     thread_sort_index, its value in `args` (`name`, `labels` or `sort_index`)
import Ajv from 'ajv';

export const TRACE_EVENT_SCHEMA = {
  type: 'object',
  required: ['traceEvents'],
  properties: {
    traceEvents: { type: 'array', items: { $ref: '#/definitions/event' } },
    displayTimeUnit: { enum: ['ms', 'ns'] },
    otherData: { type: 'object' },
  },
  definitions: {
    event: {
      type: 'object',
      required: ['name', 'ph', 'ts', 'pid'],
      properties: {
        name: { type: 'string' },
        cat: { type: 'string' },
        ph: { type: 'string', minLength: 1, maxLength: 1 },
        ts: { type: 'number' },
        tts: { type: 'number' },
        pid: { type: 'integer' },
        tid: { type: 'integer' },
        args: { type: 'object' },
      },
      allOf: [
        { if: { properties: { ph: { const: 'X' } } }, then: { required: ['dur', 'tid'], properties: { dur: { type: 'number', minimum: 0 } } } },
        { if: { properties: { ph: { const: 'C' } } }, then: { required: ['args'], properties: { args: { type: 'object', minProperties: 1, additionalProperties: { type: 'number' } } } } },
        {
          if: { properties: { ph: { const: 'M' } } },
          then: {
            required: ['args'],
            properties: {
              name: { enum: ['process_name', 'process_labels', 'process_sort_index', 'thread_name', 'thread_sort_index'] },
              args: { type: 'object', anyOf: [{ required: ['name'], properties: { name: { type: 'string' } } }, { required: ['labels'] }, { required: ['sort_index'], properties: { sort_index: { type: 'integer' } } }] },
            },
          },
        },
        { properties: { ph: { enum: ['B', 'E', 'X', 'i', 'I', 'C', 'b', 'n', 'e', 's', 't', 'f', 'P', 'N', 'O', 'D', 'M', 'V', 'v', 'R', 'c', '(', ')'] } } },
      ],
    },
  },
} as const;

const validate = new Ajv({ allErrors: true, strict: false }).compile(TRACE_EVENT_SCHEMA);

/** The schema's complaints about a parsed trace file, as readable lines (none: it is a valid trace). */
export function traceProblems(trace: unknown): string[] {
  return validate(trace) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
