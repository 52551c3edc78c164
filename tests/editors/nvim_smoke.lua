-- Headless Neovim 0.7 smoke test: start fastapi-practices, open a file, wait for diagnostics,
-- apply one quick fix, and write a JSON report to $FBP_REPORT.
local report_path = os.getenv("FBP_REPORT")
local target = os.getenv("FBP_TARGET")
local python = os.getenv("FBP_PYTHON")
local wanted_code = os.getenv("FBP_FIX_CODE") or "FBP201"
local report = { codes = {}, fixed = false, changed = false, errors = {} }

local function finish()
  local file = assert(io.open(report_path, "w"))
  file:write(vim.fn.json_encode(report))
  file:close()
  vim.cmd("qa!")
end

local function fail(message)
  table.insert(report.errors, message)
  finish()
end

vim.cmd("edit " .. vim.fn.fnameescape(target))
local bufnr = vim.api.nvim_get_current_buf()
vim.bo[bufnr].filetype = "python"
local before = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")

local client_id = vim.lsp.start_client({
  name = "fastapi-practices",
  cmd = { python, "-m", "fastapi_practices", "serve", "--stdio" },
  root_dir = vim.fn.fnamemodify(target, ":p:h"),
  init_options = { debounceMs = 50 },
})
if not client_id then
  return fail("start_client returned nil")
end
vim.lsp.buf_attach_client(bufnr, client_id)

local got = vim.wait(30000, function()
  return #vim.diagnostic.get(bufnr) > 0
end, 100)
if not got then
  return fail("no diagnostics within 30 s")
end
for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
  table.insert(report.codes, diagnostic.code)
end

local target_diagnostic
for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
  if diagnostic.code == wanted_code then
    target_diagnostic = diagnostic
    break
  end
end
if not target_diagnostic then
  return fail("no " .. wanted_code .. " diagnostic to fix")
end

local client = vim.lsp.get_client_by_id(client_id)
local params = {
  textDocument = { uri = vim.uri_from_bufnr(bufnr) },
  range = {
    start = { line = target_diagnostic.lnum, character = target_diagnostic.col },
    ["end"] = { line = target_diagnostic.end_lnum, character = target_diagnostic.end_col },
  },
  context = {
    diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, target_diagnostic.lnum),
    only = { "quickfix" },
  },
}
local response = client.request_sync("textDocument/codeAction", params, 10000, bufnr)
if not response or response.err or not response.result then
  return fail("codeAction request failed: " .. vim.inspect(response))
end
-- Neovim 0.7 does not announce isPreferred support, so fall back to the first real fix.
local chosen
for _, action in ipairs(response.result) do
  if action.kind == "quickfix" and action.isPreferred then
    chosen = action
    break
  end
end
if not chosen then
  for _, action in ipairs(response.result) do
    if action.kind == "quickfix" and not string.find(action.title, "Disable", 1, true) then
      chosen = action
      break
    end
  end
end
if not chosen then
  return fail("no quickfix among " .. #response.result .. " actions")
end
report.title = chosen.title
if not chosen.edit then
  local resolved = client.request_sync("codeAction/resolve", chosen, 10000, bufnr)
  if not resolved or resolved.err or not resolved.result then
    return fail("codeAction/resolve failed: " .. vim.inspect(resolved))
  end
  chosen = resolved.result
end
vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding or "utf-16")
report.fixed = true
local after = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
report.changed = after ~= before
report.text = after
finish()
