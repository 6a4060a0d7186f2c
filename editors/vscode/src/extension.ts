/**
 * Starts `k8s-gold lsp` for YAML and JSON files: the workspace's own k8s-gold
 * (node_modules/.bin), else the one on the PATH, or the `k8s-gold.path`
 * setting. Diagnostics, quick fixes and hovers come from the server.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { workspace, window, type ExtensionContext } from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** The k8s-gold to run: the setting, else the first workspace folder's node_modules/.bin/k8s-gold, else the PATH's. */
export function serverCommand(setting: string, folders: readonly string[], platform: NodeJS.Platform = process.platform): string {
  if (setting.trim()) return setting.trim();
  const bin = platform === 'win32' ? 'k8s-gold.cmd' : 'k8s-gold';
  for (const f of folders) {
    const local = path.join(f, 'node_modules', '.bin', bin);
    if (fs.existsSync(local)) return local;
  }
  return bin;
}

export async function activate(context: ExtensionContext): Promise<void> {
  const config = workspace.getConfiguration('k8s-gold');
  const folders = (workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const command = serverCommand(config.get<string>('path', ''), folders);
  const serverOptions: ServerOptions = { command, args: ['lsp'], options: { shell: process.platform === 'win32' } };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', language: 'json' },
    ],
    initializationOptions: { context: config.get<boolean>('context', true) },
  };
  client = new LanguageClient('k8s-gold', 'k8s-gold', serverOptions, clientOptions);
  context.subscriptions.push(
    workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('k8s-gold')) void window.showInformationMessage('k8s-gold: reload the window to apply the changed settings.');
    }),
  );
  try {
    await client.start();
  } catch (e) {
    void window.showErrorMessage(`k8s-gold: cannot start "${command} lsp" (${(e as Error).message}). Install k8s-gold in the workspace (npm i -D k8s-gold) or set k8s-gold.path.`);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
