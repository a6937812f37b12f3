// The architecture of the extension, language server and CLI, as `npm run lint:deps` enforces it
// (dependency-cruiser; `npm test` runs it). docs/architecture.md draws the same picture.
//
// The code is a stack of layers. A module may import from its own layer and from any layer
// BELOW it, never from a layer above it, never from a sibling on the same row, and no two files
// may import each other, directly or in a ring (no cycles at all, type-only imports included).
//
// Bottom to top; each row lists the folders (under server/src/ unless written out) of one layer:
const LAYERS = [
  // Facts with no opinion: the C struct layout and constants Jailhouse defines (schema/), and
  // small helpers over text positions and numbers (util/).
  ['schema', 'util'],
  // The vocabulary every layer speaks: a source location's file, the evaluated config model,
  // a diagnostic, an analysis and the engine's options. Types and tables, no behaviour.
  ['core'],
  // Reading C text (preprocessor, parser), and reading/writing the binary image (binary/).
  ['syntax', 'binary'],
  // From a syntax tree to the typed config model (evaluation, typed view over the image);
  // board descriptions (bundled JSON, device-tree import), which know nothing of configs.
  ['model', 'boards'],
  // The pipeline: text → tokens → tree → model, with every diagnostic (analyze()).
  ['engine'],
  // Files on disk become systems (a root and its cells, cell sets, why each cell is grouped):
  // owner of the one System type everything above checks and shows.
  ['workspace'],
  // Checks over a whole system, each with its quick fixes beside it (rules/fixes/), and the
  // registry that runs them (checkSystem, fixesFor) for the editor and the CLI alike.
  ['rules'],
  // What an editor or a page shows: completion, hover, code actions, symbols (features/); the
  // memory map model and its renderers (map/).
  ['features', 'map'],
  // Resource-level differences between two evaluated configs (regions, CPUs, interrupts, PCI
  // devices, ivshmem links, platform info) for `jhcell diff` and the editor's compare command.
  ['diff'],
  // The console explainer: a hypervisor/driver log line → the cell, the regions and device at the
  // address, and the edit that makes the access legal (the features' insertion code).
  // New configs from a board (root cell) or from a system (a non-root cell), written as a
  // person would write them and proved by the engine and the checks.
  ['explain', 'generate'],
  // The language protocol's own messages (requests, notifications and their types), shared
  // with the client.
  ['protocol'],
  // Front ends: the language server (lsp/); then the CLI, which can also start the server.
  ['lsp'],
  ['cli'],
  // Entry points of the bundles.
  ['server\\.ts', 'cli\\.ts'],
  // The VS Code extension host (client/src): picks, shows, forwards; the server does the work.
  ['client'],
];

const pathOf = (name) => (name === 'client' ? '^client/src/' : `^server/src/${name}(/|$)`);
const layerPattern = (row) => `(${row.map(pathOf).join('|')})`;

/** One rule per layer: none of its modules may import anything from the layers above it, nor a sibling. */
const layerRules = LAYERS.flatMap((row, i) => {
  const above = LAYERS.slice(i + 1).flat();
  const rules = [];
  if (above.length) {
    rules.push({
      name: `layer-${row.join('+').replace(/\\\./g, '.')}-points-down`,
      comment: `${row.join(', ')} may only import from the layers below it (see .dependency-cruiser.cjs)`,
      severity: 'error',
      from: { path: layerPattern(row) },
      to: { path: layerPattern(above) },
    });
  }
  for (const name of row) {
    const siblings = row.filter((n) => n !== name);
    if (!siblings.length) continue;
    rules.push({
      name: `layer-${name.replace(/\\\./g, '.')}-not-sideways`,
      comment: `${name} and ${siblings.join(', ')} are on one layer and must not import each other`,
      severity: 'error',
      from: { path: pathOf(name) },
      to: { path: layerPattern(siblings) },
    });
  }
  return rules;
});

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'No two modules may depend on each other, directly or through others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'server-is-known-layer',
      comment: 'Every folder of server/src belongs to a layer: add a new folder to LAYERS above.',
      severity: 'error',
      from: { path: '^server/src/', pathNot: layerPattern(LAYERS.flat()) },
      to: {},
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    // Type-only imports are dependencies too: a layer may not even name a type from above.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
  },
};
