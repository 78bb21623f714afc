-- Drives the Transcript Coder language server from Neovim (0.7 API, so it runs on
-- Debian's Neovim as well as newer ones) and writes what it observed as JSON to
-- $TC_RESULT; test/nvim/run.ts checks it. Any Lua error ends Neovim with status 1
-- (an uncaught error would leave a headless Neovim waiting for input).
local result = { steps = {} }

local function step(name, value)
  table.insert(result.steps, name)
  result[name] = value
end

local function write_result()
  local f = assert(io.open(os.getenv('TC_RESULT'), 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
end

local ok, err = pcall(function()
  local root = assert(os.getenv('TC_STUDY'), 'TC_STUDY is not set')
  local server = assert(os.getenv('TC_SERVER'), 'TC_SERVER is not set')
  local exit_code = nil

  local client_id = vim.lsp.start_client({
    name = 'transcript-coder',
    cmd = { os.getenv('TC_NODE') or 'node', server, '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'study' } },
    flags = { debounce_text_changes = 0 },
    on_exit = function(code) exit_code = code end,
  })
  assert(client_id, 'the language server did not start')

  vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/sw01.transcript'))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'transcript'
  vim.lsp.buf_attach_client(bufnr, client_id)

  -- Diagnostics: wait for the unknown code, then read the buffer text under its range.
  local function unknown_code()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == 'unknown-code' then return d end
    end
  end
  vim.wait(20000, function() return unknown_code() ~= nil or exit_code ~= nil end, 20)
  assert(exit_code == nil, 'the server exited with status ' .. tostring(exit_code))
  local d = assert(unknown_code(), 'no unknown-code diagnostic arrived')
  assert(d.lnum == d.end_lnum, 'the diagnostic spans lines')
  local line = vim.api.nvim_buf_get_lines(bufnr, d.lnum, d.lnum + 1, true)[1]
  step('diagnostic', {
    code = d.code,
    source = d.source,
    line = d.lnum,
    text = string.sub(line, d.col + 1, d.end_col),
    message = d.message,
    count = #vim.diagnostic.get(bufnr),
  })

  -- Hover on the question marker `@job-title` (line 7 of the file).
  local marker_line = 6
  local marker_col = string.find(vim.api.nvim_buf_get_lines(bufnr, marker_line, marker_line + 1, true)[1], '@job-title', 1, true)
  assert(marker_col, '@job-title not found on line 7')
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = marker_line, character = marker_col + 2 },
  }, 10000)
  local contents = hover and hover[client_id] and hover[client_id].result and hover[client_id].result.contents
  step('hover', contents and (contents.value or contents) or vim.NIL)

  -- Code Selection through the server command: the server answers with `workspace/applyEdit`,
  -- which Neovim applies to the buffer itself. The passage stands after `é` and an emoji, so the
  -- range must be given in UTF-16 columns.
  local sel_line = 10
  local before = vim.api.nvim_buf_get_lines(bufnr, sel_line, sel_line + 1, true)[1]
  local from = string.find(before, 'then the house', 1, true)
  assert(from, '"then the house" not found on line 11')
  local _, start16 = vim.str_utfindex(before, from - 1)
  local _, end16 = vim.str_utfindex(before, from - 1 + #'then the house')
  local candidates = vim.lsp.buf_request_sync(bufnr, 'workspace/executeCommand', {
    command = 'transcriptCoder.codeSelection',
    arguments = { { uri = vim.uri_from_bufnr(bufnr), range = { start = { line = sel_line, character = start16 }, ['end'] = { line = sel_line, character = end16 } } } },
  }, 10000)
  local offered = {}
  for _, c in ipairs(candidates and candidates[client_id] and candidates[client_id].result or {}) do table.insert(offered, c.code) end
  local coded = vim.lsp.buf_request_sync(bufnr, 'workspace/executeCommand', {
    command = 'transcriptCoder.codeSelection',
    arguments = { {
      uri = vim.uri_from_bufnr(bufnr),
      range = { start = { line = sel_line, character = start16 }, ['end'] = { line = sel_line, character = end16 } },
      code = 'risk',
    } },
  }, 10000)
  local answer = coded and coded[client_id] or {}
  assert(not answer.err, 'the command was refused: ' .. vim.inspect(answer.err))
  vim.cmd('write')
  step('code_selection', {
    candidates = offered,
    applied = answer.result and answer.result.applied or false,
    buffer = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, true), '\n') .. '\n',
  })

  -- The names list (names.private.yaml, written by run.ts): the warning on `Zoë`, read through its range in
  -- UTF-16 columns, then the study-wide replacement as a server command that edits this open buffer.
  local function named()
    for _, x in ipairs(vim.diagnostic.get(bufnr)) do
      if x.code == 'identifying-name' then return x end
    end
  end
  local n = assert(named(), 'no identifying-name diagnostic')
  local name_line = vim.api.nvim_buf_get_lines(bufnr, n.lnum, n.lnum + 1, true)[1]
  local dry = vim.lsp.buf_request_sync(bufnr, 'workspace/executeCommand', {
    command = 'transcriptCoder.pseudonymise', arguments = { { dryRun = true } },
  }, 10000)
  local replaced = vim.lsp.buf_request_sync(bufnr, 'workspace/executeCommand', {
    command = 'transcriptCoder.pseudonymise', arguments = { {} },
  }, 10000)
  local done = replaced and replaced[client_id] or {}
  assert(not done.err, 'pseudonymising was refused: ' .. vim.inspect(done.err))
  step('privacy', {
    text = string.sub(name_line, n.col + 1, n.end_col),
    message = n.message,
    dry_run = dry and dry[client_id] and dry[client_id].result and dry[client_id].result.summary or vim.NIL,
    summary = done.result and done.result.summary or vim.NIL,
    line = vim.api.nvim_buf_get_lines(bufnr, n.lnum, n.lnum + 1, true)[1],
  })

  -- Completion after a freshly typed `#`.
  local last = vim.api.nvim_buf_line_count(bufnr)
  vim.api.nvim_buf_set_lines(bufnr, last, last, true, { 'R: Zoë 😀 said #' })
  local typed = vim.api.nvim_buf_get_lines(bufnr, last, last + 1, true)[1]
  -- LSP counts UTF-16 units (the emoji is two, `ë` one); str_utfindex gives UTF-32 and UTF-16 indices.
  local _, end_utf16 = vim.str_utfindex(typed)
  local completion = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = last, character = end_utf16 },
    context = { triggerKind = 2, triggerCharacter = '#' },
  }, 10000)
  local items = completion and completion[client_id] and completion[client_id].result or {}
  if items.items then items = items.items end
  local labels = {}
  for _, item in ipairs(items) do table.insert(labels, item.label) end
  step('completion', labels)

  -- "Mark as question …" on an interviewer turn without a marker: the guide's likeliest questions.
  local turn = vim.api.nvim_buf_line_count(bufnr)
  vim.api.nvim_buf_set_lines(bufnr, turn, turn, true, { '', 'I: Looking back, do you think the visit was worth it?' })
  local actions = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = turn + 1, character = 4 }, ['end'] = { line = turn + 1, character = 4 } },
    context = { diagnostics = {} },
  }, 10000)
  local titles, first_edit = {}, vim.NIL
  for _, a in ipairs(actions and actions[client_id] and actions[client_id].result or {}) do
    if string.find(a.title, 'Mark as question', 1, true) == 1 then
      table.insert(titles, a.title)
      if first_edit == vim.NIL and a.edit and a.edit.changes then
        for _, edits in pairs(a.edit.changes) do first_edit = edits[1] end
      end
    end
  end
  step('mark_question', { titles = titles, edit = first_edit, line = turn + 1 })

  -- Stop the server as Neovim does on exit: shutdown, then exit.
  vim.lsp.stop_client(client_id)
  vim.wait(10000, function() return exit_code ~= nil end, 20)
  step('exit_code', exit_code == nil and vim.NIL or exit_code)
end)

if not ok then result.error = tostring(err) end
local wrote, werr = pcall(write_result)
if ok and wrote then
  vim.cmd('qall!')
else
  if not wrote then io.stderr:write('cannot write the result: ' .. tostring(werr) .. '\n') end
  vim.cmd('cquit! 1')
end
