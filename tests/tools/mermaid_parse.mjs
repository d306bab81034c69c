// Parse Mermaid text from standard input with the real Mermaid library (under jsdom, no browser) and
// print what Mermaid understood as JSON: vertices, edges and subgraphs. Exit 1 with the parser's
// message when the text is not a valid diagram. Used by tests/inventory; needs `npm ci`.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf8");
try {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db;
  const vertices = [...db.getVertices().values()].map((v) => ({ id: v.id, text: v.text, classes: v.classes }));
  const edges = db.getEdges().map((e) => ({ start: e.start, end: e.end, text: e.text, style: e.style || [] }));
  const subgraphs = db.getSubGraphs().map((s) => ({ id: s.id, title: s.title, nodes: s.nodes }));
  process.stdout.write(JSON.stringify({ type: diagram.type, vertices, edges, subgraphs }));
} catch (err) {
  process.stderr.write(String(err && err.message ? err.message : err));
  process.exit(1);
}
