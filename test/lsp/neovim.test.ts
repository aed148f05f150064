/**
 * A second, independent LSP client: Debian's neovim (0.7) starts the built server over
 * stdio, attaches it to a broken example, and must receive the expected diagnostics.
 * CI installs neovim and this test fails there when it is missing; elsewhere it is
 * skipped with a note.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SERVER } from './client';

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
