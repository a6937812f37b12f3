// Workspace layer: finding systems (root + cells) among files, and the cell-set declaration.
export { classify, groupSystems, type ConfigKind } from './discover';
export { DECLARATION_FILE, declareCell, parseDeclaration, type Declaration, type DeclaredSystem, type DeclarationProblem } from './declaration';
export { analyzeSystems, discoverSystems, expandPaths, findDeclaration, loadSystems, readDeclaration } from './load';
export { diskHost, type WorkspaceHost } from './host';
export { walkCFiles, type FoundCFiles, type WalkLimits } from './walk';
export { CLEAR_MARGIN, groupByContent, inferRoot, scoreRoot, type Inference, type RootScore } from './infer';
export { headerLoc, ROOT_DIAG_CODES, ROOT_DIAGNOSTICS, rootDiagnostics, type SystemRootData } from './rootDiagnostic';
export type { Grouping, GroupingReason, System } from './system';
export { groupingLine, groupingWhy } from './reasons';
