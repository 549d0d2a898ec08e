// The layering rule of ARCHITECTURE.md as an ESLint rule: an import that reaches the wrong way
// between src/ layers is an error. Relative imports are resolved against the importing file,
// so a ui/ folder named like a layer (ui/sandbox/) is not mistaken for that layer.
import path from 'node:path';

const LAYERS = ['core', 'model', 'sandbox', 'store', 'mcp', 'app', 'ui'];
const BELOW_APP = ['core', 'model', 'sandbox', 'store', 'mcp'];

/** What each layer may not import, and whether a type-only import is let through. */
const FORBIDDEN = {
  core: {
    layers: ['model', 'sandbox', 'store', 'mcp', 'app', 'ui'],
    types: false,
    why: 'core imports nothing of ours: declare a port in core/ports.ts',
  },
  model: { layers: ['app', 'ui'], types: false, why: 'model/ implements core ports and never reaches app/ or ui/' },
  sandbox: { layers: ['app', 'ui'], types: false, why: 'sandbox/ implements core ports and never reaches app/ or ui/' },
  store: { layers: ['app', 'ui'], types: false, why: 'store/ implements core ports and never reaches app/ or ui/' },
  mcp: { layers: ['app', 'ui'], types: false, why: 'mcp/ implements core ports and never reaches app/ or ui/' },
  app: { layers: ['ui'], types: false, why: 'app/ holds state; ui/ renders it, never the other way' },
  ui: { layers: BELOW_APP, types: true, why: 'ui/ renders app/ state: below app/ it may import types only' },
};

/** The src/ layer a path is in, or undefined. */
function layerOf(file) {
  const parts = path.relative(process.cwd(), file).split(path.sep);
  return parts[0] === 'src' && LAYERS.includes(parts[1]) ? parts[1] : undefined;
}

function typeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specifiers = node.specifiers ?? [];
  return specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

export const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'imports follow the layers of ARCHITECTURE.md' },
    schema: [],
    messages: { wrong: '{{from}}/ may not import {{to}}/ ({{why}}).' },
  },
  create(context) {
    const from = layerOf(context.filename);
    const rule = from && FORBIDDEN[from];
    if (!rule) return {};
    const check = (node, source, isTypeOnly) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = layerOf(path.resolve(path.dirname(context.filename), source));
      if (!to || !rule.layers.includes(to) || (rule.types && isTypeOnly)) return;
      context.report({ node, messageId: 'wrong', data: { from, to, why: rule.why } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value, typeOnly(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value, typeOnly(node)),
      ExportAllDeclaration: (node) => check(node, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source.value : undefined, false),
    };
  },
};

export const house = { rules: { layers } };
