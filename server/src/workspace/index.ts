// Workspace layer: finding systems (root + cells) among files, and the cell-set declaration.
export { classify, groupSystems, type ConfigKind, type SystemGroup } from './discover';
export { DECLARATION_FILE, parseDeclaration, type Declaration, type DeclaredSystem, type DeclarationProblem } from './declaration';
export { analyzeSystems, diskHost, discoverSystems, expandPaths, findDeclaration, loadSystems, readDeclaration, type WorkspaceHost } from './load';
