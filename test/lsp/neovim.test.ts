/**
 * A second, independent LSP client: Debian's neovim (0.7) starts the built server over
 * stdio, attaches it to a broken example, and must receive the expected diagnostics; with
 * the configuration docs/language-server.md gives, it also gets the live warnings of a
 * connected database and the phase CodeLens.
 * CI installs neovim and this test fails there when it is missing; elsewhere it is
 * skipped with a note.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../server/db/database';
import { startPasswordProxy } from '../helpers/password-proxy';
import { createTestDatabase } from '../helpers/postgres';
import { SERVER } from './client';
import { EXAMPLE, seed } from './live/helpers';

const root = join(__dirname, '..', '..');
const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const installed = nvim.status === 0;
const required = process.env.CI === 'true' || process.env.WORKFLOW_PHASES_REQUIRE_NVIM === '1';

// Attach the server to the current buffer, wait until its diagnostics arrive and stop
// changing, write them one per line, quit; `cq` (exit 1) when they never come.
const LUA = `
local out = os.getenv('WP_OUT')
local id = vim.lsp.start_client({
  name = 'workflow-phases',
  cmd = { os.getenv('WP_NODE'), os.getenv('WP_SERVER'), '--stdio' },
  root_dir = os.getenv('WP_ROOT'),
})
if not id then vim.cmd('cq') end
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, id)
local last = -1
local stable = 0
local ok = vim.wait(30000, function()
  local n = #vim.diagnostic.get(buf)
  if n > 0 and n == last then stable = stable + 1 else stable = 0 end
  last = n
  return stable >= 3
end, 50)
if not ok then vim.cmd('cq') end
local lines = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local lsp = (d.user_data and d.user_data.lsp) or {}
  local code = d.code or lsp.code or ''
  table.insert(lines, string.format('%d:%d-%d:%d %s %s %s', d.lnum, d.col, d.end_lnum, d.end_col, code, d.source or '', d.message))
end
table.sort(lines)
local f = io.open(out, 'w')
f:write(table.concat(lines, '\\n'))
f:close()
vim.lsp.stop_client(id)
vim.cmd('qa!')
`;

test('neovim receives the diagnostics of a broken example', { skip: !installed && !required ? 'neovim is not installed (CI installs it: apt-get install neovim)' : false }, () => {
  assert.ok(installed, 'neovim (nvim) is required here but not installed: apt-get install -y neovim');
  const dir = mkdtempSync(join(tmpdir(), 'wp-nvim-'));
  try {
    const file = join(dir, 'misspelt-phase.phases.yaml');
    copyFileSync(join(root, 'examples', 'broken', 'misspelt-phase.phases.yaml'), file);
    const script = join(dir, 'attach.lua');
    const out = join(dir, 'diagnostics.txt');
    writeFileSync(script, LUA);
    const run = spawnSync('nvim', ['--headless', '--clean', '-c', `luafile ${script}`, file], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, WP_NODE: process.execPath, WP_SERVER: SERVER, WP_ROOT: dir, WP_OUT: out, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir },
      timeout: 90_000,
    });
    assert.equal(run.status, 0, `nvim exited with ${String(run.status)} ${run.signal ?? ''}: ${run.stderr}${run.stdout}`);
    const lines = readFileSync(out, 'utf8').split('\n');
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, /^21:10-21:17 unknown-phase workflow-phases Unknown phase 'scopign' \(did you mean 'scoping'\?\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The configuration of docs/language-server.md ("Neovim"), reading the database URL from
// WP_DB (through a proxy that requires the password the handler answers with); then: wait
// for a live warning, refresh the lenses, write both out.
const LIVE_LUA = `
local out = os.getenv('WP_OUT')
local capabilities = vim.lsp.protocol.make_client_capabilities()
capabilities.workspace.configuration = true
capabilities.workspace.codeLens = { refreshSupport = true }
local id = vim.lsp.start_client({
  name = 'workflow-phases',
  cmd = { os.getenv('WP_NODE'), os.getenv('WP_SERVER'), '--stdio' },
  root_dir = os.getenv('WP_ROOT'),
  capabilities = capabilities,
  settings = { workflowPhases = { database = { url = os.getenv('WP_DB') }, user = '' } },
  handlers = {
    ['workspace/codeLens/refresh'] = function()
      vim.lsp.codelens.refresh()
      return vim.NIL
    end,
    ['workflowPhases/password'] = function()
      return { password = os.getenv('WORKFLOW_PHASES_PASSWORD') or vim.NIL }
    end,
  },
})
if not id then vim.cmd('cq') end
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, id)
local function live()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    if (d.code or lsp.code) == 'unknown-cycle' then return true end
  end
  return false
end
if not vim.wait(60000, live, 50) then vim.cmd('cq') end
local lenses = {}
local ok = vim.wait(60000, function()
  vim.lsp.codelens.refresh()
  vim.wait(200)
  lenses = vim.lsp.codelens.get(buf)
  return #lenses >= 9 and lenses[1].command ~= nil
end, 500)
if not ok then vim.cmd('cq') end
local lines = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local lsp = (d.user_data and d.user_data.lsp) or {}
  table.insert(lines, string.format('diagnostic %d %s %s', d.lnum, d.code or lsp.code or '', d.message))
end
for _, l in ipairs(lenses) do
  table.insert(lines, string.format('lens %d %s %s', l.range.start.line, l.command.title, l.command.command))
end
table.sort(lines)
local f = io.open(out, 'w')
f:write(table.concat(lines, '\\n'))
f:close()
vim.lsp.stop_client(id)
vim.cmd('qa!')
`;

test('neovim shows the live warnings and the phase CodeLens of a connected database', { skip: !installed && !required ? 'neovim is not installed (CI installs it: apt-get install neovim)' : false }, async () => {
  assert.ok(installed, 'neovim (nvim) is required here but not installed: apt-get install -y neovim');
  const created = await createTestDatabase('nvim_live', { migrated: true });
  if (!created) return; // no PostgreSQL here (and none required): the message is printed
  const dir = mkdtempSync(join(tmpdir(), 'wp-nvim-live-'));
  const proxy = await startPasswordProxy(Number(new URL(created.url).port || 5432), 'open sesame');
  try {
    const db = await openDatabase({ kind: 'postgres', url: created.url });
    try {
      await seed(db);
    } finally {
      await db.close();
    }
    const file = join(dir, 'regulatory-testing.phases.yaml');
    const text = readFileSync(EXAMPLE, 'utf8').replace('applies_to:\n', 'applies_to:\n  - cycle: 2027-Q1\n    reports: [FR-Y-14Q]\n');
    writeFileSync(file, text);
    const viaProxy = Object.assign(new URL(created.url), { port: String(proxy.port) }).toString();
    const script = join(dir, 'live.lua');
    const out = join(dir, 'live.txt');
    writeFileSync(script, LIVE_LUA);
    // Not spawnSync: the proxy answering nvim's server runs in this process.
    const child = spawn('nvim', ['--headless', '--clean', '-c', `luafile ${script}`, file], {
      cwd: dir,
      env: { ...process.env, WP_NODE: process.execPath, WP_SERVER: SERVER, WP_ROOT: dir, WP_OUT: out, WP_DB: viaProxy, WORKFLOW_PHASES_PASSWORD: 'open sesame', XDG_STATE_HOME: dir, XDG_DATA_HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill(), 150_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, sig) => resolve([c, sig])));
    clearTimeout(timer);
    assert.equal(code, 0, `nvim exited with ${String(code)} ${signal ?? ''}: ${output}`);
    const lines = readFileSync(out, 'utf8').split('\n');
    const cycleLine = text.split('\n').findIndex((l) => l.includes('2027-Q1'));
    assert.deepEqual(lines.filter((l) => l.startsWith('diagnostic')).map((l) => l.split(' ').slice(0, 3).join(' ')), [`diagnostic ${cycleLine} unknown-cycle`]);
    const lenses = lines.filter((l) => l.startsWith('lens'));
    assert.equal(lenses.length, 9);
    const planning = text.split('\n').findIndex((l) => l.includes('- name: planning'));
    assert.ok(lenses.includes(`lens ${planning} 0 in progress · 0 blocked · 0 completed workflowPhases.revealPhase`), lenses.join('\n'));
    assert.ok(proxy.attempts.length > 0 && proxy.attempts.every((p) => p === 'open sesame'), 'neovim answered the password request');
  } finally {
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
    await created.drop();
  }
});
