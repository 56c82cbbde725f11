// The frameworks' own parsers, for the Python tests: reads a JSON array of requests on stdin, writes a JSON
// array of answers (same order) on stdout.
//   {"op": "shape", "text": ..., "mdx": bool, "directives": bool, "prose": [attribute names]}
//       -> {"shape": tree} | {"error": message}: the mdast tree as remark (+ gfm, frontmatter, directives, mdx)
//          parses it, without text: node types, depths, URLs, code, component and directive names and their
//          attributes (those named in "prose" reduced to a marker, since a translation changes them)
//   {"op": "compile", "text": ...}            -> {"ok": true} | {"error": message}: @mdx-js/mdx compiles it
//   {"op": "slugs", "headings": [text, ...]}  -> {"slugs": [...]}: github-slugger over the headings, in order
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkGfm from "remark-gfm";
import remarkFrontmatter from "remark-frontmatter";
import remarkDirective from "remark-directive";
import remarkMdx from "remark-mdx";
import { compile } from "@mdx-js/mdx";
import GithubSlugger from "github-slugger";

const VALUE_KEPT = new Set(["code", "inlineCode", "html", "mdxjsEsm", "mdxFlowExpression", "mdxTextExpression"]);
const FIELDS = ["name", "depth", "ordered", "start", "url", "identifier", "lang", "meta", "checked", "align"];

function parser(mdx, directives) {
  let processor = unified().use(remarkParse).use(remarkFrontmatter, ["yaml", "toml"]).use(remarkGfm);
  if (directives) processor = processor.use(remarkDirective);
  if (mdx) processor = processor.use(remarkMdx);
  return processor;
}

function attributes(node, prose) {
  if (Array.isArray(node.attributes)) {
    return node.attributes.map((attribute) => {
      if (attribute.type !== "mdxJsxAttribute") return ["{...}", attribute.value];
      const value = attribute.value;
      if (value && typeof value === "object") return [attribute.name, "{" + value.value + "}"];
      return [attribute.name, prose.has(attribute.name) ? "<prose>" : value];
    });
  }
  if (node.attributes && typeof node.attributes === "object") {
    return Object.entries(node.attributes).map(([name, value]) => [name, prose.has(name) ? "<prose>" : value]);
  }
  return [];
}

function shape(node, prose) {
  const out = { type: node.type };
  for (const field of FIELDS) if (node[field] !== undefined && node[field] !== null) out[field] = node[field];
  if (VALUE_KEPT.has(node.type)) out.value = node.type === "inlineCode" ? node.value.replace(/\s+/g, " ") : node.value;
  if (node.data && node.data.directiveLabel) out.label = true;
  const attrs = attributes(node, prose);
  if (attrs.length) out.attributes = attrs;
  if (node.children) out.children = node.children.filter((child) => child.type !== "text").map((c) => shape(c, prose));
  return out;
}

function message(error) {
  return String(error && error.message ? error.message : error).slice(0, 300);
}

// stdin read as a stream: readFileSync(0) fails with EAGAIN on a large pipe
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const requests = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const answers = [];
for (const request of requests) {
  try {
    if (request.op === "shape") {
      const tree = parser(Boolean(request.mdx), Boolean(request.directives)).parse(request.text);
      answers.push({ shape: shape(tree, new Set(request.prose || [])) });
    } else if (request.op === "compile") {
      await compile(request.text, { remarkPlugins: [[remarkFrontmatter, ["yaml", "toml"]]] });
      answers.push({ ok: true });
    } else if (request.op === "slugs") {
      const slugger = new GithubSlugger();
      answers.push({ slugs: request.headings.map((heading) => slugger.slug(heading)) });
    } else {
      answers.push({ error: `unknown op ${request.op}` });
    }
  } catch (error) {
    answers.push({ error: message(error) });
  }
}
process.stdout.write(JSON.stringify(answers));
