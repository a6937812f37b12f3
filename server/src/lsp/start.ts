// Builds a language server on a connection (stdio, IPC or in-process streams).
import { TextDocuments, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { registerDiff } from './diff';
import { registerHandlers } from './handlers';
import { registerMemoryMap } from './map';
import type { Session } from './session';

export function startServer(connection: Connection): Session {
  const documents = new TextDocuments(TextDocument);
  const session = registerHandlers(connection, documents);
  registerMemoryMap(connection, session);
  registerDiff(connection, session);
  // A crash in a stray callback must not take the server down with the user's editor state.
  process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? e.message}`));
  process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  connection.listen();
  return session;
}
