// Entry of the bundled language server (dist/server.js). The transport comes from the command
// line as vscode-languageserver reads it: --stdio, --node-ipc or --socket=N.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/start';

if (!process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
  process.argv.push('--stdio');
}
startServer(createConnection(ProposedFeatures.all));
