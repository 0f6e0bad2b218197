// The sigil extension: colouring comes from syntaxes/sigil.tmLanguage.json; everything else from
// the sigil language server, started as `sigil lsp` from the installed tool (setting sigil.server.path).
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('sigil').get('server.path') || 'sigil';
  const server = { command, args: ['lsp'], transport: TransportKind.stdio };
  client = new LanguageClient(
    'sigil',
    'Sigil language server',
    { run: server, debug: server },
    { documentSelector: [{ language: 'sigil' }] });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
