/** The language server bundle's entry point (dist/server.js): LSP over stdio or Node IPC. */
import { runServer } from './lsp/server';

runServer();
