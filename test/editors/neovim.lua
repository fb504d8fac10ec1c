-- Drives the language server from Neovim's built-in LSP client (0.7+), headless, the way the README's
-- Neovim guide sets it up. Run by test/integration/neovim.test.ts:
--   ALLOY_LAB_CLI=… ALLOY_LAB_DIR=… ALLOY_LAB_RESULT=… nvim --headless -u NONE -c "luafile neovim.lua"
-- It writes what it saw as JSON to ALLOY_LAB_RESULT and quits; the test holds it against expectations.
local cli = os.getenv("ALLOY_LAB_CLI")
local dir = os.getenv("ALLOY_LAB_DIR")
local result_path = os.getenv("ALLOY_LAB_RESULT")
local result = { steps = {} }

local function finish()
  local f = assert(io.open(result_path, "w"))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd("qa!")
end

local ok, err = pcall(function()
  -- Neovim 0.7's way (0.8+ has vim.lsp.start): one client, attached to each buffer it should serve.
  local client_id = vim.lsp.start_client({
    name = "alloy-cluster-lab",
    cmd = { "node", cli, "lsp", "--stdio" },
    root_dir = dir,
  })
  assert(client_id, "the client did not start")
  local client = vim.lsp.get_client_by_id(client_id)
  result.pid = client.rpc.pid

  local function open(name)
    vim.cmd("edit " .. dir .. "/" .. name)
    local bufnr = vim.api.nvim_get_current_buf()
    vim.lsp.buf_attach_client(bufnr, client_id)
    return bufnr
  end
  local function codes(bufnr)
    assert(vim.wait(15000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50), "no diagnostics")
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      table.insert(out, { code = code, line = d.lnum, message = d.message })
    end
    return out
  end
  local function request(bufnr, method, params)
    local responses = vim.lsp.buf_request_sync(bufnr, method, params, 10000)
    for _, r in pairs(responses or {}) do if r.result then return r.result end end
    return nil
  end

  -- Diagnostics with codes, on an Alloy config and on a compose file with --cluster.* flags.
  local config = open("config.alloy")
  result.config_diagnostics = codes(config)
  local compose = open("compose.yaml")
  result.compose_diagnostics = codes(compose)

  -- Hover on `clustering` (line 6, 0-based 5) and completion inside the block.
  vim.cmd("buffer " .. config)
  local uri = vim.uri_from_bufnr(config)
  local hover = request(config, "textDocument/hover", { textDocument = { uri = uri }, position = { line = 5, character = 4 } })
  result.hover = hover and hover.contents and (hover.contents.value or hover.contents) or vim.NIL
  local completion = request(config, "textDocument/completion", { textDocument = { uri = uri }, position = { line = 2, character = 2 } })
  local labels = {}
  for _, item in ipairs((completion and (completion.items or completion)) or {}) do table.insert(labels, item.label) end
  result.completion = labels

  -- The quick fix for the misspelt argument, applied.
  local diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(config)) do
    if d.user_data and d.user_data.lsp then table.insert(diagnostics, d.user_data.lsp) end
  end
  local actions = request(config, "textDocument/codeAction", {
    textDocument = { uri = uri },
    range = { start = { line = 3, character = 0 }, ["end"] = { line = 3, character = 20 } },
    context = { diagnostics = diagnostics },
  }) or {}
  result.actions = {}
  for _, a in ipairs(actions) do table.insert(result.actions, a.title) end
  for _, a in ipairs(actions) do
    if a.edit and a.title:find("scrape_interval") then
      vim.lsp.util.apply_workspace_edit(a.edit, "utf-16")
      break
    end
  end

  -- Formatting, applied: the test compares the buffer with `alloy-lab fmt`.
  local edits = request(config, "textDocument/formatting", { textDocument = { uri = uri }, options = { tabSize = 2, insertSpaces = true } })
  if edits then vim.lsp.util.apply_text_edits(edits, config, "utf-16") end
  result.formatted = table.concat(vim.api.nvim_buf_get_lines(config, 0, -1, false), "\n") .. "\n"
end)
if not ok then result.error = tostring(err) end
finish()
