// Parses Mermaid diagrams with the mermaid package's own parser: reads a JSON array of diagram texts
// on stdin, prints a JSON array of results ({ ok: true, diagramType } or { ok: false, error }).
//
// Why a process of its own with a DOM: mermaid is published as ES modules only, which Jest's
// CommonJS runtime cannot load; and mermaid.parse() runs every label through DOMPurify, which has no
// addHook/sanitize without a window (under plain Node a chart with any label fails with
// "DOMPurify.addHook is not a function"). jsdom gives DOMPurify its window before mermaid loads.
import { JSDOM } from 'jsdom';

const { window } = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = window;
globalThis.document = window.document;

const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    const parsed = await mermaid.parse(text);
    results.push({ ok: true, diagramType: parsed.diagramType });
  } catch (error) {
    results.push({ ok: false, error: String(error?.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(results));
